import type { StoreItem } from 'botbuilder';
import { isEtagConflict, type StateStorage } from './stateStorage';

/** At most `max` events in any `windowMs` span. */
export interface WindowLimit {
  max: number;
  windowMs: number;
}

export type TakeResult = { granted: true } | { granted: false; retryAfterMs: number };

/** Buckets per window: counting whole buckets errs on the strict side by at most 1/BUCKETS of a window. */
const BUCKETS = 10;
const PREFIX = 'rate/';

interface WindowRecord {
  /** Per limit (same order as the limits): [bucket index, count] pairs, oldest first. */
  windows: [number, number][][];
}

/**
 * Rate limits shared by every process on one StateStorage (e.g. Teams' per-conversation and per-app
 * limits across bot instances): `tryTake(key)` grants a slot only if every window allows one more event,
 * and records it with a conditional write, so concurrent takers on several instances cannot both
 * use the last slot.
 *
 * Each window is counted in 10 buckets and a bucket counts whole until it has left the window entirely,
 * so the limiter never allows more than `max` in any span of `windowMs` (it may allow up to ~10 % less
 * at the edges). Bucket times come from each process's clock: instances whose clocks differ by more than
 * a bucket (a tenth of the shortest window) weaken that guarantee. Under heavy contention a take that
 * keeps losing its conditional write is refused (`retryAfterMs` small): refusing is the safe side.
 * Costs one read and one write per take.
 */
export class SharedRateLimiter {
  constructor(
    private readonly storage: StateStorage,
    private readonly limits: readonly WindowLimit[],
    private readonly options: { now?: () => number; maxAttempts?: number } = {},
  ) {
    if (limits.length === 0 || limits.some((l) => !(l.max >= 1) || !(l.windowMs >= BUCKETS))) {
      throw new RangeError('SharedRateLimiter: every limit needs max >= 1 and windowMs >= 10');
    }
  }

  async tryTake(key: string): Promise<TakeResult> {
    const storageKey = PREFIX + key;
    const attempts = this.options.maxAttempts ?? 8;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const now = (this.options.now ?? Date.now)();
      const stored = (await this.storage.read([storageKey]))[storageKey] as
        (StoreItem & Partial<WindowRecord>) | undefined;
      const windows = this.limits.map((limit, i) => live(limit, stored?.windows?.[i], now));
      const waits = this.limits.map((limit, i) => waitMs(limit, windows[i] as [number, number][], now));
      const wait = Math.max(...waits);
      if (wait > 0) return { granted: false, retryAfterMs: wait };
      const next: WindowRecord = {
        windows: this.limits.map((limit, i) =>
          addEvent(windows[i] as [number, number][], bucketOf(limit, now)),
        ),
      };
      if (await this.save(storageKey, stored, next)) return { granted: true };
      // Lost a race: another taker wrote first. Back off a little, re-read, and decide again.
      await new Promise((r) => setTimeout(r, Math.random() * 5 * (attempt + 1)));
    }
    return { granted: false, retryAfterMs: 50 };
  }

  private async save(key: string, stored: StoreItem | undefined, next: WindowRecord): Promise<boolean> {
    if (stored === undefined) return (await this.storage.create(key, next)) !== undefined;
    try {
      await this.storage.write({ [key]: { ...next, eTag: stored.eTag as string } });
      return true;
    } catch (err) {
      if (isEtagConflict(err)) return false;
      throw err;
    }
  }
}

function bucketMs(limit: WindowLimit): number {
  return limit.windowMs / BUCKETS;
}

function bucketOf(limit: WindowLimit, t: number): number {
  return Math.floor(t / bucketMs(limit));
}

/** Buckets that may still hold events inside (now - windowMs, now]; anything older is dropped. */
function live(limit: WindowLimit, stored: unknown, now: number): [number, number][] {
  if (!Array.isArray(stored)) return [];
  const oldest = bucketOf(limit, now - limit.windowMs);
  return stored
    .filter(
      (b): b is [number, number] =>
        Array.isArray(b) &&
        typeof b[0] === 'number' &&
        typeof b[1] === 'number' &&
        b[0] >= oldest &&
        b[1] > 0,
    )
    .sort((a, b) => a[0] - b[0]);
}

/** 0 when one more event fits; otherwise how long until enough old buckets have left the window. */
function waitMs(limit: WindowLimit, buckets: [number, number][], now: number): number {
  let count = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (count < limit.max) return 0;
  for (const [bucket, n] of buckets) {
    count -= n;
    // Bucket `bucket` stops counting once (t - windowMs) has moved past its end.
    if (count < limit.max)
      return Math.max(1, Math.ceil((bucket + 1) * bucketMs(limit) + limit.windowMs - now));
  }
  return 1;
}

function addEvent(buckets: [number, number][], bucket: number): [number, number][] {
  // Another instance's clock may be a little behind or ahead: merge by bucket, keep the order.
  const found = buckets.some(([b]) => b === bucket);
  const next: [number, number][] = found
    ? buckets.map(([b, n]) => [b, b === bucket ? n + 1 : n])
    : [...buckets, [bucket, 1]];
  return next.sort((a, b) => a[0] - b[0]);
}
