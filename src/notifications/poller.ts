import type { Storage } from 'botbuilder';
import type { Incident } from '../domain/types';
import { getLogger } from '../logger';
import type { SentinelGateway } from '../sentinel/gateway';
import type { Clock } from './clock';

const log = getLogger('notifications.poller');

const CHECKPOINT_KEY = 'notifications/poller-checkpoint';

export interface PollCheckpoint {
  /** Newest createdTimeUtc seen (ms). */
  createdAfter: number;
  /** Newest lastModifiedTimeUtc seen (ms). */
  modifiedAfter: number;
}

export interface PollerOptions {
  sentinel: SentinelGateway;
  storage: Storage;
  clock: Clock;
  /** Called for every incident seen; must be idempotent (the outbox dedupes). */
  onIncident: (incident: Incident) => Promise<void>;
  intervalMs: number;
  /**
   * Re-read this far behind the checkpoint: incidents become visible to the API a little after their
   * createdTimeUtc, and clocks differ. The outbox makes re-reads harmless.
   */
  overlapMs?: number;
  pageSize?: number;
  /** Most incidents per query per poll; the checkpoint advances so the next poll continues. */
  maxPerPoll?: number;
  signal: AbortSignal;
}

export interface PollResult {
  created: number;
  modified: number;
}

function timeOf(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/**
 * Finds incidents the webhook did not tell us about (or all of them, without a webhook): new ones
 * by createdTimeUtc, changed ones by lastModifiedTimeUtc, each from a durable checkpoint.
 */
export class IncidentPoller {
  private loop: Promise<void> | undefined;

  constructor(private readonly o: PollerOptions) {}

  start(): void {
    if (this.loop !== undefined || this.o.intervalMs <= 0) return;
    this.loop = (async () => {
      while (!this.o.signal.aborted) {
        await this.pollOnce().catch((err: unknown) =>
          log.warn({ err }, 'poll failed; trying again next interval'),
        );
        await this.o.clock.sleep(this.o.intervalMs, this.o.signal);
      }
    })();
  }

  /** Resolves when the loop has stopped (after the signal aborts). */
  async stopped(): Promise<void> {
    await this.loop;
  }

  async pollOnce(): Promise<PollResult> {
    const checkpoint = await this.readCheckpoint();
    const overlap = this.o.overlapMs ?? 5 * 60_000;
    const created = await this.list('createdTimeUtc', checkpoint.createdAfter - overlap);
    for (const incident of created) await this.o.onIncident(incident);
    const modified = await this.list('lastModifiedTimeUtc', checkpoint.modifiedAfter - overlap);
    for (const incident of modified) await this.o.onIncident(incident);
    // Only after every incident is routed (durably queued), so a crash re-reads rather than skips.
    await this.writeCheckpoint({
      createdAfter: Math.max(checkpoint.createdAfter, ...created.map((i) => timeOf(i.createdTimeUtc))),
      modifiedAfter: Math.max(
        checkpoint.modifiedAfter,
        ...modified.map((i) => timeOf(i.lastModifiedTimeUtc)),
      ),
    });
    return { created: created.length, modified: modified.length };
  }

  private list(field: 'createdTimeUtc' | 'lastModifiedTimeUtc', after: number): Promise<Incident[]> {
    return this.o.sentinel.listIncidents({
      filter: `properties/${field} gt ${new Date(after).toISOString()}`,
      orderBy: `properties/${field} asc`,
      top: this.o.pageSize ?? 100,
      limit: this.o.maxPerPoll ?? 1_000,
    });
  }

  private async readCheckpoint(): Promise<PollCheckpoint> {
    const items = await this.o.storage.read([CHECKPOINT_KEY]);
    const stored = items[CHECKPOINT_KEY] as Partial<PollCheckpoint> | undefined;
    if (typeof stored?.createdAfter === 'number' && typeof stored.modifiedAfter === 'number') {
      return { createdAfter: stored.createdAfter, modifiedAfter: stored.modifiedAfter };
    }
    // First start ever: announce what happens from now on, not the workspace's history.
    const now = this.o.clock.now();
    const initial = { createdAfter: now, modifiedAfter: now };
    await this.writeCheckpoint(initial);
    log.info({ from: new Date(now).toISOString() }, 'poller starting from now (no checkpoint yet)');
    return initial;
  }

  private async writeCheckpoint(checkpoint: PollCheckpoint): Promise<void> {
    await this.o.storage.write({ [CHECKPOINT_KEY]: { ...checkpoint, eTag: '*' } });
  }
}
