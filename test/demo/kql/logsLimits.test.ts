import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoWorkspace, type DemoWorkspace } from '../../../src/demo/server';
import { LOGS_QUERY_PATH, call } from '../demoHttp';

/** The demo workspace's query route keeps every query bounded, as a reader reaches it over HTTP. */
describe('demo workspace: heavy queries end in a Log Analytics error, the server keeps serving', () => {
  let demo: DemoWorkspace;
  beforeAll(async () => {
    demo = await startDemoWorkspace({ port: 0 });
  });
  afterAll(() => demo.close());

  it('a 3-way self-join of SigninLogs answers 400 LimitsExceeded within the requested timeout', async () => {
    const query =
      'SigninLogs | join kind=inner (SigninLogs) on TenantId | join kind=inner (SigninLogs) on TenantId | count';
    const heavy = await call(demo, LOGS_QUERY_PATH, {
      method: 'POST',
      body: { query },
      headers: { prefer: 'wait=20' },
    });
    expect(heavy.status).toBe(400);
    expect(heavy.body).toMatchObject({
      error: { code: 'BadArgumentError', innererror: { code: 'LimitsExceeded' } },
    });
    expect(JSON.stringify(heavy.body)).toContain('Query execution has exceeded the allowed limits');
    const next = await call(demo, LOGS_QUERY_PATH, { method: 'POST', body: { query: 'SigninLogs | count' } });
    expect(next.status).toBe(200);
  }, 120_000);

  it('an unsupported feature answers 400 naming it, in the Log Analytics error shape', async () => {
    const response = await call(demo, LOGS_QUERY_PATH, {
      method: 'POST',
      body: { query: 'SigninLogs | evaluate autocluster()' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        code: 'BadArgumentError',
        message: "The demo workspace does not support the 'autocluster' plugin",
        innererror: {
          code: 'SemanticError',
          message: "The demo workspace does not support the 'autocluster' plugin",
        },
      },
    });
  }, 120_000);
});
