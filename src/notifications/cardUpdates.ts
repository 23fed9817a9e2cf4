import type { Incident } from '../domain/types';
import type { DeliveryRecord } from './outbox';

/**
 * What a posted card shows that can change. Only these fields trigger an in-place update; a new
 * comment or alert count alone does not re-post anything.
 */
export function cardFingerprint(incident: Incident): string {
  const owner = incident.owner.assignedTo ?? incident.owner.userPrincipalName ?? incident.owner.email ?? '';
  return JSON.stringify([
    incident.status,
    incident.severity,
    owner,
    incident.title,
    incident.classification ?? '',
  ]);
}

function isOlder(candidate: Incident, known: Incident): boolean {
  const a = Date.parse(candidate.lastModifiedTimeUtc);
  const b = Date.parse(known.lastModifiedTimeUtc);
  return !Number.isNaN(a) && !Number.isNaN(b) && a < b;
}

/**
 * Folds a newly seen state of the incident into its delivery record. Returns the new record, or
 * undefined when nothing changes (stale or identical data).
 */
export function applyIncidentChange(record: DeliveryRecord, incident: Incident): DeliveryRecord | undefined {
  if (isOlder(incident, record.incident)) return undefined;
  const changed = cardFingerprint(incident) !== cardFingerprint(record.incident);
  switch (record.state) {
    case 'pending':
      // Not posted yet: the card will simply be rendered from the newer state.
      return changed ? { ...record, incident } : undefined;
    case 'sent': {
      const stale = cardFingerprint(incident) !== record.shownFingerprint;
      if (!changed && record.updatePending === stale) return undefined;
      return {
        ...record,
        incident,
        updatePending: stale && record.activityId !== undefined && record.activityId !== '',
      };
    }
    case 'digested':
    case 'failed':
      // Digest rows carry only number, severity and title; the full card is fetched fresh on select.
      return changed ? { ...record, incident } : undefined;
  }
}

/** The record after `shown` was written to the card; still pending if the incident moved on meanwhile. */
export function markCardUpdated(record: DeliveryRecord, shown: Incident): DeliveryRecord {
  const shownFingerprint = cardFingerprint(shown);
  return {
    ...record,
    shownFingerprint,
    updatePending: cardFingerprint(record.incident) !== shownFingerprint,
  };
}
