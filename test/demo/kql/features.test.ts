import { describe, expect, it } from 'vitest';
import type { QueryTable } from '../../../src/domain/types';
import { executeQuery } from '../../../src/demo/kql/engine';
import { sampleTables } from '../../kql/corpus';

const now = new Date('2024-05-03T00:00:00Z');
const tables = sampleTables(now, 3, 600_000);

function run(query: string): QueryTable {
  const result = executeQuery(query, tables, { now });
  if (!result.ok) throw new Error(`${query}: ${result.message}`);
  const table = result.tables[0];
  if (!table) throw new Error(`${query}: no table`);
  return table;
}

/** Columns as "name:type" and rows, the way the Log Analytics API returns them. */
const shape = (query: string): { columns: string[]; rows: unknown[][] } => {
  const table = run(query);
  return { columns: table.columns.map((c) => `${c.name}:${c.type}`), rows: table.rows };
};

describe('demo engine: Kusto features real queries use', () => {
  it.each<[string, string, { columns: string[]; rows: unknown[][] }]>([
    [
      'query-local tabular function with table() and a default parameter',
      'let f = (t:string, n:long = 2) { table(t) | take n | project UserPrincipalName }; f("SigninLogs") | count',
      { columns: ['Count:long'], rows: [[2]] },
    ],
    [
      'query-local scalar function',
      'let twice = (x:long) { x * 2 }; print y = twice(21)',
      { columns: ['y:long'], rows: [[42]] },
    ],
    [
      'function over a tabular parameter',
      'let n = (T:(*)) { T | count }; let S = datatable(a:long)[1, 2, 3]; n(S)',
      { columns: ['Count:long'], rows: [[3]] },
    ],
    ['toscalar', 'print c = toscalar(SigninLogs | count)', { columns: ['c:long'], rows: [[3]] }],
    [
      'datatable',
      'datatable(a:string, b:long)["x", 1, "y", 2] | where b > 1',
      { columns: ['a:string', 'b:long'], rows: [['y', 2]] },
    ],
    ['print names', 'print 1, x = "a"', { columns: ['print_0:long', 'x:string'], rows: [[1, 'a']] }],
    ['range', 'range x from 1 to 7 step 3', { columns: ['x:long'], rows: [[1], [4], [7]] }],
    [
      'parse (simple, typed)',
      'print s = "user=bob id=42" | parse s with "user=" u " id=" id:int | project u, id',
      { columns: ['u:string', 'id:int'], rows: [['bob', 42]] },
    ],
    [
      'parse with * and no match gives nulls',
      'datatable(s:string)["a<b>c", "zzz"] | parse s with * "<" inner ">" * | project inner',
      { columns: ['inner:string'], rows: [['b'], [null]] },
    ],
    [
      'parse kind=regex',
      'print s = "id:17;" | parse kind=regex s with "id:" n:long ";" | project n',
      { columns: ['n:long'], rows: [[17]] },
    ],
    [
      'parse-where drops rows that do not match',
      'datatable(s:string)["k=1", "nope"] | parse-where s with "k=" v:long | project v',
      { columns: ['v:long'], rows: [[1]] },
    ],
    [
      'mv-expand of an expression, with_itemindex, typed',
      'print a = "[10, 20]" | mv-expand with_itemindex=i v = todynamic(a) to typeof(long) | project i, v',
      {
        columns: ['i:long', 'v:long'],
        rows: [
          [0, 10],
          [1, 20],
        ],
      },
    ],
    [
      'mv-expand: empty arrays give no row, null gives one',
      'datatable(k:string, a:dynamic)["e", dynamic([]), "n", dynamic(null), "x", dynamic([1])] | mv-expand a | project k',
      { columns: ['k:string'], rows: [['n'], ['x']] },
    ],
    [
      'mv-apply',
      'print a = dynamic([3, 1, 2]) | mv-apply v = a to typeof(long) on (summarize m = max(v)) | project m',
      { columns: ['m:long'], rows: [[3]] },
    ],
    [
      'evaluate bag_unpack',
      'print d = dynamic({"city": "Oslo", "n": 2}) | evaluate bag_unpack(d)',
      { columns: ['city:string', 'n:long'], rows: [['Oslo', 2]] },
    ],
    [
      'make_bag and make_list naming (list_x for make_list(tostring(x)))',
      'datatable(x:long)[1, 2] | summarize make_list(tostring(x)), make_bag(bag_pack("k", x)), count()',
      { columns: ['list_x:dynamic', 'bag_:dynamic', 'count_:long'], rows: [[['1', '2'], { k: 2 }, 2]] },
    ],
    [
      'unnamed conversions keep the column name',
      'datatable(x:long)[5] | summarize by tostring(x) | extend tolong(x)',
      { columns: ['x:long'], rows: [[5]] },
    ],
    [
      'integer division',
      'print a = 10 / 4, b = 10.0 / 4, c = -7 / 2',
      { columns: ['a:long', 'b:real', 'c:long'], rows: [[2, 2.5, -3]] },
    ],
    [
      'make-series with default, then series_fit_line into named columns',
      'datatable(t:datetime, v:long)[datetime(2024-05-01T00:00:00Z), 1, datetime(2024-05-01T02:00:00Z), 3] | make-series s = sum(v) default = 0 on t from datetime(2024-05-01T00:00:00Z) to datetime(2024-05-01T03:00:00Z) step 1h | extend (rsquare, slope) = series_fit_line(s) | project s, slope',
      { columns: ['s:dynamic', 'slope:real'], rows: [[[1, 0, 3], 1]] },
    ],
    [
      'row_number and prev after serialize',
      'datatable(a:long)[5, 6] | serialize n = row_number(), p = prev(a)',
      {
        columns: ['a:long', 'n:long', 'p:long'],
        rows: [
          [5, 1, null],
          [6, 2, 5],
        ],
      },
    ],
    [
      'lookup (leftouter by default, right keys not repeated)',
      'datatable(k:string, v:long)["a", 1, "b", 2] | lookup (datatable(k:string, w:long)["b", 3]) on k',
      {
        columns: ['k:string', 'v:long', 'w:long'],
        rows: [
          ['a', 1, null],
          ['b', 2, 3],
        ],
      },
    ],
    [
      'join on several conditions joined with and',
      'datatable(a:long, b:string)[1, "x", 1, "y"] | join kind=inner (datatable(c:long, d:string)[1, "y"]) on $left.a == $right.c and $left.b == $right.d | project a, b',
      { columns: ['a:long', 'b:string'], rows: [[1, 'y']] },
    ],
    [
      'evaluate ipv4_lookup',
      'let r = datatable(net:string, name:string)["10.0.0.0/8", "lan"]; datatable(ip:string)["10.1.2.3", "8.8.8.8"] | evaluate ipv4_lookup(r, ip, net) | project ip, name',
      { columns: ['ip:string', 'name:string'], rows: [['10.1.2.3', 'lan']] },
    ],
    [
      'RE2 named groups and inline flags',
      'print a = extract("(?P<n>[0-9]+)", 1, "ab12"), b = extract("(?i)X([a-z]+)", 1, "xyz"), c = "Ab" matches regex "^[[:upper:]][[:lower:]]$"',
      { columns: ['a:string', 'b:string', 'c:bool'], rows: [['12', 'yz', true]] },
    ],
  ])('%s', (_, query, expected) => {
    expect(shape(query)).toEqual(expected);
  });

  it.each<[string, string[]]>([
    ['inner', ['b|2|b|3', 'b|2|b|4']],
    ['innerunique', ['b|2|b|3', 'b|2|b|4']],
    ['leftouter', ['a|1||', 'b|2|b|3', 'b|2|b|4']],
    ['rightouter', ['b|2|b|3', 'b|2|b|4', '||c|5']],
    ['fullouter', ['a|1||', 'b|2|b|3', 'b|2|b|4', '||c|5']],
    ['leftanti', ['a|1']],
    ['leftsemi', ['b|2']],
    ['rightanti', ['c|5']],
    ['rightsemi', ['b|3', 'b|4']],
  ])('join kind=%s', (kind, expected) => {
    const table = run(
      `datatable(k:string, v:long)["a", 1, "b", 2] | join kind=${kind} (datatable(k:string, w:long)["b", 3, "b", 4, "c", 5]) on k`,
    );
    expect(table.rows.map((r) => r.map((c) => (c === null ? '' : String(c))).join('|'))).toEqual(expected);
  });

  it.each([
    ['lookaround', 'print extract("a(?=b)", 0, "ab")', /lookaround is not supported/],
    ['a backreference', 'print extract("(a)\\\\1", 0, "aa")', /a backreference is not supported/],
    ['a late inline flag', 'print extract("a(?i)b", 0, "aB")', /inline flag group/],
  ])('RE2 it cannot translate (%s) is a named query error, not a server error', (_, query, message) => {
    const result = executeQuery(query, tables, { now });
    expect(result).toMatchObject({ ok: false, code: 'BadArgumentError', innerCode: 'SemanticError' });
    expect(result.ok ? '' : result.message).toMatch(message);
  });
});
