import type { SentinelGateway } from '../sentinel/gateway';

/**
 * Sentinel reachability for /healthz, which is public when BOT_ID is set: without a cache every probe
 * (a load balancer's, or anyone's) cost a Sentinel call (issue #16, item 6). One ping at a time, its
 * answer kept for `ttlMs`; a probe never waits longer than `maxWaitMs` (it gets the last answer).
 */
export interface SentinelHealthOptions {
  ttlMs?: number;
  maxWaitMs?: number;
  /** A ping that has not answered after this long counts as unreachable. */
  pingTimeoutMs?: number;
  now?: () => number;
}

export class SentinelHealth {
  private last: { reachable: boolean; at: number } | undefined;
  private inFlight: Promise<boolean> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly gateway: SentinelGateway,
    private readonly options: SentinelHealthOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  async reachable(): Promise<boolean> {
    const fresh = this.last !== undefined && this.now() - this.last.at < (this.options.ttlMs ?? 30_000);
    if (fresh && this.last) return this.last.reachable;
    const check = this.refresh();
    const known = this.last?.reachable ?? false;
    return Promise.race([check, delay(this.options.maxWaitMs ?? 800, known)]);
  }

  private refresh(): Promise<boolean> {
    this.inFlight ??= Promise.race([
      this.gateway.ping().catch(() => false),
      delay(this.options.pingTimeoutMs ?? 2_000, false),
    ]).then((reachable) => {
      this.last = { reachable, at: this.now() };
      this.inFlight = undefined;
      return reachable;
    });
    return this.inFlight;
  }
}

function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms).unref());
}
