import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VERBS } from '../../adaptive-cards/verbs';
import {
  type FakeOpenAI,
  type RecordedRequest,
  type ScriptedReply,
  startFakeOpenAI,
} from '../support/fakeOpenAI';
import {
  cardFromUpdate,
  cardTexts,
  executeVerbs,
  invokeCard,
  planButton,
  startCardActionsHarness,
  type CardActionsHarness,
} from './cardActionsHarness';

const TASKS_JSON = JSON.stringify({
  tasks: [
    { title: 'Contain the incident', steps: ['Follow the containment runbook'], why: 'the alerts' },
    { title: 'Hunt for related activity', steps: ['Search the logs'], why: 'scope' },
    { title: 'Brief the incident manager', steps: ['Send a summary'], why: 'process' },
  ],
});
const ANALYSIS =
  'The incident shows a download cradle <script>alert(1)</script> & more.\n\n![beacon](https://evil.example/pixel.png)\n\nSee [details](https://evil.example/x).\n\nEvidence: none';

/** JSON-schema requests (tasks) get task JSON; plain ones (analysis) get text. */
function replyFor(delayMs: number, tasks = TASKS_JSON): (r: RecordedRequest) => ScriptedReply {
  return (r) => ({ delayMs, content: r.body.response_format ? tasks : ANALYSIS });
}

