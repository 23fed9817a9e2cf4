import { randomUUID } from 'node:crypto';
import type { StoreItem } from 'botbuilder';
import { getLogger } from '../logger';
import { isEtagConflict, type StateStorage } from './stateStorage';

const log = getLogger('storage.lease');

/**
 * A named lease: at most one holder at a time, for `durationMs` after its last acquire or renew. The
 * holder must renew before then; if it dies, the lease lapses and another holder can take it. Used to
 * pick the one instance that runs a singleton job (the Sentinel poller) among several.
 */
export interface Lease {
  readonly name: string;
  readonly durationMs: number;
  /** Tries once. True when this holder now has the lease (taking it again while held renews it). */
  tryAcquire(): Promise<boolean>;
  /** False when the lease is no longer ours (taken by another holder); throws on transient errors. */
  renew(): Promise<boolean>;
  /** Gives the lease up at once, so another holder need not wait for it to lapse. */
  release(): Promise<void>;
}

export type LeaseLostReason = 'taken' | 'unconfirmed' | 'stopping';

export interface LeaseEvents {
  /** This instance now holds the lease: start the singleton work. */
  onAcquired(): void | Promise<void>;
  /**
   * The lease is (or may be) gone: stop the singleton work. Awaited before the keeper tries again or
   * releases, so the work has stopped before anyone else can take over.
   */
  onLost(reason: LeaseLostReason): void | Promise<void>;
}

export interface LeaseKeeper {
  readonly held: boolean;
  /** Stops renewing: `onLost('stopping')`, then releases the lease if held. */
  stop(): Promise<void>;
}

/**
 * Acquires `lease` and keeps it: renews every third of its duration, and while not holding it tries
 * again every quarter (plus jitter), so a lease whose holder died — it lapses at most `durationMs` after
 * the last renewal — is taken over within 1⅓ × the duration plus one request.
 *
 * Safety over liveness: a watchdog gives the lease up on this side (`onLost('unconfirmed')`) once two
 * thirds of the duration have passed since the last confirmed renewal was *sent* — whether renewals
 * fail or hang — so the work stops well before the lease can lapse and be taken by someone else. (A
 * renewal that succeeds after that is ignored; the keeper then simply acquires again.)
 */
export function keepLease(lease: Lease, events: LeaseEvents, now: () => number = Date.now): LeaseKeeper {
  const d = lease.durationMs;
  let held = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let losing: Promise<void> = Promise.resolve();

  const schedule = (ms: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = step();
    }, ms);
    timer.unref();
  };

  const lose = (reason: LeaseLostReason): Promise<void> => {
    held = false;
    clearTimeout(watchdog);
    log.warn({ lease: lease.name, reason }, 'lease lost; stopping its work');
    losing = Promise.resolve()
      .then(() => events.onLost(reason))
      .catch((err: unknown) => log.error({ err, lease: lease.name }, 'lease onLost handler failed'));
    return losing;
  };

  /** The lease is ours until `sentAt + d` on the service; stop acting well before that. */
  const confirmed = (sentAt: number): void => {
    clearTimeout(watchdog);
    watchdog = setTimeout(
      () => {
        if (held && !stopped) void lose('unconfirmed');
      },
      Math.max(0, sentAt + (2 * d) / 3 - now()),
    );
    watchdog.unref();
  };

  const step = async (): Promise<void> => {
    const sentAt = now();
    if (!held) {
      const got = await lease.tryAcquire().catch((err: unknown) => {
        log.warn({ err, lease: lease.name }, 'could not try the lease; trying again');
        return false;
      });
      if (stopped) {
        if (got) await lease.release().catch(() => undefined);
        return;
      }
      if (!got) return schedule(d / 4 + Math.random() * (d / 12));
      held = true;
      confirmed(sentAt);
      log.info({ lease: lease.name }, 'lease acquired');
      await Promise.resolve()
        .then(() => events.onAcquired())
        .catch((err: unknown) => log.error({ err, lease: lease.name }, 'lease onAcquired handler failed'));
      return schedule(d / 3);
    }
    let renewed: boolean | 'error';
    try {
      renewed = await lease.renew();
    } catch (err) {
      log.warn({ err, lease: lease.name }, 'lease renewal failed; retrying');
      renewed = 'error';
    }
    if (stopped) return;
    // The watchdog gave the lease up while this renewal was in flight: start over from acquiring.
    if (!held) return schedule(d / 4);
    if (renewed === true) {
      confirmed(sentAt);
      return schedule(d / 3);
    }
    if (renewed === false) {
      await lose('taken');
      return schedule(d / 4);
    }
    schedule(d / 12);
  };

  running = step();
  return {
    get held() {
      return held && !stopped;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await losing;
      clearTimeout(watchdog);
      if (!held) return;
      await lose('stopping');
      await lease
        .release()
        .catch((err: unknown) => log.warn({ err, lease: lease.name }, 'lease release failed'));
    },
  };
}

interface LeaseRecord {
  holder: string;
  expiresAt: number;
}

/**
 * A lease kept as a record in any StateStorage (`lease/<name>`), decided by conditional writes. It is
 * exact within one process (file mode runs one process per DATA_DIR; memory storage in tests) and, on a
 * backend whose conditional writes hold across processes, across processes whose clocks agree to well
 * under the lease duration. On Azure the blob lease (`BlobLease`) is used instead: the service's clock
 * decides there.
 */
export class StorageLease implements Lease {
  readonly holder = randomUUID();

  constructor(
    private readonly storage: StateStorage,
    readonly name: string,
    readonly durationMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private get key(): string {
    return `lease/${this.name}`;
  }

  async tryAcquire(): Promise<boolean> {
    const current = await this.current();
    if (current === undefined) return (await this.storage.create(this.key, this.record())) !== undefined;
    if (current.holder !== this.holder && current.expiresAt > this.now()) return false;
    return this.replace(current, this.record());
  }

  async renew(): Promise<boolean> {
    const current = await this.current();
    if (current === undefined || current.holder !== this.holder) return false;
    return this.replace(current, this.record());
  }

  async release(): Promise<void> {
    const current = await this.current();
    if (current?.holder === this.holder) await this.replace(current, { holder: this.holder, expiresAt: 0 });
  }

  private record(): LeaseRecord {
    return { holder: this.holder, expiresAt: this.now() + this.durationMs };
  }

  private async current(): Promise<(LeaseRecord & StoreItem) | undefined> {
    const item = (await this.storage.read([this.key]))[this.key] as Partial<LeaseRecord> | undefined;
    if (item === undefined) return undefined;
    // A damaged record must not block the lease for ever: treat it as lapsed (its eTag still guards the write).
    return {
      ...item,
      holder: typeof item.holder === 'string' ? item.holder : '',
      expiresAt: typeof item.expiresAt === 'number' ? item.expiresAt : 0,
    };
  }

  private async replace(current: StoreItem, next: LeaseRecord): Promise<boolean> {
    try {
      await this.storage.write({ [this.key]: { ...next, eTag: current.eTag as string } });
      return true;
    } catch (err) {
      if (isEtagConflict(err)) return false;
      throw err;
    }
  }
}
