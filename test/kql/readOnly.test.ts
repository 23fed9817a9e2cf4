import { describe, expect, it } from 'vitest';
import { MAX_GENERATED_ROWS } from '../../src/kql/readOnly';
import { BUNDLED_SCHEMA } from '../../src/kql/schema';
import { isReadOnlyQuery, readOnlyRefusal, validateKql } from '../../src/kql/validator';

/** Each refusal class, with the reason the analyst reads. */
const REFUSED: [string, string, RegExp][] = [
  [
    'externaldata(x:string)[@"https://evil.example/a.csv"] | take 1',
    'EXTERNAL_DATA',
    /^externaldata reads from outside the workspace$/,
  ],
  [
    'let iocs = externaldata(ip:string)[h@"https://evil.example/ioc"] with (format="csv");\nSigninLogs | where IPAddress in (iocs)',
    'EXTERNAL_DATA',
    /^externaldata/,
  ],
  ['external_table("Sink") | take 1', 'EXTERNAL_DATA', /^external_table\(\)/],
  [
    'cluster("help").database("Samples").StormEvents | take 1',
    'CROSS_SCOPE',
    /^cluster\(\) reads from another Kusto cluster$/,
  ],
  ['database("Other").SigninLogs | take 1', 'CROSS_SCOPE', /^database\(\)/],
  ['workspace("other-ws").SigninLogs | take 1', 'CROSS_SCOPE', /^workspace\(\)/],
  ['app("fabrikam-app").requests | take 1', 'CROSS_SCOPE', /^app\(\)/],
  ['adx("https://help.kusto.windows.net/Samples").StormEvents | take 1', 'CROSS_SCOPE', /^adx\(\)/],
  ['arg("").Resources | take 1', 'CROSS_SCOPE', /^arg\(\)/],
  ['resource("/subscriptions/x/resourceGroups/y").AzureActivity | take 1', 'CROSS_SCOPE', /^resource\(\)/],
  ['union SigninLogs, workspace("b").SigninLogs | take 1', 'CROSS_SCOPE', /^workspace\(\)/],
  ['let f = (t:string) { cluster("c").database("d").T }; f("x")', 'CROSS_SCOPE', /^cluster\(\)/],
  [
    'SigninLogs | evaluate http_request("https://evil.example/")',
    'PLUGIN',
    /^the http_request plugin reaches outside/,
  ],
  [
    'SigninLogs | evaluate http_request_post("https://evil.example/", dynamic({}), "x")',
    'PLUGIN',
    /http_request_post/,
  ],
  ['evaluate sql_request("Server=tcp:x", "select 1")', 'PLUGIN', /sql_request/],
  ['evaluate cosmosdb_sql_request("AccountEndpoint=x", "select 1")', 'PLUGIN', /cosmosdb_sql_request/],
  ['evaluate mysql_request("Server=x", "select 1")', 'PLUGIN', /mysql_request/],
  ['evaluate postgresql_request("Host=x", "select 1")', 'PLUGIN', /postgresql_request/],
  [
    'evaluate azure_digital_twins_query_request("https://x", "SELECT T FROM DIGITALTWINS T")',
    'PLUGIN',
    /azure_digital_twins_query_request/,
  ],
  ['SigninLogs | evaluate python(typeof(*), "result = df")', 'PLUGIN', /^the python plugin runs code/],
  ['SigninLogs | evaluate r(typeof(*), "result <- df")', 'PLUGIN', /^the r plugin runs code/],
  ['SigninLogs | evaluate ai_embed_text("x", "https://x")', 'PLUGIN', /external AI service/],
  ['SigninLogs | evaluate some_new_plugin()', 'PLUGIN', /not one of the local plugins/],
  [
    'range x from 1 to 1e10 step 1',
    'GENERATOR',
    /^range would generate 9,999,999,999 rows \(the limit is 1,000,000\)$/,
  ],
  ['range x from 1 to 10 step 0', 'GENERATOR', /unbounded/],
  ['range t from ago(3650d) to now() step 1s', 'GENERATOR', /^range would generate/],
  [
    'SigninLogs | extend n = toint(ResultType) | take 1 | mv-expand r = range(1, 100000000000)',
    'GENERATOR',
    /^range\(\)/,
  ],
  ['print r = repeat("x", 1e12)', 'GENERATOR', /^repeat\(\)/],
  ['let n = toscalar(SigninLogs | count); range x from 1 to n step 1', 'GENERATOR', /^range needs constant/],
  ['.drop table SigninLogs', 'MANAGEMENT_COMMAND', /management commands/],
];

describe('read-only check: refusals', () => {
  it.each(REFUSED)('%s → %s', async (query, code, reason) => {
    const refusal = readOnlyRefusal(query);
    expect(refusal?.code).toBe(code);
    expect(refusal?.reason).toMatch(reason);
    expect(isReadOnlyQuery(query)).toBe(false);
    const checked = await validateKql(query, BUNDLED_SCHEMA);
    expect(checked.valid).toBe(false);
    expect(checked.errors[0]?.code).toBe(code);
    expect(checked.refusal).toMatch(reason);
  });

  it('points at the offending expression', async () => {
    const query = 'SigninLogs\n| join (cluster("x").database("y").T) on UserId';
    const checked = await validateKql(query, BUNDLED_SCHEMA);
    expect(checked.errors[0]).toMatchObject({ code: 'CROSS_SCOPE', line: 2, snippet: 'cluster("x")' });
  });
});

describe('read-only check: what it allows', () => {
  it.each([
    [
      'names in comments and strings',
      'SigninLogs // externaldata cluster("x") evaluate http_request\n| where AppDisplayName in ("externaldata", "cluster(\\"x\\")") | take 1',
    ],
    ['local plugins', 'SigninLogs | take 10 | evaluate bag_unpack(LocationDetails)'],
    [
      'ipv4_lookup',
      'let r = datatable(net:string)["10.0.0.0/8"]; SigninLogs | evaluate ipv4_lookup(r, IPAddress, net)',
    ],
    ['a bounded range', 'range d from ago(7d) to now() step 1h'],
    [
      'a range sized by let constants',
      'let lookback = 14d; let start = ago(lookback); range t from start to now() step 1d',
    ],
    ['range() arrays of constant size', 'print r = range(1, 1000, 1)'],
    ['table() over workspace tables', 'let f = (t:string) { table(t) | take 1 }; f("SigninLogs")'],
    [
      'make-series over a range',
      'SigninLogs | make-series n = count() on TimeGenerated from ago(7d) to now() step 1h',
    ],
  ])('%s', async (_, query) => {
    expect(readOnlyRefusal(query)).toBeUndefined();
    expect((await validateKql(query, BUNDLED_SCHEMA)).refusal).toBeUndefined();
  });

  it('allows exactly the row limit and refuses one more', () => {
    expect(readOnlyRefusal(`range x from 1 to ${MAX_GENERATED_ROWS} step 1`)).toBeUndefined();
    expect(readOnlyRefusal(`range x from 0 to ${MAX_GENERATED_ROWS + 1} step 1`)?.code).toBe('GENERATOR');
  });
});
