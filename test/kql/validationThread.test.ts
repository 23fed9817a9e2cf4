import { describe, expect, it } from 'vitest';
import { BUNDLED_SCHEMA } from '../../src/kql/schema';
import { validateKql } from '../../src/kql/validator';

describe('validation off the main thread', () => {
  it('checks queries on a worker: the language service is never loaded on this thread', async () => {
    const valid = await validateKql(
      'SigninLogs | where IPAddress == "203.0.113.7" | take 1',
      BUNDLED_SCHEMA,
      {
        rowCap: 10,
      },
    );
    expect(valid).toMatchObject({ valid: true, tables: ['SigninLogs'] });
    const invalid = await validateKql('SigninLogs | where IpAddr == "1"', BUNDLED_SCHEMA, { rowCap: 10 });
    expect(invalid.errors[0]?.suggestion).toBe('IPAddress');
    expect(invalid.cappedQuery).toBeUndefined();
    expect((globalThis as { Kusto?: unknown }).Kusto).toBeUndefined();
  });

  it('returns the capped query with a valid one', async () => {
    const result = await validateKql('SigninLogs | project UserPrincipalName', BUNDLED_SCHEMA, { rowCap: 7 });
    expect(result.cappedQuery).toBe('SigninLogs | project UserPrincipalName\n| take 7');
  });

  it('keeps the bundled-schema leniency across the thread boundary', async () => {
    const result = await validateKql('AzureDiagnostics | where clientInfo_s has "x"', BUNDLED_SCHEMA);
    expect(result.errors).toEqual([]);
  });
});
