import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../adaptive-cards/verbs';
import { SentinelError } from '../../src/sentinel/errors';
import { startBotHarness, type BotHarness } from '../support/botHarness';
import { FakeGateway } from '../support/fakeGateway';

/** Sentinel failures, the fallback route and inbound auth, with an in-memory gateway. */
describe('Sentinel failures', () => {
  let h: BotHarness;
  const gateway = new FakeGateway();
  beforeAll(async () => {
    h = await startBotHarness({ gateway });
  });
  afterAll(async () => {
    await h.close();
  });

  it('Throttled → "Sentinel is busy (throttled); try again in N s"', async () => {
    gateway.failNext(
      'listIncidents',
      new SentinelError('Throttled', 'Too many requests', 429, undefined, 20_000),
    );
    const { status, replies } = await h.say('incidents');
    expect(status).toBe(200);
    expect(replies.map((r) => r.activity.text)).toEqual(['Sentinel is busy (throttled); try again in 20 s.']);
  });

  it('Unavailable → a plain "unavailable" answer', async () => {
    gateway.failNext('getIncidentByNumber', new SentinelError('Unavailable', 'Service Unavailable', 503));
    const { replies } = await h.say('incident 1', { conversationType: 'channel' });
    expect(replies).toHaveLength(1);
    expect(replies[0].activity.text).toMatch(/^Sentinel \(workspace soc-demo-ws\) is unavailable right now/);
  });

  it('Forbidden → names the missing role', async () => {
    gateway.failNext('getIncidentByNumber', new SentinelError('Forbidden', 'AuthorizationFailed', 403));
    const { replies } = await h.say('incident 1');
    expect(replies[0].activity.text).toContain('Microsoft Sentinel Reader');
  });

  it('a failing button answers with the reason in the invoke response', async () => {
    gateway.failNext('getIncidentByNumber', new SentinelError('Throttled', 'busy', 429, undefined, 5_000));
    const { status, body } = await h.click(VERBS.selectIncident, {
      verb: VERBS.selectIncident,
      incidentNumber: 1,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      type: 'application/vnd.microsoft.activity.message',
      value: 'Sentinel is busy (throttled); try again in 5 s.',
    });
  });

  it('alerts failing still yields the incident card (without them)', async () => {
    gateway.failNext('listAlerts', new SentinelError('Unavailable', 'down', 503));
    const { replies } = await h.say('incident 2');
    expect(replies[0].activity.attachments).toHaveLength(1);
  });

  it('an unexpected error → an apology with the activity id, and the next message still works', async () => {
    gateway.failNext('listIncidents', new Error('boom'));
    const { status, replies, activity } = await h.say('incidents');
    expect(status).toBe(200);
    expect(replies.map((r) => r.activity.text)).toEqual([
      `Sorry, something went wrong on my side while handling that (reference ${activity.id}). Please try again.`,
    ]);
    expect((await h.say('incidents')).replies[0].activity.attachments).toHaveLength(1);
  });

  it('an unexpected error in a button → an apology as the invoke response', async () => {
    gateway.failNext('getIncidentByNumber', new Error('boom'));
    const { status, body, activity } = await h.click(VERBS.askAboutThis, {
      verb: VERBS.askAboutThis,
      incidentNumber: 1,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    expect(String((body as { value: unknown }).value)).toContain(`reference ${activity.id}`);
  });

  it('Teams throttling a reply (429 + Retry-After) delays it but does not lose it', async () => {
    h.teams.failNext({ status: 429, headers: { 'Retry-After': '1' } }, 1);
    const { status, replies } = await h.say('incident 1');
    expect(status).toBe(200);
    expect(replies).toHaveLength(1);
    expect(replies[0].activity.attachments).toHaveLength(1);
    expect(h.teams.requests.filter((r) => r.status === 429)).toHaveLength(1);
  });

  it('refuses an oversized body with 413 and keeps serving', async () => {
    const huge = h.teams.message('x'.repeat(600 * 1024));
    expect((await h.post(huge)).status).toBe(413);
    expect((await h.say('help')).replies).toHaveLength(1);
  });

  it('/healthz says unreachable when the gateway ping fails', async () => {
    const down = new FakeGateway();
    down.reachable = false;
    const other = await startBotHarness({ gateway: down });
    try {
      const res = await fetch(`${other.botUrl}/healthz`);
      expect(await res.json()).toMatchObject({ status: 'ok', sentinel: 'unreachable' });
    } finally {
      await other.close();
    }
  });
});

describe('fallback without any features installed', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ gateway: new FakeGateway(), features: [] });
  });
  afterAll(async () => {
    await h.close();
  });

  it('unknown text points at help', async () => {
    const { replies } = await h.say('frobnicate');
    expect(replies[0].activity.text).toContain('Type `help`');
  });

  it('an empty message gets a greeting', async () => {
    const { replies } = await h.say('', { conversationType: 'channel' });
    expect(replies[0].activity.text).toBe('Hi! Type `help` to see what I can do.');
  });

  it('an unknown button verb says it is no longer available', async () => {
    const { status, body } = await h.click('retired.verb', { verb: 'retired.verb' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
    const submitted = h.teams.submit({ verb: 'retired.verb' });
    await h.post(submitted);
    const reply = await h.teams.waitFor((a) => a.replyToId === submitted.id);
    expect(reply.activity.text).toContain('no longer available');
  });

  it('"incident" without a number asks which one', async () => {
    const { replies } = await h.say('incident');
    expect(replies[0].activity.text).toContain('Which incident?');
  });
});

describe('inbound authentication with BOT_ID configured', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({
      gateway: new FakeGateway(),
      env: { BOT_ID: '5f1b2c3d-0000-4000-8000-00000000b07d', BOT_PASSWORD: 'not-a-real-secret' },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('rejects an activity without a JWT with 401 and sends nothing', async () => {
    const activity = h.teams.message('incidents');
    expect((await h.post(activity)).status).toBe(401);
    expect((await h.post(h.teams.message('help'), { authorization: 'Bearer not.a.jwt' })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.teams.activities).toEqual([]);
    expect(h.teams.requests).toEqual([]);
  });
});
