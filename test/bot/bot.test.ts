import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../adaptive-cards/verbs';
import { cardText } from '../../src/bot/cards/cardText';
import { MAX_CARD_BYTES, renderIncidentCardJson } from '../../src/bot/cards/incidentCard';
import { CORE_CARD_ACTIONS } from '../../src/bot/app';
import { enrichIncident } from '../../src/bot/incidentViews';
import { startBotHarness, type BotHarness } from '../support/botHarness';
import { collectActions, textsOf } from '../support/cardInspection';
import { CHANNEL_ID } from '../support/teams';

/** The bot against the demo workspace, driven over HTTP exactly as Teams would. */
let h: BotHarness;

beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h.close();
});

function cardOf(reply: { activity: { attachments?: { content?: unknown }[] } }): Record<string, unknown> {
  const content = reply.activity.attachments?.[0]?.content;
  expect(content).toBeTypeOf('object');
  return content as Record<string, unknown>;
}

describe('messages over /api/messages', () => {
  it('personal chat: "incident 1" replies with the incident card and sets the current incident', async () => {
    const incident = await h.gateway.getIncidentByNumber(1);
    expect(incident).toBeDefined();
    const { status, replies, activity } = await h.say('incident 1');
    expect(status).toBe(200);
    expect(replies).toHaveLength(1);
    expect(replies[0].conversationId).toBe(activity.conversation?.id);
    const card = cardOf(replies[0]);
    expect(card.version).toBe('1.5');
    expect(textsOf(card)).toContain(cardText(incident?.title, 200));
    expect(await h.bot.deps.incidentContext.get(activity.conversation?.id ?? '')).toBe(1);
  });

  it('channel: an @mentioned "Incident #2." in a thread answers in that thread and scopes the context to it', async () => {
    const incident = await h.gateway.getIncidentByNumber(2);
    const { status, replies, activity } = await h.say('Incident #2.', {
      conversationType: 'channel',
      replyToId: 'root-42',
    });
    expect(status).toBe(200);
    expect(activity.text).toBe('<at>Sentinel</at> Incident #2.');
    expect(replies).toHaveLength(1);
    expect(replies[0].conversationId).toBe(`${CHANNEL_ID};messageid=root-42`);
    expect(textsOf(cardOf(replies[0]))).toContain(cardText(incident?.title, 200));
    expect(await h.bot.deps.incidentContext.get(`${CHANNEL_ID};messageid=root-42`)).toBe(2);
    expect(await h.bot.deps.incidentContext.get(`${CHANNEL_ID};messageid=other-thread`)).toBeUndefined();
  });

  it('"incident 999999" says plainly that it does not exist', async () => {
    const { replies } = await h.say('incident 999999');
    expect(replies.map((r) => r.activity.text)).toEqual([
      "I couldn't find incident #999999 in workspace soc-demo-ws. Try `incidents` to list open ones.",
    ]);
  });

  it('"incidents" lists up to 10 open incidents, newest first, each with an Open button', async () => {
    const { replies } = await h.say('incidents', { conversationType: 'groupChat' });
    expect(replies).toHaveLength(1);
    const card = cardOf(replies[0]);
    const buttons = collectActions(card);
    expect(buttons.length).toBeGreaterThan(0);
    expect(buttons.length).toBeLessThanOrEqual(10);
    const numbers = buttons.map((b) => (b.data as { incidentNumber: number }).incidentNumber);
    const listed = await Promise.all(numbers.map((n) => h.gateway.getIncidentByNumber(n)));
    expect(listed.every((i) => i !== undefined && i.status !== 'Closed')).toBe(true);
    const created = listed.map((i) => Date.parse(i?.createdTimeUtc ?? ''));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(buttons.every((b) => b.type === 'Action.Execute' && b.verb === VERBS.selectIncident)).toBe(true);
  });

  it('selecting an incident from the list: invoke response with the card, current incident set', async () => {
    const conversationId = 'a:1-personal-select-test';
    const incident = await h.gateway.getIncidentByNumber(3);
    const { status, body } = await h.click(
      VERBS.selectIncident,
      { verb: VERBS.selectIncident, incidentNumber: 3 },
      { conversationId },
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const card = (body as { value: Record<string, unknown> }).value;
    expect(textsOf(card)).toContain(cardText(incident?.title, 200));
    expect(await h.bot.deps.incidentContext.get(conversationId)).toBe(3);
  });

  it('the Action.Submit fallback posts the card as a message and sets the current incident', async () => {
    const conversationId = 'a:1-personal-submit-test';
    const activity = h.teams.submit({ verb: VERBS.selectIncident, incidentNumber: 2 }, { conversationId });
    expect((await h.post(activity)).status).toBe(200);
    const reply = await h.teams.waitFor((a) => a.replyToId === activity.id);
    expect(reply.activity.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(await h.bot.deps.incidentContext.get(conversationId)).toBe(2);
  });

  it('an unknown incident number in a button gets a message response, not a failure', async () => {
    const { status, body } = await h.click(VERBS.selectIncident, {
      verb: VERBS.selectIncident,
      incidentNumber: 999999,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    expect(String((body as { value: unknown }).value)).toContain("couldn't find incident #999999");
  });

  it('"help" lists the commands', async () => {
    const { replies } = await h.say('HELP');
    expect(replies[0].activity.text).toContain('`incident {number}`');
    expect(replies[0].activity.text).toContain('`incidents`');
  });

  it.each([
    ['empty text', ''],
    ['a very long text', `incidents ${'lorem ipsum '.repeat(20_000)}`],
    ['an unknown command', 'frobnicate the firewall'],
    ['markup soup', '<at>Sentinel</at> <p>&nbsp;</p>'],
  ])('%s gets a reply and the bot keeps working', async (_label, text) => {
    const { status, replies } = await h.say(text);
    expect(status).toBe(200);
    expect(replies.length).toBeGreaterThanOrEqual(1);
    const after = await h.say('help');
    expect(after.replies).toHaveLength(1);
  });

  it('a body that is not an activity gets 400, not a crash', async () => {
    expect((await h.post({ hello: 'world' })).status).toBeGreaterThanOrEqual(400);
    const raw = await fetch(`${h.botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type":',
    });
    expect(raw.status).toBe(400);
    expect((await h.say('help')).replies).toHaveLength(1);
  });

  it('welcomes when installed (bot among membersAdded) and stays quiet when a person joins', async () => {
    const install = h.teams.conversationUpdate({ conversationType: 'channel', conversationId: CHANNEL_ID });
    expect((await h.post(install)).status).toBe(200);
    const welcome = await h.teams.waitFor(
      (a) => a.conversationId === CHANNEL_ID && String(a.activity.text).includes('help'),
    );
    expect(welcome.activity.text).toContain('incidents');
    // Installed in a team: it also explains how to subscribe a channel to new-incident cards.
    expect(welcome.activity.text).toContain('subscribe');

    await h.post(h.teams.conversationUpdate({ conversationType: 'personal', conversationId: 'a:1-install' }));
    const personal = await h.teams.waitFor((a) => a.conversationId === 'a:1-install');
    expect(personal.activity.text).toContain('incidents');
    expect(personal.activity.text).not.toContain('subscribe');
    const before = h.teams.activities.length;
    await h.post(
      h.teams.conversationUpdate({
        conversationId: 'a:1-join',
        membersAdded: [{ id: '29:new-person', name: 'New' }],
      }),
    );
    expect(h.teams.activities.slice(before).filter((a) => a.conversationId === 'a:1-join')).toEqual([]);
  });

  it('GET /healthz reports mode, version and Sentinel reachability', async () => {
    const res = await fetch(`${h.botUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', mode: 'demo', version: 'test', sentinel: 'reachable' });
  });
});

describe('incident cards for every seeded incident', () => {
  it('are valid 1.5 cards ≤ 28 KB, fully bound, and every Action.Execute verb is answered by the bot', async () => {
    const incidents = await h.gateway.listIncidents({ top: 200, limit: 1000 });
    expect(incidents.length).toBeGreaterThan(0);
    const verbs = new Set<string>();
    for (const incident of incidents) {
      const view = await enrichIncident(h.gateway, incident);
      const json = JSON.stringify(renderIncidentCardJson(view, { actions: CORE_CARD_ACTIONS }));
      const card = JSON.parse(json) as Record<string, unknown>;
      expect(card.type).toBe('AdaptiveCard');
      expect(card.version).toBe('1.5');
      expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_CARD_BYTES);
      expect(json).not.toContain('${');
      for (const a of collectActions(card)) if (a.type === 'Action.Execute' && a.verb) verbs.add(a.verb);
    }
    expect([...verbs]).toContain(VERBS.askAboutThis);
    for (const verb of verbs) {
      const { status, body } = await h.click(verb, { verb, incidentNumber: incidents[0].number });
      expect(status).toBe(200);
      expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    }
  });
});
