import type { ConversationReference, Storage } from 'botbuilder';
import type { Actor } from '../authz/responders';
import { getLogger } from '../logger';

const log = getLogger('cardActions.jobs');

export type LongAction = 'analyze' | 'addTasks' | 'postComment' | 'addPlannedTasks';

/** The durable idempotency record of one click's work: per (incident, action, card activity). */
export interface JobRecord {
  state: 'running' | 'done' | 'failed';
  action: LongAction;
  incidentName: string;
  incidentNumber: number;
  cardActivityId: string;
  /** addPlannedTasks: the stored plan the click writes (part of the record's key). */
  planId?: string;
  startedBy: { name: string; aadObjectId?: string };
  startedAt: string;
  finishedAt?: string;
  /** The card note the finished work left ("5 tasks added by Dana Ruiz, 10:42 UTC"). */
  note?: string;
  /** What was written (task ids, comment ids, analysis id), for operators and repeat clicks. */
  result?: Record<string, unknown>;
  /** While running: what a restarted bot needs to finish the work and update the card. */
  resume?: { reference: Partial<ConversationReference>; actor: Actor; tenantId?: string };
}

export const JOB_RECORD_PREFIX = 'card-actions/jobs/';
/** Keys of records in state 'running', so a restart can find work the previous process left half done. */
const RUNNING_INDEX = 'card-actions/running-index';

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
  /** Index updates are read-modify-write: one at a time. */
  private indexQueue: Promise<void> = Promise.resolve();

  constructor(private readonly storage: Storage) {}

  running(incidentName: string, action: LongAction, planId?: string): { startedBy: string } | undefined {
    const job = this.inflight.get(jobKey(incidentName, action, planId));
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
    planId?: string,
  ): { joined: boolean; startedBy: string } {
    const key = jobKey(incidentName, action, planId);
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
    planId?: string,
  ): Promise<JobRecord | undefined> {
    const key = recordKey(incidentName, action, cardActivityId, planId);
    const item = (await this.storage.read([key]))[key] as JobRecord | undefined;
    return item && typeof item.state === 'string' ? item : undefined;
  }

  async write(record: JobRecord): Promise<void> {
    const key = recordKey(record.incidentName, record.action, record.cardActivityId, record.planId);
    const stored: JobRecord = record.state === 'running' ? record : { ...record, resume: undefined };
    await this.storage.write({ [key]: { ...stored, eTag: '*' } });
    await this.updateIndex(key, record.state === 'running');
  }

  /** Records a previous process left in state 'running' (it stopped mid-work) and nobody is running now. */
  async interrupted(): Promise<JobRecord[]> {
    const keys = await this.runningKeys();
    if (keys.length === 0) return [];
    const items = await this.storage.read(keys);
    return keys
      .map((k) => items[k] as JobRecord | undefined)
      .filter((r): r is JobRecord => r !== undefined && r.state === 'running' && r.resume !== undefined)
      .filter((r) => !this.inflight.has(jobKey(r.incidentName, r.action, r.planId)));
  }

  private async runningKeys(): Promise<string[]> {
    const index = (await this.storage.read([RUNNING_INDEX]))[RUNNING_INDEX] as { keys?: unknown } | undefined;
    return Array.isArray(index?.keys) ? index.keys.filter((k): k is string => typeof k === 'string') : [];
  }

  private updateIndex(key: string, running: boolean): Promise<void> {
    const next = this.indexQueue.then(async () => {
      const keys = new Set(await this.runningKeys());
      if (running === keys.has(key)) return;
      if (running) keys.add(key);
      else keys.delete(key);
      await this.storage.write({ [RUNNING_INDEX]: { keys: [...keys], eTag: '*' } });
    });
    this.indexQueue = next.catch((err: unknown) =>
      log.warn({ err }, 'could not update the running-jobs index'),
    );
    return next;
  }
}

function jobKey(incidentName: string, action: LongAction, planId?: string): string {
  return `${incidentName.toLowerCase()}|${action}${planId ? `|${planId}` : ''}`;
}

/** Per click of a card; a plan's "Add" button on the same card is a different record for each plan. */
function recordKey(
  incidentName: string,
  action: LongAction,
  cardActivityId: string,
  planId?: string,
): string {
  return `${JOB_RECORD_PREFIX}${incidentName.toLowerCase()}/${action}/${encodeURIComponent(cardActivityId)}${planId ? `/${planId}` : ''}`;
}
