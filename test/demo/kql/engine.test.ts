import { describe, expect, it } from 'vitest';
import type { QueryTable } from '../../../src/domain/types';
import { executeQuery, type EngineResult } from '../../../src/demo/kql/engine';
import type { LogTables } from '../../../src/demo/logTables';
import { buildHuntingQueries } from '../../../src/kql/huntingTemplates';
import { ALL_KINDS, incident } from '../../kql/fixtures';
import { loadCorpus, sampleTables } from '../../kql/corpus';

const now = new Date('2024-05-03T00:00:00Z');

const tables: LogTables = {
  SigninLogs: {
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'UserPrincipalName', type: 'string' },
      { name: 'IPAddress', type: 'string' },
      { name: 'ResultType', type: 'string' },
      { name: 'DurationMs', type: 'long' },
      { name: 'LocationDetails', type: 'dynamic' },
    ],
    rows: [
      [
        '2024-05-02T10:00:00Z',
        'alice@contoso.com',
        '203.0.113.7',
        '50126',
        100,
        { city: 'Oslo', geo: { lat: 59.9 } },
      ],
      ['2024-05-02T11:00:00Z', 'Alice@Contoso.com', '203.0.113.7', '0', 300, '{"city":"Oslo"}'],
      ['2024-05-02T23:00:00Z', 'bob@contoso.com', '198.51.100.1', '0', 200, null],
      ['2024-04-20T09:00:00Z', 'carol@fabrikam.com', '10.0.0.5', '50053', 50, { city: 'Paris' }],
    ],
  },
  AuditLogs: {
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'OperationName', type: 'string' },
      { name: 'Actor', type: 'string' },
    ],
    rows: [
      ['2024-05-02T12:00:00Z', 'Add member to role', 'alice@contoso.com'],
      ['2024-05-02T13:00:00Z', 'Reset password', 'dave@contoso.com'],
    ],
  },
};

function run(query: string, options: { timespan?: string; rowCap?: number } = {}): QueryTable {
  const result = executeQuery(query, tables, { now, ...options });
  expect(result, query).toMatchObject({ ok: true });
  const table = result.ok ? result.tables[0] : undefined;
  expect(table?.name).toBe('PrimaryResult');
  return table ?? { name: '', columns: [], rows: [] };
}

const column = (table: QueryTable, name: string): unknown[] => {
  const index = table.columns.findIndex((c) => c.name === name);
  expect(index, `column ${name}`).toBeGreaterThanOrEqual(0);
  return table.rows.map((r) => r[index]);
};

describe('executeQuery: where', () => {
  it.each([
    ['ResultType == "0"', 2],
    ['ResultType != "0"', 2],
    ['DurationMs < 100', 1],
    ['DurationMs <= 100', 2],
    ['DurationMs > 200', 1],
    ['DurationMs >= 200', 2],
    ['UserPrincipalName =~ "ALICE@contoso.com"', 2],
    ['UserPrincipalName !~ "alice@contoso.com"', 2],
    ['UserPrincipalName has "contoso"', 3],
    ['UserPrincipalName !has "contoso"', 1],
    ['UserPrincipalName has "cont"', 0],
    ['UserPrincipalName contains "CONT"', 3],
    ['UserPrincipalName !contains "cont"', 1],
    ['UserPrincipalName startswith "alice"', 2],
    ['UserPrincipalName endswith "fabrikam.com"', 1],
    ['ResultType in ("0", "50053")', 3],
    ['ResultType !in ("0")', 2],
    ['UserPrincipalName in~ ("ALICE@CONTOSO.COM")', 2],
    ['UserPrincipalName in ("alice@contoso.com")', 1],
    ['DurationMs between (100 .. 200)', 2],
    ['ResultType == "0" and DurationMs > 250', 1],
    ['ResultType == "0" or DurationMs < 60', 3],
    ['not(ResultType == "0")', 2],
    ['TimeGenerated > ago(1d)', 3],
    ['TimeGenerated < now(-1d)', 1],
    ['TimeGenerated >= datetime(2024-05-02)', 3],
    ['TimeGenerated between (datetime(2024-05-02T10:30:00Z) .. 1h)', 1],
    ['isnotempty(LocationDetails)', 3],
    ['isempty(LocationDetails)', 1],
    ['isnull(LocationDetails)', 1],
    ['isnotnull(LocationDetails)', 3],
    ['tostring(LocationDetails.city) == "Oslo"', 2],
    ['tostring(LocationDetails["city"]) == "Paris"', 1],
  ])('%s → %i rows', (condition, rows) => {
    expect(run(`SigninLogs | where ${condition}`).rows).toHaveLength(rows);
  });
});

