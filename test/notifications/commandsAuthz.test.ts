import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionStoreFor } from '../../src/notifications';
import { startBotHarness, type BotHarness } from '../support/botHarness';
import { CHANNEL_ID, type Identity } from '../support/teams';

const LEAD: Identity = {
  id: '29:1-soc-lead',
  name: 'Dana Ruiz',
  aadObjectId: 'd4a40000-0000-4000-8000-00000000d4a4',
};

/** subscribe / unsubscribe change where incidents go, so they need a responder like card writes do. */
describe('subscription commands with RESPONDERS set', () => {
  let h: BotHarness;
  const subscriptions = () => subscriptionStoreFor(h.bot.deps.storage).list();

  beforeAll(async () => {
    h = await startBotHarness({ env: { RESPONDERS: LEAD.aadObjectId ?? '', POLL_INTERVAL_SECONDS: '3600' } });
  });
  afterAll(async () => h?.close());

  it('a user outside RESPONDERS cannot subscribe a conversation', async () => {
    const { replies } = await h.say('subscribe low', { conversationType: 'groupChat' });
    expect(replies.map((r) => r.activity.text).join(' ')).toContain('You are not allowed to subscribe');
    expect(await subscriptions()).toHaveLength(0);
  });

  it('a responder may subscribe, and a user outside RESPONDERS cannot unsubscribe the channel', async () => {
    await h.say('subscribe', { conversationType: 'channel', from: LEAD });
    expect((await subscriptions()).map((s) => s.conversationId)).toEqual([CHANNEL_ID]);

    const { replies } = await h.say('unsubscribe', { conversationType: 'channel' });
    expect(replies.map((r) => r.activity.text).join(' ')).toContain('You are not allowed to unsubscribe');
    expect(await subscriptions()).toHaveLength(1);

    await h.say('unsubscribe', { conversationType: 'channel', from: LEAD });
    expect(await subscriptions()).toHaveLength(0);
  });
});