describe('long card actions with a model (fake OpenAI-compatible server)', () => {
  let ai: FakeOpenAI;
  let t: CardActionsHarness;
  const incident = (n: number) => {
    const i = t.h.demo?.store.getByNumber(n);
    if (!i) throw new Error(`no incident #${n}`);
    return i;
  };
  const taskRequests = () => ai.requests.filter((r) => r.body.response_format !== undefined).length;

  beforeAll(async () => {
    ai = await startFakeOpenAI();
    t = await startCardActionsHarness({ env: { OPENAI_BASE_URL: ai.baseUrl, OPENAI_API_KEY: 'test' } });
  });
  afterAll(async () => {
    await t.close();
    await ai.close();
  });
  beforeEach(() => {
    ai.clear();
    ai.setDefault(replyFor(0));
  });

  it('2 concurrent clicks on Add tasks: one model call, one proposal; 2 concurrent adds: one set of tasks', async () => {
    ai.setDefault(replyFor(300));
    const before = incident(1).tasks.length;
    const clicks = await Promise.all([
      t.click(VERBS.addTasks, 1, 'card-1'),
      t.click(VERBS.addTasks, 1, 'card-1'),
    ]);
    for (const c of clicks) expect(cardTexts(invokeCard(c.body))).toContain('Proposing remediation tasks…');
    const proposal = planButton(cardFromUpdate(await t.finalUpdate('card-1')));
    expect(proposal?.count).toBe(3);
    expect(incident(1).tasks).toHaveLength(before);
    expect(taskRequests()).toBe(1);
    const data = { planId: proposal?.planId ?? '' };
    await Promise.all([
      t.click(VERBS.addPlannedTasks, 1, 'card-1', { data }),
      t.click(VERBS.addPlannedTasks, 1, 'card-1', { data }),
    ]);
    await t.finalUpdate('card-1');
    expect(incident(1).tasks).toHaveLength(before + 3);
    expect(taskRequests()).toBe(1);
  });

  it('10 concurrent adds of one plan (from two cards of the incident): one set of tasks', async () => {
    ai.setDefault(replyFor(300));
    await t.click(VERBS.addTasks, 2, 'card-2a', { conversationType: 'channel' });
    const proposal = planButton(cardFromUpdate(await t.finalUpdate('card-2a')));
    const clicks = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.click(VERBS.addPlannedTasks, 2, i % 2 === 0 ? 'card-2a' : 'card-2b', {
          conversationType: 'channel',
          data: { planId: proposal?.planId ?? '' },
        }),
      ),
    );
    expect(clicks.every((c) => c.status === 200)).toBe(true);
    await t.runtime.jobs.settled();
    const titles = incident(2).tasks.map((x) => x.title);
    expect(titles.filter((x) => x === 'Contain the incident')).toHaveLength(1);
    expect(titles.filter((x) => x === 'Hunt for related activity')).toHaveLength(1);
    expect(taskRequests()).toBe(1);
  });

  it("the model's harmful tasks never reach the card or Sentinel", async () => {
    ai.setDefault(
      replyFor(
        0,
        JSON.stringify({
          tasks: [
            {
              title: 'Block IP 73.42.118.207',
              steps: ['Block it at the firewall'],
              why: 'seen in the incident',
            },
            {
              title: 'Reset the password of patti.fernandez@contoso.com',
              steps: ['Reset it'],
              why: 'sprayed',
            },
            { title: 'Isolate the host', steps: ['Isolate'], why: 'standard' },
            {
              title: 'Block the attacker address 185.220.101.45',
              steps: ['Add a blocked location'],
              why: 'Tor exit, spray source',
            },
          ],
        }),
      ),
    );
    await t.click(VERBS.addTasks, 1, 'card-harm-1');
    const card = cardFromUpdate(await t.finalUpdate('card-harm-1'));
    const proposal = planButton(card);
    expect(proposal?.count).toBe(1);
    const text = cardTexts(card);
    expect(text).toContain('1. Block the attacker address 185.220.101.45');
    expect(text).toMatch(
      /Not proposed by the safety check: Block IP 73\.42\.118\.207 \(73\.42\.118\.207 is legitimate/,
    );
    expect(text).toContain('patti.fernandez@contoso.com was only targeted');
    expect(text).toContain('the incident has no host');
  });

  it('a Teams retry while the first invoke is still working joins it (2 s model)', async () => {
    ai.setDefault(replyFor(2000));
    const started = Date.now();
    const first = await t.click(VERBS.addTasks, 3, 'card-3', { conversationType: 'groupChat' });
    const firstMs = Date.now() - started;
    expect(cardTexts(invokeCard(first.body))).toContain('Proposing remediation tasks… (Alex Analyst)');
    await new Promise((r) => setTimeout(r, 500));
    const retry = await t.click(VERBS.addTasks, 3, 'card-3', { conversationType: 'groupChat' });
    const retryText = cardTexts(invokeCard(retry.body));
    expect(retryText).toContain('Proposing remediation tasks… (Alex Analyst)');
    expect(executeVerbs(invokeCard(retry.body))).toEqual([]);
    expect(firstMs).toBeLessThan(1500);
    const final = cardFromUpdate(await t.finalUpdate('card-3'));
    expect(cardTexts(final)).toContain('3 tasks proposed by Alex Analyst');
    expect(incident(3).tasks).toHaveLength(0);
    expect(taskRequests()).toBe(1);
  });

  it('invalid JSON from the model: a clear message on the card, no tasks written; a later click can retry', async () => {
    ai.setDefault(replyFor(0, '{"tasks":[{"title":"Isolate'));
    await t.click(VERBS.addTasks, 5, 'card-5');
    const final = cardFromUpdate(await t.finalUpdate('card-5'));
    expect(cardTexts(final)).toContain(
      "Could not propose remediation tasks: the model's answer was not valid JSON",
    );
    expect(cardTexts(final)).toContain('No tasks were written');
    expect(incident(5).tasks).toHaveLength(0);

    ai.setDefault(replyFor(0));
    await t.click(VERBS.addTasks, 5, 'card-5');
    expect(planButton(cardFromUpdate(await t.finalUpdate('card-5')))?.count).toBe(3);
    expect(incident(5).tasks).toHaveLength(0);
  });

  it('the comment is HTML-safe: <script> escaped, markdown image and remote links stripped, signed as AI', async () => {
    const before = incident(7).comments.length;
    await t.click(VERBS.postComment, 7, 'card-7');
    await t.finalUpdate('card-7');
    const comments = incident(7).comments;
    expect(comments).toHaveLength(before + 1);
    const message = comments[comments.length - 1]?.message ?? '';
    expect(message).not.toContain('<script>');
    expect(message).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
    expect(message).not.toContain('https://evil.example');
    expect(message).toContain('[image removed: beacon]');
    expect(message).toContain('Posted from Teams by Alex Analyst — AI-generated, verify before acting');
  });

  it('Analyze with the model posts a labelled, sanitised answer', async () => {
    await t.click(VERBS.analyze, 9, 'card-9', { conversationType: 'channel' });
    await t.finalUpdate('card-9');
    const reply = t.h.teams.activities.find((a) => a.replyToId === 'card-9');
    const text = reply?.activity.text ?? '';
    expect(text).toContain('AI-generated — verify before acting');
    expect(text).toContain('&lt;script&gt;');
    expect(text).not.toContain('](https://evil.example');
  });

  it('measures click → refreshed card: built-in analyst vs a model with 2 s latency', async () => {
    const measure = async (cardId: string, incidentNumber: number) => {
      const start = Date.now();
      const { body } = await t.click(VERBS.addTasks, incidentNumber, cardId);
      const answeredMs = Date.now() - start;
      expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
      await t.h.teams.waitFor(
        (a) =>
          a.kind === 'update' &&
          a.activityId === cardId &&
          cardTexts(cardFromUpdate(a)).includes('proposed by'),
        10_000,
      );
      return { answeredMs, refreshedMs: Date.now() - start };
    };
    ai.setDefault(replyFor(2000));
    const model = await measure('card-measure-model', 10);
    const builtin = await startCardActionsHarness({ feature: { model: null } });
    try {
      const start = Date.now();
      await builtin.click(VERBS.addTasks, 10, 'card-measure-builtin');
      const answeredMs = Date.now() - start;
      await builtin.h.teams.waitFor(
        (a) =>
          a.kind === 'update' &&
          a.activityId === 'card-measure-builtin' &&
          cardTexts(cardFromUpdate(a)).includes('proposed by'),
        10_000,
      );
      const refreshedMs = Date.now() - start;
      console.log(
        `[measure] built-in analyst: invoke answered ${answeredMs} ms, refreshed card ${refreshedMs} ms; ` +
          `2 s model: invoke answered ${model.answeredMs} ms, refreshed card ${model.refreshedMs} ms`,
      );
      expect(answeredMs).toBeLessThan(2000);
      expect(model.answeredMs).toBeLessThan(2000);
      expect(model.refreshedMs).toBeGreaterThanOrEqual(2000);
    } finally {
      await builtin.close();
    }
  });
});
