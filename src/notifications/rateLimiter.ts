import type { Clock } from './clock';

export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** Teams' documented per-bot, per-conversation limits. */
export const TEAMS_CONVERSATION_LIMITS: readonly RateWindow[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
];

/** Teams' per-app limit across all conversations (documented as ~30–50/s; we stay at the low end). */
export const TEAMS_APP_LIMITS: readonly RateWindow[] = [{ limit: 30, windowMs: 1_000 }];

/**
 * Sliding-window limiter: a call for `key` proceeds only when every window has room, otherwise it waits
 * for the oldest event in the full window to age out. Calls for one key are served in arrival order so
 * a conversation's messages keep their order.
 */
export class SlidingWindowLimiter {
  private readonly events = new Map<string, number[]>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly longestWindowMs: number;

  /**
   * @param marginMs added to every window: the server counts arrivals, not our send times, so network
   *   jitter can squeeze two sends closer together than we spaced them.
   */
  constructor(
    private readonly windows: readonly RateWindow[],
    private readonly clock: Clock,
    private readonly marginMs = 0,
  ) {
    if (windows.length === 0) throw new RangeError('SlidingWindowLimiter needs at least one window');
    for (const w of windows) {
      if (!(w.limit >= 1) || !(w.windowMs > 0))
        throw new RangeError(`invalid rate window ${JSON.stringify(w)}`);
    }
    this.longestWindowMs = Math.max(...windows.map((w) => w.windowMs)) + marginMs;
  }

  /** Waits until a call for `key` is allowed and records it. */
  acquire(key: string, signal?: AbortSignal): Promise<void> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const turn = previous.then(() => this.waitForRoom(key, signal));
    const tail = turn.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return turn;
  }

  /** How long a call for `key` would wait now (0 = immediately). */
  delayFor(key: string): number {
    const now = this.clock.now();
    const times = this.prune(key, now);
    let wait = 0;
    for (const w of this.windows) {
      const span = w.windowMs + this.marginMs;
      const inWindow = times.filter((t) => t > now - span);
      if (inWindow.length >= w.limit) {
        // The call may go once enough of the window's events have aged out to leave one free slot.
        const releasing = inWindow[inWindow.length - w.limit];
        wait = Math.max(wait, releasing + span - now);
      }
    }
    return wait;
  }

  private async waitForRoom(key: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw new Error('rate limiter wait aborted');
      const wait = this.delayFor(key);
      if (wait <= 0) {
        const times = this.events.get(key) ?? [];
        times.push(this.clock.now());
        this.events.set(key, times);
        return;
      }
      // +1 ms so the releasing event is strictly outside the window when we wake.
      await this.clock.sleep(wait + 1, signal);
    }
  }

  private prune(key: string, now: number): number[] {
    const times = this.events.get(key);
    if (times === undefined) return [];
    let drop = 0;
    while (drop < times.length && times[drop] <= now - this.longestWindowMs) drop++;
    if (drop > 0) times.splice(0, drop);
    if (times.length === 0) this.events.delete(key);
    return times;
  }
}
