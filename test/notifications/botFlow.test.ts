import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveIncident } from '../../src/demo/liveIncidents';
import { startBotHarness, type BotHarness } from '../support/botHarness';
import { CHANNEL_ID } from '../support/teams';

/**
 * The whole notification path as it runs in production: `subscribe` typed in a channel, an incident
 * created in the (demo) Sentinel workspace, the poller and the webhook feeding one outbox, the card
 * posted through the Bot Connector API and updated in place when the incident changes.
 */
const SECRET = 'test-webhook-secret-0123456789abcdef';
let h: BotHarness;

beforeAll(async () => {
  h = await startBotHarness({ env: { INCIDENT_WEBHOOK_SECRET: SECRET, POLL_INTERVAL_SECONDS: '3600' } });
});
afterAll(async () => h?.close());

function cardsFor(incidentNumber: number) {
  return h.teams.activities.filter(
    (a) => a.kind === 'send' && JSON.stringify(a.activity.attachments ?? []).includes(`#${incidentNumber}`),
  );
}

describe('new-incident cards through the running bot', () => {
  it('subscribes a channel, cards a new incident once, and updates that card when it changes', async () => {
    const { replies } = await h.say('subscribe', { conversationType: 'channel' });
    expect(replies.map((r) => r.activity.text).join(' ')).toMatch(/Medium/);

    const demo = h.demo;
    if (demo === undefined) throw new Error('the harness started without the demo workspace');
    const created = demo.store.createIncident({ ...createLiveIncident(new Date(), 1), severity: 'High' });

    // Both sources see it: the webhook (plain ARM resource body) and the poller.
    const res = await fetch(`${h.botUrl}/api/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: `/x/incidents/${created.name}`, name: created.name, properties: {} }),
    });
    expect(res.status).toBe(202);
    await h.bot.notifications.pollNow();
    await h.bot.notifications.drain();

    const posted = await h.teams.waitFor(
      (a) => a.kind === 'send' && JSON.stringify(a.activity).includes(`#${created.number}`),
    );
    expect(posted.conversationId.startsWith(CHANNEL_ID)).toBe(true);
    expect(cardsFor(created.number)).toHaveLength(1);

    demo.store.updateIncident(created.name, { status: 'Active' });
    await h.bot.notifications.pollNow();
    await h.bot.notifications.drain();
    const update = await h.teams.waitFor((a) => a.kind === 'update' && a.activityId === posted.activityId);
    expect(JSON.stringify(update.activity.attachments)).toContain('Active');
    expect(cardsFor(created.number)).toHaveLength(1);
  });

  it('refuses the webhook without the secret and loses nothing', async () => {
    const res = await fetch(`${h.botUrl}/api/incidents`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
  });
});
