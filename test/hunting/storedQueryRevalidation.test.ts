import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../adaptive-cards/verbs';
import { createGateway } from '../../src/bot/compose';
import { loadConfig } from '../../src/config';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/server';
import type { BotHarness } from '../support/botHarness';
import { invokeMessage, recordingGateway, startHuntHarness, storeHuntQuery } from './huntHarness';

/**
 * Issue #16 item 10: Run re-validates the stored query (read-only, valid against today's schema) before
 * anything reaches Log Analytics. Skipping that step passed every test; these records were never
 * validated (forged, or saved before a schema change), and none of them may run.
 */
describe('Run re-validates a stored query', () => {
  let demo: DemoWorkspace;
  let h: BotHarness;
  let runs: ReturnType<typeof recordingGateway>['runs'];

  beforeAll(async () => {
    demo = await startDemoWorkspace({ port: 0 });
    const recorded = recordingGateway(createGateway(loadConfig({ DEMO_PORT: String(demo.port) })));
    runs = recorded.runs;
    h = await startHuntHarness({ gateway: recorded.gateway, env: { POLL_INTERVAL_SECONDS: '0' } });
  });
  afterAll(async () => {
    await h.close();
    await demo.close();
  });

  it.each([
    ['an unknown column', 'SigninLogs | where NoSuchColumn == 1', /no longer validates/],
    ['a management command', '.drop table SigninLogs', /management|not run|read-only/i],
    ['an unknown table', 'NoSuchTable | take 5', /no longer validates/],
  ])('does not run a stored query with %s', async (_what, query, answer) => {
    const incident = await h.gateway.getIncidentByNumber(1);
    const id = `stored-${query.length}-${Math.random().toString(36).slice(2, 12)}`;
    await storeHuntQuery(h, id, { query, title: 'Forged', engine: 'x', incidentName: incident?.name ?? '' });
    const before = runs.length;
    const { body } = await h.click(VERBS.huntRun, { verb: VERBS.huntRun, queryId: id });
    expect(invokeMessage(body)).toMatch(answer);
    expect(runs.slice(before)).toEqual([]);
  });

  it('runs a stored query that still validates (the check is not a blanket refusal)', async () => {
    const incident = await h.gateway.getIncidentByNumber(1);
    const id = `stored-valid-${Math.random().toString(36).slice(2, 12)}`;
    await storeHuntQuery(h, id, {
      query: 'SigninLogs | take 3',
      title: 'Valid',
      engine: 'x',
      incidentName: incident?.name ?? '',
    });
    const before = runs.length;
    await h.click(VERBS.huntRun, { verb: VERBS.huntRun, queryId: id });
    expect(runs.slice(before).map((r) => r.query)).toEqual([expect.stringContaining('SigninLogs | take 3')]);
  });
});