describe('executeQuery: shaping operators', () => {
  it('let binds scalars and tables', () => {
    const table = run(
      'let lookback = 1d; let failures = SigninLogs | where ResultType != "0"; failures | where TimeGenerated > ago(lookback) | project UserPrincipalName',
    );
    expect(table.rows).toEqual([['alice@contoso.com']]);
  });

  it('project, project-away, project-rename and extend', () => {
    const table = run(
      'SigninLogs | take 1 | extend Upper = toupper(UserPrincipalName), Secs = DurationMs / 1000, City = tostring(LocationDetails.city), Lat = LocationDetails.geo.lat | project-rename Upn = UserPrincipalName | project-away IPAddress, ResultType, LocationDetails | project Upn, Upper, Secs, City, Lat, TimeGenerated',
    );
    expect(table.columns).toEqual([
      { name: 'Upn', type: 'string' },
      { name: 'Upper', type: 'string' },
      { name: 'Secs', type: 'long' },
      { name: 'City', type: 'string' },
      { name: 'Lat', type: 'dynamic' },
      { name: 'TimeGenerated', type: 'datetime' },
    ]);
    expect(table.rows).toEqual([
      // long / long is a long in Kusto: 100 / 1000 == 0.
      ['alice@contoso.com', 'ALICE@CONTOSO.COM', 0, 'Oslo', 59.9, '2024-05-02T10:00:00.000Z'],
    ]);
  });

  it('string, conversion and datetime functions', () => {
    const table = run(
      `SigninLogs | take 1 | project
        a = tolower("AbC"), b = strcat("x", 1, "y"), c = substring("abcdef", 2, 3), d = split("a,b,c", ","), e = split("a,b,c", ",", 1),
        f = strlen("abcd"), g = tostring(LocationDetails), h = toint("42"), i = tolong(7.9), j = todouble("1.5"),
        k = todatetime("2024-01-01T00:00:00Z"), l = iff(DurationMs > 50, "big", "small"), m = iif(false, 1, 2),
        n = case(DurationMs < 10, "tiny", DurationMs < 1000, "mid", "huge"), o = coalesce("", "fallback"),
        p = format_datetime(TimeGenerated, "yyyy-MM-dd HH:mm:ss"), q = datetime_diff("hour", datetime(2024-01-02), datetime(2024-01-01)),
        r = bin(TimeGenerated, 1d), s = startofday(TimeGenerated), t = dayofweek(datetime(2024-05-02)),
        u = parse_json('{"k":[1,2]}').k, v = array_length(todynamic("[1,2,3]")), w = tostring(dynamic({"z":1})),
        x = TimeGenerated + 1h, y = datetime(2024-01-02) - datetime(2024-01-01), z = -DurationMs * 2 % 7`,
    );
    const row = table.rows[0];
    expect(row).toEqual([
      'abc',
      'x1y',
      'cde',
      ['a', 'b', 'c'],
      ['b'],
      4,
      '{"city":"Oslo","geo":{"lat":59.9}}',
      42,
      7,
      1.5,
      '2024-01-01T00:00:00.000Z',
      'big',
      2,
      'mid',
      'fallback',
      '2024-05-02 10:00:00',
      24,
      '2024-05-02T00:00:00.000Z',
      '2024-05-02T00:00:00.000Z',
      '4.00:00:00',
      [1, 2],
      3,
      '{"z":1}',
      '2024-05-02T11:00:00.000Z',
      '1.00:00:00',
      -4,
    ]);
    const types = Object.fromEntries(table.columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({
      a: 'string',
      d: 'dynamic',
      f: 'long',
      h: 'int',
      k: 'datetime',
      r: 'datetime',
      t: 'timespan',
      y: 'timespan',
    });
  });

  it('summarize with every aggregate, by columns and bin()', () => {
    const table = run(
      `SigninLogs | summarize Total = count(), Users = dcount(UserPrincipalName), Failures = countif(ResultType != "0"),
        Sum = sum(DurationMs), Avg = avg(DurationMs), First = min(TimeGenerated), Last = max(TimeGenerated),
        Ips = make_set(IPAddress), All = make_list(ResultType), Deprecated = makeset(ResultType)
        by Day = bin(TimeGenerated, 1d) | order by Day asc`,
    );
    expect(table.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'Day:datetime',
      'Total:long',
      'Users:long',
      'Failures:long',
      'Sum:long',
      'Avg:real',
      'First:datetime',
      'Last:datetime',
      'Ips:dynamic',
      'All:dynamic',
      'Deprecated:dynamic',
    ]);
    expect(table.rows).toEqual([
      [
        '2024-04-20T00:00:00.000Z',
        1,
        1,
        1,
        50,
        50,
        '2024-04-20T09:00:00.000Z',
        '2024-04-20T09:00:00.000Z',
        ['10.0.0.5'],
        ['50053'],
        ['50053'],
      ],
      [
        '2024-05-02T00:00:00.000Z',
        3,
        3,
        1,
        600,
        200,
        '2024-05-02T10:00:00.000Z',
        '2024-05-02T23:00:00.000Z',
        ['203.0.113.7', '198.51.100.1'],
        ['50126', '0', '0'],
        ['50126', '0'],
      ],
    ]);
  });

  it('summarize arg_max / arg_min and default column names', () => {
    const latest = run(
      'SigninLogs | summarize arg_max(TimeGenerated, *) by IPAddress | order by IPAddress asc | project IPAddress, UserPrincipalName',
    );
    expect(latest.rows).toEqual([
      ['10.0.0.5', 'carol@fabrikam.com'],
      ['198.51.100.1', 'bob@contoso.com'],
      ['203.0.113.7', 'Alice@Contoso.com'],
    ]);
    const earliest = run('SigninLogs | summarize arg_min(DurationMs, UserPrincipalName)');
    expect(earliest.rows).toEqual([[50, 'carol@fabrikam.com']]);
    const defaults = run('SigninLogs | summarize count(), dcount(IPAddress), max(DurationMs)');
    expect(defaults.columns.map((c) => c.name)).toEqual(['count_', 'dcount_IPAddress', 'max_DurationMs']);
    expect(run('SigninLogs | where false | summarize count()').rows).toEqual([[0]]);
  });

  it('sort / order, take / limit, top, distinct, count', () => {
    expect(column(run('SigninLogs | order by DurationMs'), 'DurationMs')).toEqual([300, 200, 100, 50]);
    expect(column(run('SigninLogs | sort by DurationMs asc | take 2'), 'DurationMs')).toEqual([50, 100]);
    expect(run('SigninLogs | limit 3').rows).toHaveLength(3);
    expect(column(run('SigninLogs | top 2 by DurationMs'), 'DurationMs')).toEqual([300, 200]);
    expect(run('SigninLogs | distinct IPAddress').rows).toHaveLength(3);
    expect(run('SigninLogs | distinct IPAddress, ResultType').rows).toHaveLength(4);
    expect(run('SigninLogs | count')).toEqual({
      name: 'PrimaryResult',
      columns: [{ name: 'Count', type: 'long' }],
      rows: [[4]],
    });
  });

  it('join kinds on a shared column and on $left/$right keys', () => {
    const right = '(AuditLogs | project UserPrincipalName = Actor, OperationName)';
    expect(run(`SigninLogs | join kind=inner ${right} on UserPrincipalName`).rows).toHaveLength(1);
    const outer = run(
      `SigninLogs | join kind=leftouter ${right} on UserPrincipalName | project UserPrincipalName, OperationName`,
    );
    expect(outer.rows).toHaveLength(4);
    expect(outer.rows.filter((r) => r[1] !== null)).toEqual([['alice@contoso.com', 'Add member to role']]);
    expect(run(`SigninLogs | join kind=leftanti ${right} on UserPrincipalName`).rows).toHaveLength(3);
    expect(run(`SigninLogs | join kind=leftsemi ${right} on UserPrincipalName`).columns).toHaveLength(6);
    const keyed = run('SigninLogs | join kind=inner (AuditLogs) on $left.UserPrincipalName == $right.Actor');
    expect(keyed.columns.map((c) => c.name)).toContain('TimeGenerated1');
    expect(keyed.rows).toHaveLength(1);
  });

  it('union, with withsource=', () => {
    const table = run(
      'union withsource=SourceTable SigninLogs, (AuditLogs | take 1) | summarize count() by SourceTable | order by SourceTable asc',
    );
    expect(table.rows).toEqual([
      ['SigninLogs', 4],
      ['union_arg1', 1],
    ]);
    expect(run('SigninLogs | union AuditLogs | count').rows).toEqual([[6]]);
  });

  it('mv-expand arrays and bags, with to typeof() and limit', () => {
    const arrays = run(
      'SigninLogs | take 1 | extend Parts = split(IPAddress, ".") | mv-expand Part = Parts to typeof(long) | project Part',
    );
    expect(arrays.columns).toEqual([{ name: 'Part', type: 'long' }]);
    expect(arrays.rows).toEqual([[203], [0], [113], [7]]);
    expect(run('SigninLogs | take 1 | mv-expand LocationDetails | project LocationDetails').rows).toEqual([
      [{ city: 'Oslo' }],
      [{ geo: { lat: 59.9 } }],
    ]);
    expect(run('SigninLogs | take 1 | mv-expand P = split(IPAddress, ".") limit 2').rows).toHaveLength(2);
  });

  it('getschema', () => {
    const table = run('AuditLogs | getschema');
    expect(table.rows).toEqual([
      ['TimeGenerated', 0, 'System.DateTime', 'datetime'],
      ['OperationName', 1, 'System.String', 'string'],
      ['Actor', 2, 'System.String', 'string'],
    ]);
  });
});

