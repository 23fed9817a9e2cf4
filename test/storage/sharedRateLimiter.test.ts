import { describe, expect, it } from 'vitest';
import { AzureBlobStorage } from '../../src/storage/azureBlobStorage';
import { createContainerClient } from '../../src/storage/blobContainer';
import { MemoryStateStorage } from '../../src/storage/memoryStateStorage';
import { SharedRateLimiter, type WindowLimit } from '../../src/storage/sharedRateLimiter';
import { azuriteConnectionString, freshContainer } from '../support/azureStorage';

// Teams' per-bot, per-conversation limits (FACTS.md).
const TEAMS_PER_CONVERSATION: WindowLimit[] = [
  { max: 7, windowMs: 1_000 },
  { max: 8, windowMs: 2_000 },
  { max: 60, windowMs: 30_000 },
];

/** Most events in any span of `windowMs` (brute force over the granted times). */
function busiest(times: number[], windowMs: number): number {
  return Math.max(0, ...times.map((t) => times.filter((u) => u > t - windowMs && u <= t).length));
}

describe('SharedRateLimiter', () => {
  it('never exceeds any window, and still grants close to the limits (virtual time)', async () => {
    let now = 1_700_000_000_000;
    const storage = new MemoryStateStorage(() => now);
    const limiter = new SharedRateLimiter(storage, TEAMS_PER_CONVERSATION, { now: () => now });
    const granted: number[] = [];
    const start = now;
    while (now - start < 60_000) {
      const r = await limiter.tryTake('conv/19:abc');
      if (r.granted) granted.push(now);
      else expect(r.retryAfterMs).toBeGreaterThan(0);
      now += 25;
    }
    for (const limit of TEAMS_PER_CONVERSATION) {
      expect(busiest(granted, limit.windowMs)).toBeLessThanOrEqual(limit.max);
    }
    // 60 per 30 s binds: 120 in a minute at most; bucket rounding may cost up to a tenth of that.
    expect(granted.length).toBeGreaterThanOrEqual(108);
  });

  it('retryAfterMs is when a slot frees up: waiting that long is granted, a little less is not', async () => {
    let now = 1_700_000_000_000;
    const limiter = new SharedRateLimiter(new MemoryStateStorage(), [{ max: 2, windowMs: 1_000 }], {
      now: () => now,
    });
    expect((await limiter.tryTake('k')).granted).toBe(true);
    expect((await limiter.tryTake('k')).granted).toBe(true);
    const refused = await limiter.tryTake('k');
    expect(refused.granted).toBe(false);
    const wait = refused.granted ? 0 : refused.retryAfterMs;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1_100);
    now += wait - 1;
    expect((await limiter.tryTake('k')).granted).toBe(false);
    now += 1;
    expect((await limiter.tryTake('k')).granted).toBe(true);
  });

  it('keys are independent', async () => {
    const limiter = new SharedRateLimiter(new MemoryStateStorage(), [{ max: 1, windowMs: 60_000 }]);
    expect((await limiter.tryTake('a')).granted).toBe(true);
    expect((await limiter.tryTake('b')).granted).toBe(true);
    expect((await limiter.tryTake('a')).granted).toBe(false);
  });

  it('two instances racing on Azurite never share out more than the limit', async () => {
    const container = freshContainer();
    const second = createContainerClient(
      { kind: 'connectionString', connectionString: azuriteConnectionString() },
      container.containerName,
    );
    const limit = [{ max: 7, windowMs: 600_000 }];
    const a = new SharedRateLimiter(new AzureBlobStorage(container), limit, { maxAttempts: 60 });
    const b = new SharedRateLimiter(new AzureBlobStorage(second), limit, { maxAttempts: 60 });
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? a : b).tryTake('app/per-tenant')),
    );
    expect(results.filter((r) => r.granted)).toHaveLength(7);
  });
});
