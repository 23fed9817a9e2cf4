import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/notifications/clock';
import { DeliveryError, classifyStatus, parseRetryAfter } from '../../src/notifications/deliveryError';
import { SlidingWindowLimiter, TEAMS_CONVERSATION_LIMITS } from '../../src/notifications/rateLimiter';
import { ThrottledSender } from '../../src/notifications/sender';
import {
  connectorErrorToDeliveryError,
  type ProactiveMessenger,
} from '../../src/notifications/teamsMessenger';

/** Virtual time that jumps forward on sleep: exact and instant for one sequential caller. */
function jumpingClock(start = 0): Clock & { sleeps: number[] } {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

function scripted(outcomes: (DeliveryError | 'ok')[]): ProactiveMessenger & { calls: number } {
  const m = {
    calls: 0,
    async send() {
      const o = outcomes[m.calls++] ?? 'ok';
      if (o !== 'ok') throw o;
      return { id: `a${m.calls}` };
    },
    async update() {
      const o = outcomes[m.calls++] ?? 'ok';
      if (o !== 'ok') throw o;
    },
  };
  return m;
}

const ref = { conversation: { id: 'c' } } as never;

describe('SlidingWindowLimiter', () => {
  it('never lets more through than any Teams window allows', async () => {
    const clock = jumpingClock();
    const limiter = new SlidingWindowLimiter(TEAMS_CONVERSATION_LIMITS, clock);
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      await limiter.acquire('conv');
      times.push(clock.now());
    }
    for (const w of TEAMS_CONVERSATION_LIMITS) {
      for (let i = 0; i < times.length; i++) {
        const inWindow = times.filter((t) => t > times[i] - w.windowMs && t <= times[i]).length;
        expect(inWindow).toBeLessThanOrEqual(w.limit);
      }
    }
    // 60 per 30 s dominates: 200 sends need at least three full 30 s windows after the first 60.
    expect(times[199] - times[0]).toBeGreaterThanOrEqual(90_000);
    expect(times[199] - times[0]).toBeLessThan(100_000);
  });

  it('keeps conversations independent', async () => {
    const clock = jumpingClock();
    const limiter = new SlidingWindowLimiter([{ limit: 1, windowMs: 1000 }], clock);
    await limiter.acquire('a');
    await limiter.acquire('b');
    expect(clock.now()).toBe(0);
    await limiter.acquire('a');
    expect(clock.now()).toBeGreaterThanOrEqual(1000);
  });
});

describe('ThrottledSender', () => {
  it('retries 429/412/502/504 with backoff at least Retry-After, then succeeds', async () => {
    const clock = jumpingClock();
    const messenger = scripted([
      new DeliveryError('retryable', 'throttled', 429, 7_000),
      new DeliveryError('retryable', 'precondition', 412),
      new DeliveryError('retryable', 'bad gateway', 502),
      new DeliveryError('retryable', 'timeout', 504),
    ]);
    const sender = new ThrottledSender(messenger, { clock, random: () => 0.5, limiterMarginMs: 0 });
    await expect(sender.send('c', ref, { type: 'message' })).resolves.toEqual({ id: 'a5' });
    expect(messenger.calls).toBe(5);
    // Full jitter at random()=0.5 over 1 s, 2 s, 4 s, 8 s caps; the first wait is raised to Retry-After.
    expect(clock.sleeps.filter((s) => s >= 500)).toEqual([7_000, 1_000, 2_000, 4_000]);
    expect(sender.stats).toMatchObject({ retries: 4, throttled: 1, requests: 5 });
  });

  it.each([400, 403, 404, 413])('does not retry %i', async (status) => {
    const messenger = scripted([new DeliveryError(classifyStatus(status), 'no', status)]);
    const sender = new ThrottledSender(messenger, { clock: jumpingClock() });
    await expect(sender.send('c', ref, { type: 'message' })).rejects.toMatchObject({ status });
    expect(messenger.calls).toBe(1);
  });

  it('gives up after maxAttempts with a retryable error', async () => {
    const messenger = scripted(
      Array.from({ length: 10 }, () => new DeliveryError('retryable', 'busy', 429, 1_000)),
    );
    const sender = new ThrottledSender(messenger, { clock: jumpingClock(), retry: { maxAttempts: 3 } });
    await expect(sender.update('c', ref, 'a1', { type: 'message' })).rejects.toMatchObject({
      kind: 'retryable',
      status: 429,
    });
    expect(messenger.calls).toBe(3);
  });
});

describe('connector error mapping', () => {
  it('reads statusCode and Retry-After from a RestError-like error', () => {
    const err = Object.assign(new Error('Too Many Requests'), {
      statusCode: 429,
      response: { status: 429, headers: { get: (n: string) => (n === 'retry-after' ? '3' : undefined) } },
    });
    expect(connectorErrorToDeliveryError(err, 0)).toMatchObject({
      kind: 'retryable',
      status: 429,
      retryAfterMs: 3_000,
    });
    expect(connectorErrorToDeliveryError(Object.assign(new Error('x'), { statusCode: 403 }), 0).kind).toBe(
      'gone',
    );
    expect(connectorErrorToDeliveryError(Object.assign(new Error('x'), { statusCode: 413 }), 0).kind).toBe(
      'rejected',
    );
    expect(connectorErrorToDeliveryError(new Error('ECONNRESET'), 0).kind).toBe('retryable');
  });

  it('parses Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('2', 0)).toBe(2_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});
