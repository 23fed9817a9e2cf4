import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { armError, gatewayFor, startFakeArm, TEST_WORKSPACE, type FakeArm } from './fakeArm';

let fake: FakeArm;
beforeAll(async () => {
  fake = await startFakeArm();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

const TABLE = {
  name: 'PrimaryResult',
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'UserPrincipalName', type: 'string' },
    { name: 'Count', type: 'long' },
    { name: 'Risky', type: 'bool' },
    { name: 'Location', type: 'dynamic' },
    { name: 'Score', type: 'real' },
  ],
  // Strings for numbers and booleans, as in the published example; native values in the second row.
  rows: [
    ['2026-11-01T10:00:00Z', 'ana@contoso.com', '42', 'true', '{"city":"Oslo"}', '0.5'],
    ['2026-11-01T11:00:00.5Z', 'bo@contoso.com', 7, false, null, 1.25],
  ],
};

describe('AzureSentinelGateway.runQuery', () => {
  it('posts the query with timespan and Prefer: wait, and converts cells by column type', async () => {
    fake.route = () => ({ body: { tables: [TABLE] } });
    const result = await gatewayFor(fake).runQuery('SigninLogs | take 5', {
      timespan: 'P1D',
      serverTimeoutSeconds: 30,
    });

    const req = fake.requests[0];
    expect([req.method, req.path]).toEqual(['POST', `/v1/workspaces/${TEST_WORKSPACE.workspaceId}/query`]);
    expect(req.headers.prefer).toBe('wait=30');
    expect(JSON.parse(req.body)).toMatchObject({ query: 'SigninLogs | take 5', timespan: 'P1D' });

    expect(result).toEqual({
      status: 'Success',
      tables: [
        {
          name: 'PrimaryResult',
          columns: TABLE.columns,
          rows: [
            ['2026-11-01T10:00:00.000Z', 'ana@contoso.com', 42, true, { city: 'Oslo' }, 0.5],
            ['2026-11-01T11:00:00.500Z', 'bo@contoso.com', 7, false, null, 1.25],
          ],
        },
      ],
    });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('defaults the timespan to seven days and sends no Prefer header without a timeout', async () => {
    fake.route = () => ({ body: { tables: [] } });
    await gatewayFor(fake).runQuery('Heartbeat | take 1');
    expect(JSON.parse(fake.requests[0].body).timespan).toBe('P7D');
    expect(fake.requests[0].headers.prefer).toBeUndefined();
  });

  it('maps a partial failure with its tables and the error', async () => {
    fake.route = () => ({
      body: {
        tables: [TABLE],
        error: {
          code: 'PartialError',
          message: 'Query result was truncated',
          innererror: { code: 'E_QUERY_RESULT_SET_TOO_LARGE', message: 'over 64 MB' },
        },
      },
    });
    const result = await gatewayFor(fake).runQuery('SigninLogs');
    expect(result.status).toBe('PartialFailure');
    expect(result).toMatchObject({
      tables: [{ name: 'PrimaryResult', rows: expect.any(Array) }],
      error: 'PartialError: Query result was truncated (over 64 MB)',
    });
  });

  it('a rejected query (the SDK Failure case) throws BadRequest with the KQL error', async () => {
    fake.route = () => ({
      status: 400,
      body: {
        error: {
          ...armError('BadArgumentError', 'The request had some invalid properties').error,
          innererror: { code: 'SemanticError', message: "'Nope' could not be resolved" },
        },
      },
    });
    const error = await gatewayFor(fake)
      .runQuery('Nope | take 1')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'BadRequest', status: 400, code: 'BadArgumentError' });
    expect((error as Error).message).toMatch(/running the query.*could not be resolved/);
  });

  it('refuses an empty query locally', async () => {
    await expect(gatewayFor(fake).runQuery('   ')).rejects.toMatchObject({ kind: 'BadRequest' });
    expect(fake.requests).toHaveLength(0);
  });
});
