import { describe, expect, it } from 'vitest';
import { BUNDLED_SCHEMA, SchemaProvider, isBundledTable } from '../../src/kql/schema';
import { DEFENDER_TABLES, STANDARD_COLUMNS } from '../../src/kql/standardColumns';
import { closestName } from '../../src/kql/suggest';
import { columnReferences, validateKql } from '../../src/kql/validator';
import { createLogTables } from '../../src/demo/logTables';
import published from '../../src/kql/sentinel-tables.json';
import { getschemaResult } from './fixtures';

const errorsOf = async (query: string, schema = BUNDLED_SCHEMA): Promise<string[]> =>
  (await validateKql(query, schema)).errors.map((e) => `${e.code} ${e.snippet}`);

describe('bundled schema as Log Analytics returns it', () => {
  it('every table has the standard columns; the Defender tables also have Timestamp', () => {
    for (const [table, columns] of Object.entries(BUNDLED_SCHEMA)) {
      const names = columns.map((c) => c.name);
      for (const standard of STANDARD_COLUMNS) expect(names, table).toContain(standard.name);
      expect(names.includes('Timestamp'), table).toBe(DEFENDER_TABLES.has(table));
      expect(new Set(names).size, `${table} has no duplicate column`).toBe(names.length);
    }
  });

  it('keeps the published columns, in their order, before the added ones', () => {
    for (const [table, columns] of Object.entries(published)) {
      expect(BUNDLED_SCHEMA[table]?.slice(0, columns.length)).toEqual(columns);
    }
  });

  it('the demo workspace has the same tables and columns as the bundled schema', () => {
    const tables = createLogTables();
    for (const [table, columns] of Object.entries(BUNDLED_SCHEMA)) {
      expect(tables[table]?.columns, table).toEqual(columns);
    }
  });

  it.each([
    'EmailEvents | where Timestamp > ago(1d) | summarize count() by SenderFromAddress',
    'DeviceProcessEvents | where Timestamp > ago(1d) | project Timestamp, DeviceName',
    'SigninLogs | project TenantId, _ItemId, _ResourceId, Type, SourceSystem, _TimeReceived',
    'SecurityAlert | summarize sum(_BilledSize) by _IsBillable, SourceSystem, TenantId',
    'Heartbeat | where _SubscriptionId != "" | take 1',
  ])('accepts %s', async (query) => {
    expect(await errorsOf(query)).toEqual([]);
  });

  it('still rejects Timestamp where Log Analytics has none', async () => {
    expect(await errorsOf('SigninLogs | where Timestamp > ago(1d)')).toEqual(['KS142 Timestamp']);
  });
});

describe('AzureDiagnostics resource-specific columns', () => {
  it('accepts *_s, *_d, *_g, *_b and *_t names with the type of their suffix', async () => {
    const query = `AzureDiagnostics
| where requestUri_s has "vault" and httpStatusCode_d >= 400 and isRetry_b == false
| where identity_claim_oid_g !~ "00000000-0000-0000-0000-000000000000"
| where eventTime_t > ago(1d)
| extend upn = column_ifexists("identity_claim_upn_s", "")
| summarize max(httpStatusCode_d) by upn`;
    expect(await errorsOf(query)).toEqual([]);
  });

  it('types them by suffix: a real (_d) is not a string', async () => {
    const errors = await errorsOf('AzureDiagnostics | where httpStatusCode_d has "40"');
    expect(errors.length).toBeGreaterThan(0);
  });

  it('does not open other tables, nor names without the suffix', async () => {
    expect(await errorsOf('SigninLogs | where requestUri_s has "x"')).toEqual(['KS142 requestUri_s']);
    expect(await errorsOf('AzureDiagnostics | where requestUri has "x"')).toEqual(['KS142 requestUri']);
  });

  it("trusts the workspace's own getschema: a column it lacks is an error", async () => {
    const provider = new SchemaProvider(async () =>
      getschemaResult([
        ['TimeGenerated', 'datetime'],
        ['ResourceId', 'string'],
        ['requestUri_s', 'string'],
      ]),
    );
    const schema = await provider.getSchema(['AzureDiagnostics']);
    expect(isBundledTable(schema.AzureDiagnostics)).toBe(false);
    expect(await errorsOf('AzureDiagnostics | where requestUri_s has "x"', schema)).toEqual([]);
    expect(await errorsOf('AzureDiagnostics | where clientInfo_s has "x"', schema)).toEqual([
      'KS142 clientInfo_s',
    ]);
  });

  it('falls back to the open bundled table when getschema fails', async () => {
    const provider = new SchemaProvider(async () => Promise.reject(new Error('offline')));
    const schema = await provider.getSchema(['AzureDiagnostics']);
    expect(isBundledTable(schema.AzureDiagnostics)).toBe(true);
    expect(await errorsOf('AzureDiagnostics | where clientInfo_s has "x"', schema)).toEqual([]);
  });
});

describe('column_ifexists on an existing column', () => {
  it('is typed as the column, not as its default', async () => {
    expect(
      await errorsOf(
        'SigninLogs | extend loc = column_ifexists("LocationDetails", "") | extend city = loc.city',
      ),
    ).toEqual([]);
    expect(await errorsOf('SigninLogs | mv-expand column_ifexists("ConditionalAccessPolicies", "")')).toEqual(
      [],
    );
  });

  it('keeps the default typing when the column does not exist', async () => {
    const errors = await errorsOf('SigninLogs | mv-expand column_ifexists("NoSuchColumn", "")');
    expect(errors).toEqual(['KS141 column_ifexists("NoSuchColumn", "")']);
  });

  it('reports later errors at their place in the text the user wrote', async () => {
    const query = 'SigninLogs | extend loc = column_ifexists("LocationDetails", "") | where IpAddrZ == 1';
    const result = await validateKql(query, BUNDLED_SCHEMA);
    expect(result.errors.map((e) => [e.code, e.snippet, e.start])).toEqual([
      ['KS142', 'IpAddrZ', query.indexOf('IpAddrZ')],
    ]);
    const references = columnReferences(query, BUNDLED_SCHEMA);
    expect(references.map((r) => query.slice(r.start, r.start + r.length))).toEqual(
      references.map((r) => r.name),
    );
  });
});

describe('did you mean', () => {
  it.each([
    ['IpAddr', ['IPAddress', 'AppId', 'UserId'], 'IPAddress'],
    ['UserPrincipleName', ['UserPrincipalName', 'UserId'], 'UserPrincipalName'],
    ['accountname', ['AccountName', 'Account'], 'AccountName'],
    ['Foo', ['IPAddress', 'UserId'], undefined],
  ])('%s among %j → %s', (typed, candidates, expected) => {
    expect(closestName(typed, candidates)).toBe(expected);
  });

  it('suggests only columns of the tables the query reads', async () => {
    const result = await validateKql('SecurityEvent | where IpAddr == "1"', BUNDLED_SCHEMA);
    expect(result.errors[0]?.suggestion).toBe('IpAddress');
  });
});
