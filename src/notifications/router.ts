import type { Incident } from '../domain/types';
import { applyIncidentChange } from './cardUpdates';
import { needsWork, type DeliveryRecord, type Outbox } from './outbox';
import { meetsMinimum, type Subscription, type SubscriptionStore } from './subscriptions';

/**
 * Incidents created shortly before a subscription still count as new for it: Sentinel stamps
 * createdTimeUtc before the incident becomes visible to the API, and analysts subscribe in reaction to
 * an incident they just saw.
 */
export const SUBSCRIBE_GRACE_MS = 10 * 60_000;

function wantsNewCard(sub: Subscription, incident: Incident): boolean {
  if (!meetsMinimum(incident.severity, sub.minSeverity)) return false;
  const created = Date.parse(incident.createdTimeUtc);
  const subscribed = Date.parse(sub.createdAt);
  return Number.isNaN(created) || Number.isNaN(subscribed) || created >= subscribed - SUBSCRIBE_GRACE_MS;
}

/**
 * Records what an observed incident state means for every active subscription: a new pending card,
 * an update to a posted card, or nothing (already known). Idempotent, so both sources and restarts may
 * report the same incident any number of times. Returns the conversations that now have work.
 */
export async function routeIncident(
  incident: Incident,
  deps: { subscriptions: SubscriptionStore; outbox: Outbox; now: () => number },
): Promise<string[]> {
  const affected: string[] = [];
  for (const sub of await deps.subscriptions.active()) {
    const result = await deps.outbox.mutate(sub.conversationId, incident.name, (current) => {
      if (current !== undefined) return applyIncidentChange(current, incident);
      if (!wantsNewCard(sub, incident)) return undefined;
      const created: DeliveryRecord = {
        conversationId: sub.conversationId,
        incidentName: incident.name,
        incident,
        state: 'pending',
        enqueuedAt: new Date(deps.now()).toISOString(),
      };
      return created;
    });
    if (result !== undefined && needsWork(result)) affected.push(sub.conversationId);
  }
  return affected;
}