describe('executeQuery: options and errors', () => {
  it('timespan restricts rows by TimeGenerated like Log Analytics', () => {
    expect(run('SigninLogs | count', { timespan: 'P1D' }).rows).toEqual([[3]]);
    expect(run('SigninLogs | count', { timespan: 'PT12H' }).rows).toEqual([[1]]);
    expect(run('SigninLogs | count', { timespan: '2024-04-20T00:00:00Z/2024-04-21T00:00:00Z' }).rows).toEqual(
      [[1]],
    );
    expect(executeQuery('SigninLogs', tables, { now, timespan: 'yesterday' })).toMatchObject({
      ok: false,
      innerCode: 'SemanticError',
    });
  });

  it('rowCap truncates the result', () => {
    expect(run('SigninLogs', { rowCap: 2 }).rows).toHaveLength(2);
  });

  it('names the unsupported operator or function', () => {
    const expected: [string, string][] = [
      ['SigninLogs | evaluate pivot(ResultType)', "The demo workspace does not support the 'pivot' plugin"],
      ['SigninLogs | sample 5', "The demo workspace does not support the 'sample' operator"],
      [
        // Checked before running: the where keeps no rows, the error is the same.
        'SigninLogs | where false | extend h = hash_sha256(IPAddress)',
        "The demo workspace does not support the 'hash_sha256' function",
      ],
      [
        'SigninLogs | summarize tdigest(DurationMs)',
        "The demo workspace does not support the 'tdigest' aggregation function",
      ],
    ];
    for (const [query, message] of expected) {
      expect(executeQuery(query, tables, { now })).toEqual<EngineResult>({
        ok: false,
        code: 'BadArgumentError',
        innerCode: 'SemanticError',
        message,
      });
    }
  });

  it('reports syntax errors with position', () => {
    const result = executeQuery('SigninLogs\n| where ResultType ==', tables, { now });
    expect(result).toMatchObject({ ok: false, code: 'BadArgumentError', innerCode: 'SyntaxError' });
    expect(result.ok ? '' : result.message).toMatch(/line \[2,/);
  });

  it('reports unknown tables and columns as semantic errors', () => {
    expect(executeQuery('NoSuchTable', tables, { now })).toMatchObject({
      ok: false,
      innerCode: 'SemanticError',
      message: expect.stringContaining("'NoSuchTable'"),
    });
    expect(executeQuery('SigninLogs | where Nope == 1', tables, { now })).toMatchObject({
      ok: false,
      innerCode: 'SemanticError',
      message: expect.stringContaining("'Nope'"),
    });
    expect(executeQuery('.drop table SigninLogs', tables, { now })).toMatchObject({ ok: false });
    expect(executeQuery('', tables, { now })).toMatchObject({ ok: false, innerCode: 'SyntaxError' });
  });
});

describe('executeQuery over the published corpus', () => {
  const corpusTables = sampleTables(now, 1, 3_600_000);

  it('runs every published corpus query on one-row tables', () => {
    const corpus = loadCorpus();
    let supported = 0;
    const reasons = new Map<string, number>();
    for (const entry of corpus) {
      const result = executeQuery(entry.query, corpusTables, { now });
      if (result.ok) {
        supported++;
        expect(result.tables[0]?.columns.length, entry.name).toBeGreaterThan(0);
      } else {
        expect(result.code, `${entry.name}: ${result.message}`).toBe('BadArgumentError');
        reasons.set(result.message, (reasons.get(result.message) ?? 0) + 1);
      }
    }
    expect(Object.fromEntries(reasons)).toEqual({});
    expect(supported).toBe(corpus.length);
  });
});

describe('executeQuery runs the hunting templates', () => {
  it('answers every template for every entity kind', () => {
    const tablesFromSchema = sampleTables(now, 0, 0);

    const queries = buildHuntingQueries(incident(), ALL_KINDS, { maxQueries: 100 });
    expect(queries.length).toBeGreaterThan(10);
    for (const q of queries) {
      expect(executeQuery(q.query, tablesFromSchema, { now }), q.query).toMatchObject({ ok: true });
    }
  });
});
