import { afterEach, describe, expect, it } from 'vitest';
import { startBotHarness, type BotHarness } from '../support/botHarness';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fakeOpenAI';
import type { TeamsActivity } from '../support/teams';

/**
 * Issue #16 item 7, through HTTP as Teams delivers it: many messages at once in one chat. Every message
 * gets exactly one answer or one polite limit reply, none gets "something went wrong" (turn-state eTag
 * conflicts), and the model is called only for the messages that are answered.
 */
const POLITE = /faster than I can answer|still working through earlier messages/;

describe('one chat, many messages at once', () => {
  let h: BotHarness | undefined;
  let ai: FakeOpenAI | undefined;
  afterEach(async () => {
    await h?.close();
    await ai?.close();
  });

  async function burst(count: number, env: Record<string, string>) {
    ai = await startFakeOpenAI();
    ai.setDefault({ content: 'The sign-in came from a Tor exit node.\nEvidence: none', delayMs: 20 });
    h = await startBotHarness({
      env: { OPENAI_BASE_URL: ai.baseUrl, OPENAI_API_KEY: 'sk-test', POLL_INTERVAL_SECONDS: '0', ...env },
    });
    const harness = h;
    // One answered question first, so the conversation's turn state exists (with an eTag) when the
    // burst reads it: overlapping turns then race to write it back.
    await harness.say('in incident 1, what happened?', { conversationType: 'groupChat', id: 'warm-up' });
    ai.clear();
    const activities: TeamsActivity[] = Array.from({ length: count }, (_, i) =>
      harness.teams.message(`in incident 1, what happened? (${i})`, {
        conversationType: 'groupChat',
        id: `burst-${i}`,
      }),
    );
    const statuses = await Promise.all(activities.map(async (a) => (await harness.post(a)).status));
    const repliesTo = (a: TeamsActivity) => harness.teams.activities.filter((r) => r.replyToId === a.id);
    return { activities, statuses, repliesTo, modelCalls: ai.requests.length };
  }

  it('300 messages: each answered or politely limited, 0 errors, a model call only per answer', async () => {
    const { activities, statuses, repliesTo, modelCalls } = await burst(300, {
      USER_MESSAGES_PER_MINUTE: '20',
    });
    expect(statuses.every((s) => s === 200)).toBe(true);
    const replies = activities.map((a) => repliesTo(a).map((r) => String(r.activity.text ?? '')));
    expect(replies.filter((r) => r.length !== 1)).toEqual([]);
    const texts = replies.map((r) => r[0] ?? '');
    expect(texts.filter((t) => /went wrong/i.test(t))).toEqual([]);
    const limited = texts.filter((t) => POLITE.test(t)).length;
    const answered = texts.filter((t) => t.includes('Tor exit node')).length;
    expect(limited + answered).toBe(300);
    expect(limited).toBeGreaterThan(0);
    expect(answered).toBeGreaterThan(0);
    expect(modelCalls).toBe(answered);
  });

  it('overlapping turns in one chat all succeed when no limit applies (one turn at a time)', async () => {
    const { activities, repliesTo, modelCalls } = await burst(30, { USER_MESSAGES_PER_MINUTE: '600' });
    const texts = activities.map((a) => repliesTo(a).map((r) => String(r.activity.text ?? '')));
    expect(texts.filter((r) => r.length !== 1 || !r[0]?.includes('Tor exit node'))).toEqual([]);
    expect(modelCalls).toBe(30);
  });
});
