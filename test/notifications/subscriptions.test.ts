import { Application } from '@microsoft/teams-ai';
import { MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import {
  parseSubscribeArgument,
  registerSubscriptionCommands,
  SUBSCRIPTION_COMMANDS,
} from '../../src/notifications/commands';
import {
  SubscriptionError,
  SubscriptionStore,
  meetsMinimum,
  validateReference,
} from '../../src/notifications/subscriptions';
import { channelRef } from './fakes';

const CHANNEL = '19:soc@thread.tacv2';

function messageIn(
  text: string,
  conversation: Partial<Activity['conversation']>,
  serviceUrl = 'https://smba.trafficmanager.net/emea/',
): Partial<Activity> {
  return {
    type: 'message',
    text,
    channelId: 'msteams',
    serviceUrl,
    id: 'incoming-7',
    from: { id: '29:dana', name: 'Dana Ruiz' },
    recipient: { id: '28:bot', name: 'Sentinel' },
    conversation: {
      id: CHANNEL,
      isGroup: true,
      conversationType: 'channel',
      name: 'SOC',
      ...conversation,
    } as Activity['conversation'],
  };
}

async function converse(store: SubscriptionStore, activity: Partial<Activity>): Promise<string[]> {
  const app = new Application({
    storage: new MemoryStorage(),
    removeRecipientMention: true,
    startTypingTimer: false,
  });
  registerSubscriptionCommands(app, { subscriptions: store });
  const adapter = new TestAdapter(async (ctx) => {
    await app.run(ctx);
  });
  await adapter.processActivity(activity);
  return adapter.activeQueue.map((a) => a.text ?? '').filter((t) => t !== '');
}

describe('subscription commands', () => {
  it('subscribes a channel from a thread, keyed by the channel id, with the default minimum', async () => {
    const store = new SubscriptionStore(new MemoryStorage());
    const replies = await converse(
      store,
      messageIn('<at>Sentinel</at> subscribe', { id: `${CHANNEL};messageid=1700` }),
    );
    expect(replies[0]).toMatch(/Subscribed: .*Medium/);
    const sub = await store.get(CHANNEL);
    expect(sub?.conversationId).toBe(CHANNEL);
    expect(sub?.reference.conversation?.id).toBe(CHANNEL);
    expect(sub?.reference.activityId).toBeUndefined();
    expect(sub?.minSeverity).toBe('Medium');
    expect(sub?.conversationType).toBe('channel');
  });

  it('takes a minimum severity, lists and unsubscribes', async () => {
    const store = new SubscriptionStore(new MemoryStorage());
    await converse(store, messageIn('subscribe high', {}));
    expect((await store.get(CHANNEL))?.minSeverity).toBe('High');
    const list = await converse(store, messageIn('subscriptions', {}));
    expect(list[0]).toMatch(/1 subscribed conversation/);
    expect(list[0]).toMatch(/High and above/);
    const bye = await converse(store, messageIn('unsubscribe', {}));
    expect(bye[0]).toMatch(/Unsubscribed/);
    expect(await store.list()).toEqual([]);
    expect((await converse(store, messageIn('unsubscribe', {})))[0]).toMatch(/was not subscribed/);
  });

  it("`subscriptions` shows this conversation and counts, never other conversations' ids (issue #16)", async () => {
    const store = new SubscriptionStore(new MemoryStorage());
    await converse(store, messageIn('subscribe high', {}));
    const secretChat = '19:meeting_secret-incident-room@thread.v2';
    await converse(store, messageIn('subscribe', { id: secretChat, conversationType: 'groupChat' }));
    const fromElsewhere = await converse(
      store,
      messageIn('subscriptions', {
        id: 'a:1-personal-mallory',
        conversationType: 'personal',
        isGroup: false,
      }),
    );
    expect(fromElsewhere[0]).toMatch(/This conversation does not get new-incident cards/);
    expect(fromElsewhere[0]).toMatch(/2 subscribed conversation\(s\) in all: 1 channel, 1 group chat/);
    expect(fromElsewhere[0]).not.toContain(CHANNEL.slice(0, 12));
    expect(fromElsewhere[0]).not.toContain('secret-incident-room');
    expect(fromElsewhere[0]).not.toMatch(/19:|@thread/);
  });

  it('explains a bad severity and does not subscribe', async () => {
    const store = new SubscriptionStore(new MemoryStorage());
    const replies = await converse(store, messageIn('subscribe critical', {}));
    expect(replies[0]).toMatch(/"critical" is not a severity/);
    expect(await store.list()).toEqual([]);
  });

  it('refuses a conversation that cannot receive proactive messages', async () => {
    const store = new SubscriptionStore(new MemoryStorage());
    const replies = await converse(store, messageIn('subscribe', {}, 'http://evil.example/'));
    expect(replies[0]).toMatch(/can't subscribe.*https/);
    expect(await store.list()).toEqual([]);
  });

  it('documents every command', () => {
    expect(SUBSCRIPTION_COMMANDS.map((c) => c.name)).toEqual(['subscribe', 'unsubscribe', 'subscriptions']);
  });
});

describe('subscription rules', () => {
  it('orders severities Informational < Low < Medium < High', () => {
    expect(meetsMinimum('High', 'Medium')).toBe(true);
    expect(meetsMinimum('Medium', 'Medium')).toBe(true);
    expect(meetsMinimum('Low', 'Medium')).toBe(false);
    expect(meetsMinimum('Informational', 'Low')).toBe(false);
  });

  it('parses the subscribe argument', () => {
    expect(parseSubscribeArgument('subscribe')).toEqual({ severity: 'Medium' });
    expect(parseSubscribeArgument('Subscribe LOW')).toEqual({ severity: 'Low' });
    expect(parseSubscribeArgument('subscribe info')).toEqual({ severity: 'Informational' });
    expect(parseSubscribeArgument('subscribe high and above')).toEqual({ severity: 'High' });
    expect(parseSubscribeArgument('subscribe everything')).toHaveProperty('error');
  });

  it.each([
    [
      'no conversation id',
      { ...channelRef('https://smba.trafficmanager.net/x/', 'c'), conversation: undefined },
      /no conversation id/,
    ],
    ['http on a public host', channelRef('http://smba.example/', 'c'), /https/],
    [
      'a non-Teams channel',
      { ...channelRef('https://smba.example/', 'c'), channelId: 'slack' },
      /not Microsoft Teams/,
    ],
    [
      'the Playground channel off loopback',
      { ...channelRef('https://smba.example/', 'c'), channelId: 'emulator' },
      /not Microsoft Teams/,
    ],
  ])('rejects a reference with %s', (_, ref, message) => {
    expect(() => validateReference(ref)).toThrow(SubscriptionError);
    expect(() => validateReference(ref)).toThrow(message);
  });

  it('accepts loopback http for local tools', () => {
    expect(validateReference(channelRef('http://127.0.0.1:56150/_connector', 'c')).conversation?.id).toBe(
      'c',
    );
    expect(
      validateReference({ ...channelRef('http://localhost:56150/', 'c'), channelId: 'emulator' }).channelId,
    ).toBe('emulator');
  });
});
