import type { Attachment } from 'botbuilder';
import type { Incident } from '../domain/types';
import { getLogger } from '../logger';
import { cardFingerprint, markCardUpdated } from './cardUpdates';
import type { Clock } from './clock';
import { DeliveryError } from './deliveryError';
import { chunkForDigest, DIGEST_MAX_ITEMS, renderDigestCard } from './digest';
import type { DeliveryRecord, Outbox } from './outbox';
import type { ThrottledSender } from './sender';
import { SEVERITY_RANK, type Subscription, type SubscriptionStore } from './subscriptions';

const log = getLogger('notifications.worker');

/** High before Medium before Low; within a severity, oldest first. */
export function compareDeliveryOrder(a: Incident, b: Incident): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    Date.parse(a.createdTimeUtc) - Date.parse(b.createdTimeUtc) ||
    a.number - b.number
  );
}

export interface ThreadContext {
  setForThread(channelConversationId: string, rootActivityId: string, incidentNumber: number): Promise<void>;
}

export interface DeliveryWorkerOptions {
  outbox: Outbox;
  subscriptions: SubscriptionStore;
  sender: ThrottledSender;
  renderIncidentCard: (incident: Incident) => Attachment;
  incidentContext?: ThreadContext;
  clock: Clock;
  /** More pending new incidents than this for one conversation become digest cards. */
  digestThreshold: number;
  digestMaxItems?: number;
  /** Wait after the first new work so a burst is seen as one batch (ms of the clock). */
  batchWindowMs?: number;
  /** When Teams keeps refusing, try the conversation again after this long. */
  retryLaterMs?: number;
  signal: AbortSignal;
}

export interface DeliveryStats {
  cards: number;
  digests: number;
  digestedIncidents: number;
  updates: number;
  failed: number;
}

type PassOutcome = 'idle' | 'progress' | { retryLater: DeliveryError } | 'gone';

/**
 * Drains the outbox, one sequential loop per conversation (so its order holds and its rate limit is
 * shared), conversations in parallel. Everything it does is recorded in the outbox before the next step.
 */
export class DeliveryWorker {
  readonly stats: DeliveryStats = { cards: 0, digests: 0, digestedIncidents: 0, updates: 0, failed: 0 };
  private readonly loops = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(private readonly o: DeliveryWorkerOptions) {}

  /** There may be new work for `conversationId`. */
  kick(conversationId: string): void {
    if (this.o.signal.aborted) return;
    if (this.loops.has(conversationId)) {
      this.again.add(conversationId);
      return;
    }
    const loop = this.run(conversationId)
      .catch((err: unknown) =>
        log.error({ err, conversationId }, 'delivery loop failed; will retry on the next kick'),
      )
      .finally(() => {
        this.loops.delete(conversationId);
        if (this.again.delete(conversationId)) this.kick(conversationId);
      });
    this.loops.set(conversationId, loop);
  }

  /** Resumes every active subscription's pending deliveries (after a restart). */
  async kickAll(): Promise<void> {
    for (const sub of await this.o.subscriptions.active()) this.kick(sub.conversationId);
  }

  /** Resolves once no conversation has a running loop. */
  async idle(): Promise<void> {
    while (this.loops.size > 0) await Promise.all([...this.loops.values()]);
  }

  private async run(conversationId: string): Promise<void> {
    await this.o.clock.sleep(this.o.batchWindowMs ?? 0, this.o.signal);
    while (!this.o.signal.aborted) {
      this.again.delete(conversationId);
      const outcome = await this.pass(conversationId);
      if (typeof outcome === 'object') {
        const delay = this.o.retryLaterMs ?? 60_000;
        const { message, status } = outcome.retryLater;
        log.warn(
          { conversationId, delay, status, err: message },
          'Teams keeps refusing; trying this conversation again later',
        );
        void this.o.clock.sleep(delay, this.o.signal).then(() => this.kick(conversationId));
        return;
      }
      if (outcome === 'gone' || outcome === 'idle') return;
    }
  }

  private async pass(conversationId: string): Promise<PassOutcome> {
    const sub = await this.o.subscriptions.get(conversationId);
    if (sub === undefined || sub.disabled !== undefined) return 'gone';
    const records = await this.o.outbox.pending(conversationId);
    if (records.length === 0) {
      await this.o.outbox.compact(conversationId);
      return 'idle';
    }
    const fresh = records
      .filter((r) => r.state === 'pending')
      .sort((a, b) => compareDeliveryOrder(a.incident, b.incident));
    const stale = records.filter((r) => r.state === 'sent');
    try {
      if (fresh.length > this.o.digestThreshold) {
        await this.sendDigests(sub, fresh);
      } else {
        for (const r of fresh) await this.sendCard(sub, r);
      }
      for (const r of stale) await this.updateCard(sub, r);
      return 'progress';
    } catch (err) {
      if (!(err instanceof DeliveryError)) throw err;
      if (err.kind === 'gone') {
        await this.o.subscriptions.disable(conversationId, err.message, err.status);
        return 'gone';
      }
      return { retryLater: err };
    }
  }

