import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WORKSPACE } from '../../src/config';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/server';
import { LOGS_QUERY_PATH, call, errorCode } from './demoHttp';

interface QueryBody {
  tables: { name: string; columns: { name: string; type: string }[]; rows: unknown[][] }[];
}

let ws: DemoWorkspace;
beforeAll(async () => {
  ws = await startDemoWorkspace({ port: 0 });
});
afterAll(async () => {
  await ws.close();
});

describe('Log Analytics query API', () => {
  it('answers a POST query with PrimaryResult tables, honouring Prefer: wait', async () => {
    const res = await call(ws, LOGS_QUERY_PATH, {
      method: 'POST',
      headers: { prefer: 'wait=60' },
      body: {
        query:
          "SigninLogs | where IPAddress == '185.220.101.45' | summarize Attempts = count() by ResultType | order by Attempts desc",
        timespan: 'P7D',
      },
    });
    expect(res.status).toBe(200);
    const table = (res.body as QueryBody).tables[0]!;
    expect(table.name).toBe('PrimaryResult');
    expect(table.columns.map((c) => c.name)).toEqual(['ResultType', 'Attempts']);
    expect(table.rows[0]).toEqual(['50126', 27]);
  });

  it('answers GET ?query= the same way', async () => {
    const res = await call(
      ws,
      `${LOGS_QUERY_PATH}?query=${encodeURIComponent('SecurityIncident | summarize dcount(IncidentNumber)')}&timespan=P30D`,
    );
    expect(res.status).toBe(200);
    expect((res.body as QueryBody).tables[0]!.rows).toEqual([[12]]);
  });

  it('sends dynamic cells as JSON text, as Log Analytics does', async () => {
    const res = await call(ws, LOGS_QUERY_PATH, {
      method: 'POST',
      body: { query: 'SecurityIncident | where IncidentNumber == 1 | project Owner | take 1' },
    });
    const cell = (res.body as QueryBody).tables[0]!.rows[0]![0];
    expect(typeof cell).toBe('string');
    expect(JSON.parse(cell as string)).toMatchObject({ email: 'priya.sharma@contoso.com' });
  });

  it('reports query errors in Log Analytics error shape', async () => {
    const res = await call(ws, LOGS_QUERY_PATH, { method: 'POST', body: { query: 'NoSuchTable | take 1' } });
    expect(res.status).toBe(400);
    const error = (res.body as { error: { code: string; message: string; innererror: { code: string } } })
      .error;
    expect(error.code).toBe('BadArgumentError');
    expect(typeof error.message).toBe('string');
    expect(['SyntaxError', 'SemanticError']).toContain(error.innererror.code);
  });

  it('400 for a missing query or malformed JSON, 401 without a token, 404 for another workspace', async () => {
    const missing = await call(ws, LOGS_QUERY_PATH, { method: 'POST', body: { timespan: 'P1D' } });
    expect([missing.status, errorCode(missing.body)]).toEqual([400, 'BadArgumentError']);
    const malformed = await call(ws, LOGS_QUERY_PATH, { method: 'POST', rawBody: '{"query":' });
    expect([malformed.status, errorCode(malformed.body)]).toEqual([400, 'BadArgumentError']);
    const noAuth = await call(ws, LOGS_QUERY_PATH, { method: 'POST', body: { query: 'Usage' }, auth: false });
    expect(noAuth.status).toBe(401);
    const other = await call(ws, '/v1/workspaces/22222222-2222-2222-2222-222222222222/query', {
      method: 'POST',
      body: { query: 'Usage' },
    });
    expect([other.status, errorCode(other.body)]).toEqual([404, 'WorkspaceNotFoundError']);
  });

  it('lists the tables it holds, with columns, at /metadata', async () => {
    const res = await call(ws, `/v1/workspaces/${DEMO_WORKSPACE.workspaceId}/metadata`);
    expect(res.status).toBe(200);
    const tables = (res.body as { tables: { name: string; columns: { name: string; type: string }[] }[] })
      .tables;
    const signin = tables.find((t) => t.name === 'SigninLogs');
    expect(signin?.columns).toContainEqual({ name: 'IPAddress', type: 'string' });
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['SecurityIncident', 'SecurityAlert', 'DeviceProcessEvents', 'Usage']),
    );
  });
});
