import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../adaptive-cards/verbs';
import { createSentinelClients } from '../../src/sentinel/clients';
import { toIncidentPutBody } from '../../src/sentinel/mapping';
import { startBotHarness, type BotHarness } from '../support/botHarness';
import { FakeGateway } from '../support/fakeGateway';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';
import { HOSTILE_LINKS, HOSTILE_TEXT } from '../support/hostileLinks';
import { judgeActivity, judgeInvokeBody, type Finding } from '../support/linkOracle';

/**
 * Issue #16 item 3, through the bot as Teams drives it: hostile image/link payloads in an incident's
 * title and description and in the model's answers, pushed through every surface (the incidents list,
 * the incident card, model answers streamed and not, the built-in answer, the Analyze fallback, the
 * status form, a query card, error text). Everything the bot sent is judged by an independent renderer
 * (test/support/linkOracle.ts): 0 remote images and 0 live foreign links.
 */
describe('no remote image and no live foreign link reaches Teams, on any surface', () => {
  let ai: FakeOpenAI;
  let h: BotHarness;
  const invokeBodies: unknown[] = [];
  const channel = { conversationType: 'groupChat' as const };

  beforeAll(async () => {
    ai = await startFakeOpenAI();
    ai.setDefault({ content: `${HOSTILE_TEXT}\nEvidence: none` });
    h = await startBotHarness({ env: { OPENAI_BASE_URL: ai.baseUrl, OPENAI_API_KEY: 'sk-test-key' } });
    // Attacker-shaped incident data, written straight through the SDK as an alert provider would.
    const clients = createSentinelClients(h.config.sentinel);
    const incident = await h.gateway.getIncidentByNumber(1);
    if (!incident) throw new Error('demo incident 1 missing');
    const ws = h.config.sentinel.workspace;
    await clients.securityInsights.incidents.createOrUpdate(
      ws.resourceGroup,
      ws.workspaceName,
      incident.name,
      {
        ...toIncidentPutBody(incident, {}),
        title: HOSTILE_LINKS.join(' '),
        description: HOSTILE_TEXT,
      },
    );
  });

  afterAll(async () => {
    await h.close();
    await ai.close();
  });

  it('drives every surface, then finds nothing in what was sent', async () => {
    await h.say('incidents');
    await h.say('incident 1', channel);
    await h.say('in incident 1, what happened?', channel); // model answer, one message
    await h.say('in incident 1, who is involved?'); // model answer, streamed (personal chat)
    ai.script({ status: 400 });
    await h.say('in incident 1, what next?', channel); // built-in analyst after a model failure
    ai.script({ status: 400 });
    const analyze = await h.click(VERBS.analyze, { incidentNumber: 1 }, channel);
    invokeBodies.push(analyze.body);
    await h.teams.waitFor((a) => String(a.activity.text ?? '').includes('Analysis of incident #1'), 15_000);
    invokeBodies.push((await h.click(VERBS.changeStatus, { incidentNumber: 1 }, channel)).body);
    await h.say(
      'kql: SigninLogs | where UserPrincipalName == "![x](//evil.example/q.png) www.evil.example/a"',
    );
    await h.say(
      'kql: SigninLogs | where NoSuchColumn == "https://evil.example/x ![y](//evil.example/y.png)"',
    );

    const sent = [...h.teams.activities, ...h.teams.updates, ...h.teams.typing];
    const findings: Finding[] = [
      ...sent.flatMap((a, i) => judgeActivity(a.activity, `${a.kind} #${i}`)),
      ...invokeBodies.flatMap((b, i) => judgeInvokeBody(b, `invoke #${i}`)),
    ];
    expect(findings).toEqual([]);

    // The payloads did arrive (defanged), so the emptiness above means something.
    const allText = JSON.stringify(sent.map((a) => a.activity));
    expect(allText).toContain('evil[.]example');
    expect(ai.requests.length).toBeGreaterThanOrEqual(4);
    // Item 8: the answer footer names the engine, never the model server's host and port.
    const port = new URL(ai.baseUrl).port;
    expect(allText).toContain('via OpenAI-compatible server');
    expect(allText).not.toContain(`:${port}`);
  });
});

describe('text no renderer made safe still passes the outbound gate', () => {
  let h: BotHarness;
  const gateway = new FakeGateway();
  beforeAll(async () => {
    h = await startBotHarness({ gateway, env: { POLL_INTERVAL_SECONDS: '0' } });
  });
  afterAll(() => h.close());

  it('an apology quoting an attacker-chosen activity id', async () => {
    gateway.failNext('listIncidents', new Error('boom'));
    const activity = h.teams.message('incidents', { id: 'x ![x](//evil.example/q.png) www.evil.example/a' });
    await h.post(activity);
    const reply = h.teams.activities.find((a) => String(a.activity.text ?? '').includes('went wrong'));
    expect(reply?.activity.text).toContain('evil[.]example');
    expect(judgeActivity(reply?.activity ?? {})).toEqual([]);
  });
});