  private async sendCard(sub: Subscription, record: DeliveryRecord): Promise<void> {
    const { incident } = record;
    let id: string;
    try {
      const attachment = this.o.renderIncidentCard(incident);
      ({ id } = await this.o.sender.send(sub.conversationId, sub.reference, {
        type: 'message',
        attachments: [attachment],
      }));
    } catch (err) {
      if (err instanceof DeliveryError && err.kind !== 'rejected') throw err;
      await this.markFailed(record, err);
      return;
    }
    const shownFingerprint = cardFingerprint(incident);
    await this.o.outbox.mutate(sub.conversationId, record.incidentName, (cur) =>
      cur === undefined
        ? undefined
        : {
            ...cur,
            state: 'sent',
            activityId: id,
            sentAt: new Date(this.o.clock.now()).toISOString(),
            shownFingerprint,
            updatePending: id !== '' && cardFingerprint(cur.incident) !== shownFingerprint,
          },
    );
    this.stats.cards++;
    if (sub.conversationType === 'channel' && id !== '' && this.o.incidentContext !== undefined) {
      // Replies in the card's thread are then about this incident.
      await this.o.incidentContext
        .setForThread(sub.conversationId, id, incident.number)
        .catch((err: unknown) =>
          log.warn({ err, incident: incident.number }, 'could not remember the thread of a posted card'),
        );
    }
  }

  private async sendDigests(sub: Subscription, fresh: DeliveryRecord[]): Promise<void> {
    const parts = chunkForDigest(fresh, this.o.digestMaxItems ?? DIGEST_MAX_ITEMS);
    for (const [index, part] of parts.entries()) {
      let id: string;
      try {
        const card = renderDigestCard(
          part.map((r) => r.incident),
          { part: index + 1, parts: parts.length, total: fresh.length },
        );
        ({ id } = await this.o.sender.send(sub.conversationId, sub.reference, {
          type: 'message',
          attachments: [card],
        }));
      } catch (err) {
        if (err instanceof DeliveryError && err.kind !== 'rejected') throw err;
        for (const r of part) await this.markFailed(r, err);
        continue;
      }
      const at = new Date(this.o.clock.now()).toISOString();
      for (const r of part) {
        await this.o.outbox.mutate(sub.conversationId, r.incidentName, (cur) =>
          cur === undefined ? undefined : { ...cur, state: 'digested', digestActivityId: id, sentAt: at },
        );
      }
      this.stats.digests++;
      this.stats.digestedIncidents += part.length;
      log.info(
        { conversationId: sub.conversationId, incidents: part.length },
        'posted a digest instead of one card each',
      );
    }
  }

  private async updateCard(sub: Subscription, record: DeliveryRecord): Promise<void> {
    const shown = record.incident;
    const activityId = record.activityId ?? '';
    if (activityId !== '') {
      try {
        const attachment = this.o.renderIncidentCard(shown);
        await this.o.sender.update(sub.conversationId, sub.reference, activityId, {
          type: 'message',
          attachments: [attachment],
        });
        this.stats.updates++;
      } catch (err) {
        // A 404 on update means the message was deleted, not that the bot lost the conversation.
        const deleted = err instanceof DeliveryError && err.kind === 'gone' && err.status === 404;
        if (err instanceof DeliveryError && err.kind !== 'rejected' && !deleted) throw err;
        log.warn(
          { err, incident: shown.number, conversationId: sub.conversationId },
          'card could not be updated; leaving it',
        );
        await this.o.outbox.mutate(sub.conversationId, record.incidentName, (cur) =>
          cur === undefined
            ? undefined
            : { ...cur, updatePending: false, shownFingerprint: cardFingerprint(cur.incident) },
        );
        return;
      }
    }
    await this.o.outbox.mutate(sub.conversationId, record.incidentName, (cur) =>
      cur === undefined ? undefined : markCardUpdated(cur, shown),
    );
  }

  private async markFailed(record: DeliveryRecord, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    log.error(
      { incident: record.incident.number, conversationId: record.conversationId, err: message },
      'incident card rejected; not retrying',
    );
    this.stats.failed++;
    await this.o.outbox.mutate(record.conversationId, record.incidentName, (cur) =>
      cur === undefined ? undefined : { ...cur, state: 'failed', lastError: message },
    );
  }
}
