import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bearerMatches } from '../../src/notifications/webhook';

// Watched, not replaced (vi.mock is hoisted above the imports): the comparison must go through
// crypto.timingSafeEqual (issue #16 item 10).
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const SECRET = 'a-webhook-secret-of-at-least-24-characters';

describe('the webhook secret check', () => {
  afterEach(() => vi.mocked(crypto.timingSafeEqual).mockClear());

  it('compares in constant time, for right and wrong secrets alike', () => {
    expect(bearerMatches(`Bearer ${SECRET}`, SECRET)).toBe(true);
    expect(bearerMatches(`Bearer ${SECRET.slice(0, -1)}x`, SECRET)).toBe(false);
    expect(bearerMatches(`Bearer x`, SECRET)).toBe(false);
    expect(vi.mocked(crypto.timingSafeEqual)).toHaveBeenCalledTimes(3);
  });

  it('requires the Bearer scheme: the bare secret or another scheme is refused', () => {
    expect(bearerMatches(SECRET, SECRET)).toBe(false);
    expect(bearerMatches(`Basic ${SECRET}`, SECRET)).toBe(false);
    expect(bearerMatches(`Token ${SECRET}`, SECRET)).toBe(false);
    expect(bearerMatches(`Bearer${SECRET}`, SECRET)).toBe(false);
    expect(bearerMatches(`bearer ${SECRET}`, SECRET)).toBe(true);
  });
});
