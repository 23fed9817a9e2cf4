import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../adaptive-cards/verbs';
import { createGateway } from '../../src/bot/compose';
import { loadConfig } from '../../src/config';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/server';
import { MANAGEMENT_REFUSAL } from '../../src/hunting/proposals';
import { SentinelError } from '../../src/sentinel/errors';
import type { BotHarness } from '../support/botHarness';
import {
  cardText,
  cardsIn,
  invokeCard,
  invokeMessage,
  recordingGateway,
  runQueryId,
  startHuntHarness,
  storeHuntQuery,
  tableRows,
  type RecordedRun,
} from './huntHarness';

/** Row cap, server timeout, refusals and failures, seen at the gateway the bot calls. */
describe('running hunts: limits, refusals and failures', () => {
  let demo: DemoWorkspace;
  let h: BotHarness;
  let recorder: ReturnType<typeof recordingGateway>;
  const conversationId = 'a:hunt-limits';

  beforeAll(async () => {
    demo = await startDemoWorkspace({ port: 0 });
    recorder = recordingGateway(
      createGateway(loadConfig({ DEMO_PORT: String(demo.port), LOG_LEVEL: 'warn' })),
    );
    h = await startHuntHarness({
      gateway: recorder.gateway,
      env: { KQL_ROW_CAP: '5', KQL_TIMEOUT_SECONDS: '17' },
    });
    await h.say('incident 1', { conversationId });
  });
  afterAll(async () => {
    await h.close();
    await demo.close();
  });

  async function postQuery(kql: string): Promise<string> {
    const { replies } = await h.say(`kql: ${kql}`, { conversationId });
    return runQueryId(cardsIn(replies)[0] ?? {});
  }

  it('applies the row cap and the server timeout, over the incident window', async () => {
    const queryId = await postQuery('SigninLogs | project TimeGenerated, UserPrincipalName, IPAddress');
    const runsBefore = recorder.runs.length;
    const before = h.teams.activities.length;
    const run = await h.click(VERBS.huntRun, { verb: VERBS.huntRun, queryId }, { conversationId });
    expect(cardText(invokeCard(run.body))).toMatch(/: 5 rows$/m);
    const calls = recorder.runs.slice(runsBefore);
    expect(calls).toHaveLength(1);
    const call = calls[0] as RecordedRun;
    expect(call.query).toBe('SigninLogs | project TimeGenerated, UserPrincipalName, IPAddress\n| take 5');
    expect(call.options?.serverTimeoutSeconds).toBe(17);
    const incident = demo.store.getByNumber(1);
    const [start, end] = (call.options?.timespan ?? '').split('/');
    expect(Date.parse(start ?? '')).toBeLessThanOrEqual(Date.parse(incident?.firstActivityTimeUtc ?? ''));
    expect(Date.parse(end ?? '')).toBeGreaterThanOrEqual(Date.parse(incident?.lastActivityTimeUtc ?? ''));
    expect(call.result?.tables[0]?.rows.length).toBe(5);
    const results = cardsIn(h.teams.activities.slice(before))[0] ?? {};
    expect(tableRows(results)).toHaveLength(6);
    expect(cardText(results)).toContain('the row cap of 5 was reached');
  });

  it('a query that already bounds its rows is run as written', async () => {
    const queryId = await postQuery('SigninLogs | summarize n = count() by ResultType');
    await h.click(VERBS.huntRun, { verb: VERBS.huntRun, queryId }, { conversationId });
    expect(recorder.runs.at(-1)?.query).toBe('SigninLogs | summarize n = count() by ResultType');
  });

  it('kql: with a mistyped column suggests the closest one and offers nothing to run', async () => {
    const { replies } = await h.say('kql: SigninLogs | where IpAddr == "185.220.101.4" | take 10', {
      conversationId,
    });
    expect(cardsIn(replies)).toEqual([]);
    expect(replies.map((r) => r.activity.text).join('\n')).toMatch(
      /The name 'IpAddr' does not refer to any known column.*Did you mean 'IPAddress'\?/,
    );
  });

  it('kql: .drop table is refused and nothing runs', async () => {
    const runsBefore = recorder.runs.length;
    const { replies } = await h.say('kql: .drop table SigninLogs', { conversationId });
    expect(replies.map((r) => r.activity.text)).toEqual([MANAGEMENT_REFUSAL]);
    expect(cardsIn(replies)).toEqual([]);
    expect(recorder.runs.length).toBe(runsBefore);
  });

  it.each([
    [
      'externaldata(x:string)[@"https://evil.example/x.csv"] | take 1',
      'externaldata reads from outside the workspace',
    ],
    ['cluster("evil").database("d").SigninLogs | take 1', 'cluster() reads from another Kusto cluster'],
    ['range x from 1 to 1e10 step 1', 'range would generate 9,999,999,999 rows (the limit is 1,000,000)'],
    [
      'SigninLogs | evaluate http_request("https://evil.example/")',
      'the http_request plugin reaches outside the workspace',
    ],
  ])('kql: %s is refused with its reason and no Run button', async (query, reason) => {
    const runsBefore = recorder.runs.length;
    const { replies } = await h.say(`kql: ${query}`, { conversationId });
    expect(replies.map((r) => r.activity.text)).toEqual([
      `✖ refused: ${reason}. I only run read-only queries over this workspace's own tables, so nothing was run.`,
    ]);
    expect(cardsIn(replies)).toEqual([]);
    expect(recorder.runs.length).toBe(runsBefore);
  });

  it.each([
    ['a management command', '.drop table SigninLogs', MANAGEMENT_REFUSAL],
    [
      'a query reaching another workspace',
      'SigninLogs | join (workspace("other").SigninLogs) on UserId',
      "✖ refused: workspace() reads from another Log Analytics workspace. I only run read-only queries over this workspace's own tables, so nothing was run.",
    ],
  ])('a stored query that is %s is refused on Run, nothing runs', async (_, query, refusal) => {
    const id = `forgedQuery${query.length.toString().padStart(14, '0')}`;
    await storeHuntQuery(h, id, {
      query,
      title: 'Forged',
      engine: 'x',
      incidentName: demo.store.getByNumber(1)?.name ?? '',
    });
    const runsBefore = recorder.runs.length;
    const run = await h.click(VERBS.huntRun, { verb: VERBS.huntRun, queryId: id }, { conversationId });
    expect(invokeMessage(run.body)).toBe(refusal);
    expect(recorder.runs.length).toBe(runsBefore);
  });

  it('a throttled or rejected run is explained plainly, the card stays usable', async () => {
    const queryId = await postQuery('SigninLogs | take 3');
    recorder.nextRun.fail = new SentinelError(
      'Throttled',
      'too many requests',
      429,
      'TooManyRequests',
      20_000,
    );
    const before = h.teams.activities.length;
    const throttled = await h.click(VERBS.huntRun, { verb: VERBS.huntRun, queryId }, { conversationId });
    expect(cardText(invokeCard(throttled.body))).toContain(
      'failed: Sentinel is busy (throttled); try again in 20 s.',
    );
    expect(h.teams.activities.slice(before).map((a) => a.activity.text)).toEqual([
      'The hunt “Your query” (incident #1) did not run: Sentinel is busy (throttled); try again in 20 s.',
    ]);
    recorder.nextRun.fail = new SentinelError(
      'BadRequest',
      "Query could not be parsed at 'x'",
      400,
      'SemanticError',
    );
    const rejected = await h.click(VERBS.huntRun, { verb: VERBS.huntRun, queryId }, { conversationId });
    expect(cardText(invokeCard(rejected.body))).toContain(
      "Log Analytics rejected the query: Query could not be parsed at 'x'",
    );
    recorder.nextRun.fail = new SentinelError('Unavailable', 'service unavailable', 503);
    const down = await h.click(VERBS.huntRun, { verb: VERBS.huntRun, queryId }, { conversationId });
    expect(cardText(invokeCard(down.body))).toContain('is unavailable right now');
  });

  it('partial results are shown with the error', async () => {
    const queryId = await postQuery('SigninLogs | take 3');
    recorder.nextRun.partial = 'PartialError: query exceeded the memory limit on one shard';
    const before = h.teams.activities.length;
    const run = await h.click(VERBS.huntRun, { verb: VERBS.huntRun, queryId }, { conversationId });
    expect(cardText(invokeCard(run.body))).toMatch(/: 3 rows \(partial results\)/);
    const results = cardsIn(h.teams.activities.slice(before))[0] ?? {};
    expect(cardText(results)).toContain(
      'Partial results: the query partly failed (PartialError: query exceeded the memory limit on one shard).',
    );
    expect(tableRows(results)).toHaveLength(4);
  });
});
