import type { Storage } from 'botbuilder';
import { getLogger } from '../logger';

const log = getLogger('cardActions.jobs');

export type LongAction = 'analyze' | 'addTasks' | 'postComment';

/** The durable idempotency record of one click's work: per (incident, action, card activity). */
export interface JobRecord {
  state: 'running' | 'done' | 'failed';
  action: LongAction;
  incidentName: string;
  incidentNumber: number;
  cardActivityId: string;
  startedBy: { name: string; aadObjectId?: string };
  startedAt: string;
  finishedAt?: string;
  /** The card note the finished work left ("5 tasks added by Dana Ruiz, 10:42 UTC"). */
  note?: string;
  /** What was written (task ids, comment ids, analysis id), for operators and repeat clicks. */
  result?: Record<string, unknown>;
}

const PREFIX = 'card-actions/jobs/';

interface InFlight {
  startedBy: string;
  promise: Promise<void>;
}

/**
 * Makes long card actions happen once. Two layers: an in-process map of promises per (incident,
 * action) — set synchronously, so concurrent and retried invokes join the work in flight — and a durable
 * record per (incident, action, card activity), so a click on a card whose work already finished (a late
 * Teams retry, a double click, a restart) returns the result instead of doing it again. The writes
 * themselves use deterministic ids, which covers the gap a crash between write and record leaves.
 */
export class ActionJobs {
  private readonly inflight = new Map<string, InFlight>();

  constructor(private readonly storage: Storage) {}

  running(incidentName: string, action: LongAction): { startedBy: string } | undefined {
    const job = this.inflight.get(jobKey(incidentName, action));
    return job ? { startedBy: job.startedBy } : undefined;
  }

  /**
   * Runs `work` unless work for (incident, action) is already in flight; either way returns who started
   * the work now running. Never throws: `work` must handle its own failures.
   */
  startOnce(
    incidentName: string,
    action: LongAction,
    startedBy: string,
    work: () => Promise<void>,
  ): { joined: boolean; startedBy: string } {
    const key = jobKey(incidentName, action);
    const existing = this.inflight.get(key);
    if (existing) return { joined: true, startedBy: existing.startedBy };
    const promise = Promise.resolve()
      .then(work)
      .catch((err: unknown) =>
        log.error({ err, incidentName, action }, 'card action failed in the background'),
      )
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, { startedBy, promise });
    return { joined: false, startedBy };
  }

  /** Resolves when no work is in flight (tests; graceful shutdown). */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight.values()].map((j) => j.promise));
  }

  async read(
    incidentName: string,
    action: LongAction,
    cardActivityId: string,
  ): Promise<JobRecord | undefined> {
    const key = recordKey(incidentName, action, cardActivityId);
    const item = (await this.storage.read([key]))[key] as JobRecord | undefined;
    return item && typeof item.state === 'string' ? item : undefined;
  }

  async write(record: JobRecord): Promise<void> {
    const key = recordKey(record.incidentName, record.action, record.cardActivityId);
    await this.storage.write({ [key]: { ...record, eTag: '*' } });
  }
}

function jobKey(incidentName: string, action: LongAction): string {
  return `${incidentName.toLowerCase()}|${action}`;
}

function recordKey(incidentName: string, action: LongAction, cardActivityId: string): string {
  return `${PREFIX}${incidentName.toLowerCase()}/${action}/${encodeURIComponent(cardActivityId)}`;
}
