import { afterAll, describe, expect, it } from 'vitest';
import { executeQuery } from '../../../src/demo/kql/engine';
import { IsolatedEngine } from '../../../src/demo/kql/isolatedEngine';
import { serverTimeoutMs } from '../../../src/demo/logsRoutes';
import { sampleTables } from '../../kql/corpus';

const now = new Date('2024-05-03T00:00:00Z');
/** 2,000 sign-ins: a 3-way self-join on one key is 8e9 rows, far past any heap. */
const tables = sampleTables(now, 2_000, 60_000);
const THREE_WAY = `SigninLogs
| join kind=inner (SigninLogs) on UserPrincipalName
| join kind=inner (SigninLogs) on UserPrincipalName
| summarize count()`;

describe('demo engine bounds', () => {
  const engine = new IsolatedEngine({ maxHeapMb: 256 });
  afterAll(() => engine.close());

  it('a 3-way self-join of SigninLogs ends in a Log Analytics-style error, not heap exhaustion', async () => {
    const result = await engine.execute(THREE_WAY, tables, { now, timeoutMs: 10_000 });
    expect(result).toMatchObject({ ok: false, code: 'BadArgumentError', innerCode: 'LimitsExceeded' });
    expect(result.ok ? '' : result.message).toMatch(/^Query execution has exceeded the allowed limits: /);
    // The worker lives on: the next query runs.
    const next = await engine.execute('SigninLogs | count', tables, { now, timeoutMs: 20_000 });
    expect(next).toMatchObject({ ok: true });
  }, 120_000);

  it('the cell budget stops a join as it grows, in-process too', { timeout: 120_000 }, () => {
    const result = executeQuery(THREE_WAY, tables, { now, maxCells: 1_000_000 });
    expect(result).toMatchObject({ ok: false, innerCode: 'LimitsExceeded' });
    expect(result.ok ? '' : result.message).toMatch(/more than 1,000,000 cells/);
  });

  it('the deadline stops a long query, in-process too', () => {
    const result = executeQuery(THREE_WAY, tables, { now, timeoutMs: 0, maxCells: Infinity });
    expect(result).toMatchObject({ ok: false, innerCode: 'LimitsExceeded' });
    expect(result.ok ? '' : result.message).toMatch(/ran past the server timeout/);
  });

  it('a query past its deadline in the worker is cut by ending the worker', async () => {
    // No cell budget: only the hard deadline (terminating the thread) can stop it.
    const result = await engine.execute(THREE_WAY, tables, { now, timeoutMs: 1_500, maxCells: Infinity });
    expect(result).toMatchObject({ ok: false, innerCode: 'LimitsExceeded' });
    expect(result.ok ? '' : result.message).toMatch(/server timeout of 2 s|needed more than the 256 MB/);
    const next = await engine.execute('SigninLogs | take 1', tables, { now, timeoutMs: 20_000 });
    expect(next).toMatchObject({ ok: true });
  }, 120_000);

  it.each([
    [undefined, 30_000],
    ['wait=17', 17_000],
    ['response-v1=true, wait=5', 5_000],
    ['wait=100000', 180_000],
  ])('Prefer %s → a server timeout of %i ms', (prefer, ms) => {
    expect(serverTimeoutMs(prefer)).toBe(ms);
  });
});
