import type { Storage } from 'botbuilder';
import type { Incident } from '../domain/types';

export type DeliveryState = 'pending' | 'sent' | 'digested' | 'failed';

/**
 * One incident's delivery to one conversation — the dedupe key is (conversation, incident name), so
 * the webhook, the poller and a restart all converge on the same record.
 */
export interface DeliveryRecord {
  conversationId: string;
  incidentName: string;
  /** Latest known state of the incident (as re-read from Sentinel); what the card shows. */
  incident: Incident;
  state: DeliveryState;
  enqueuedAt: string;
  /** The posted card (state 'sent'); the root of its thread in a channel. */
  activityId?: string;
  /** The digest card this incident was listed in (state 'digested'). */
  digestActivityId?: string;
  sentAt?: string;
  /** cardFingerprint() of what the posted card shows, to tell when it needs updating. */
  shownFingerprint?: string;
  /** The posted card is out of date and should be updated in place. */
  updatePending?: boolean;
  lastError?: string;
}

/** Whether the worker still has something to do for this record. */
export function needsWork(record: DeliveryRecord): boolean {
  return record.state === 'pending' || (record.state === 'sent' && record.updatePending === true);
}

export const OUTBOX_RECORD_PREFIX = 'notifications/outbox/';
const PENDING_PREFIX = 'notifications/outbox-pending/';

interface PendingDoc {
  names: string[];
}

/**
 * Durable outbox in botbuilder Storage. A delivery is written (pending) before anything is sent and
 * marked after, so a restart resumes whatever was not confirmed. Each conversation keeps an index of
 * records that need work (Storage cannot list keys). All changes for one conversation are serialised.
 */
export class Outbox {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly storage: Storage) {}

  async get(conversationId: string, incidentName: string): Promise<DeliveryRecord | undefined> {
    const key = recordKey(conversationId, incidentName);
    const items = await this.storage.read([key]);
    return toRecord(items[key]);
  }

  /** Records that still need work for a conversation (pending sends and pending card updates). */
  async pending(conversationId: string): Promise<DeliveryRecord[]> {
    const names = await this.pendingNames(conversationId);
    if (names.length === 0) return [];
    const keys = names.map((n) => recordKey(conversationId, n));
    const items = await this.storage.read(keys);
    return keys
      .map((k) => toRecord(items[k]))
      .filter((r): r is DeliveryRecord => r !== undefined && needsWork(r));
  }

  /**
   * Read-modify-write of one record under the conversation's lock. `change` returns the new record, or
   * undefined to leave it as it is. The pending index follows the record's needsWork().
   */
  mutate(
    conversationId: string,
    incidentName: string,
    change: (current: DeliveryRecord | undefined) => DeliveryRecord | undefined,
  ): Promise<DeliveryRecord | undefined> {
    return this.withLock(conversationId, async () => {
      const current = await this.get(conversationId, incidentName);
      const next = change(current);
      if (next === undefined) return current;
      const names = await this.pendingNames(conversationId);
      const listed = names.includes(incidentName);
      const record = { [recordKey(conversationId, incidentName)]: { ...next, eTag: '*' } };
      const indexKey = pendingKey(conversationId);
      // Order the two writes so a crash between them never hides work: add to the index before the
      // record becomes pending, remove from it only after the record says done. pending() ignores index
      // entries whose record needs nothing.
      if (needsWork(next) && !listed) {
        await this.storage.write({ [indexKey]: { names: [...names, incidentName], eTag: '*' } });
        await this.storage.write(record);
      } else if (!needsWork(next) && listed) {
        await this.storage.write(record);
        await this.storage.write({
          [indexKey]: { names: names.filter((n) => n !== incidentName), eTag: '*' },
        });
      } else {
        await this.storage.write(record);
      }
      return next;
    });
  }

  /** Drops index entries whose records no longer need work (left behind by a crash between writes). */
  compact(conversationId: string): Promise<void> {
    return this.withLock(conversationId, async () => {
      const names = await this.pendingNames(conversationId);
      if (names.length === 0) return;
      const keys = names.map((n) => recordKey(conversationId, n));
      const items = await this.storage.read(keys);
      const keep = names.filter((_, i) => {
        const r = toRecord(items[keys[i]]);
        return r !== undefined && needsWork(r);
      });
      if (keep.length !== names.length) {
        await this.storage.write({ [pendingKey(conversationId)]: { names: keep, eTag: '*' } });
      }
    });
  }

  private async pendingNames(conversationId: string): Promise<string[]> {
    const key = pendingKey(conversationId);
    const items = await this.storage.read([key]);
    const names = (items[key] as Partial<PendingDoc> | undefined)?.names;
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
  }

  private withLock<T>(conversationId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(conversationId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    this.locks.set(conversationId, tail);
    void tail.then(() => {
      if (this.locks.get(conversationId) === tail) this.locks.delete(conversationId);
    });
    return run;
  }
}

function recordKey(conversationId: string, incidentName: string): string {
  return `${OUTBOX_RECORD_PREFIX}${encodeURIComponent(conversationId)}/${encodeURIComponent(incidentName)}`;
}

function pendingKey(conversationId: string): string {
  return PENDING_PREFIX + encodeURIComponent(conversationId);
}

function toRecord(item: unknown): DeliveryRecord | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const { eTag: _eTag, ...rest } = item as DeliveryRecord & { eTag?: string };
  return typeof rest.incidentName === 'string' && typeof rest.state === 'string' ? rest : undefined;
}
