import { describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import { TurnGate } from '../../src/bot/turnGate';

const message = (user: string, conversation = 'c1'): Partial<Activity> =>
  ({
    type: 'message',
    channelId: 'msteams',
    from: { id: user, name: user },
    conversation: { id: conversation },
  }) as Partial<Activity>;

describe('TurnGate', () => {
  it('lets a user send the per-minute budget at once, then refills it over the minute', () => {
    let now = 0;
    const gate = new TurnGate({ perUserPerMinute: 6, now: () => now });
    const first = Array.from({ length: 8 }, () => gate.admit(message('u1')).admitted);
    expect(first).toEqual([true, true, true, true, true, true, false, false]);
    expect(gate.admit(message('u2')).admitted).toBe(true); // per user
    now += 10_000; // one more message per 10 s at 6/min
    expect(gate.admit(message('u1')).admitted).toBe(true);
    expect(gate.admit(message('u1'))).toEqual({ admitted: false, reason: 'rate', retryAfterSeconds: 10 });
    expect(gate.admit({ ...message('u1'), type: 'conversationUpdate' }).admitted).toBe(true);
  });

  it('runs the turns of one conversation one at a time, in order, even when one fails', async () => {
    const gate = new TurnGate({ perUserPerMinute: 100 });
    const log: string[] = [];
    const turn = (name: string, fail = false) =>
      gate.serialise(message('u', 'c1'), async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setImmediate(r));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
      });
    const other = gate.serialise(message('u', 'c2'), async () => {
      log.push('other');
    });
    const results = await Promise.allSettled([turn('a', true), turn('b'), turn('c')]);
    await other;
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.filter((l) => l !== 'other')).toEqual([
      'start a',
      'end a',
      'start b',
      'end b',
      'start c',
      'end c',
    ]);
    expect(log.indexOf('other')).toBeLessThan(log.indexOf('end a')); // another chat does not wait
  });
});
