import type { Incident, IncidentOwner } from '../domain/types';
import { ownerName } from '../bot/cards/cardText';
import type { SentinelGateway } from '../sentinel/gateway';
import { clockText } from './cardRefresh';
import { updateWithEtag } from './etagUpdate';

export interface Assignee {
  aadObjectId: string;
  name: string;
  userPrincipalName?: string;
  email?: string;
}

export type AssignResult =
  | { written: true; incident: Incident; note: string }
  | { written: false; incident: Incident; note: string; conflict: boolean };

function isOwner(incident: Incident, who: Assignee): boolean {
  return incident.owner.objectId?.toLowerCase() === who.aadObjectId.toLowerCase();
}

function sameOwner(a: IncidentOwner, b: IncidentOwner): boolean {
  return (
    (a.objectId ?? '').toLowerCase() === (b.objectId ?? '').toLowerCase() && ownerName(a) === ownerName(b)
  );
}

/**
 * Makes the clicking user the owner. Already the owner: nothing written. On an etag conflict the owner
 * is re-checked: still the one the click saw → re-apply once; now the clicker → done; now someone else →
 * left alone, and the user is told who took it and when.
 */
export async function assignToMe(
  gateway: SentinelGateway,
  incident: Incident,
  who: Assignee,
  now: Date,
): Promise<AssignResult> {
  if (isOwner(incident, who)) {
    return { written: false, conflict: false, incident, note: `Already assigned to ${who.name}.` };
  }
  const owner: IncidentOwner = {
    objectId: who.aadObjectId,
    assignedTo: who.name,
    ...(who.userPrincipalName ? { userPrincipalName: who.userPrincipalName } : {}),
    ...((who.email ?? who.userPrincipalName) ? { email: who.email ?? who.userPrincipalName } : {}),
  };
  const result = await updateWithEtag(gateway, incident, { owner }, (fresh) => {
    if (isOwner(fresh, who)) return { kind: 'done', note: `Already assigned to ${who.name}.` };
    if (sameOwner(fresh.owner, incident.owner)) return { kind: 'apply' };
    const at = new Date(fresh.lastModifiedTimeUtc);
    const when = Number.isNaN(at.getTime()) ? '' : ` at ${clockText(at)}`;
    return {
      kind: 'conflict',
      note: `Not assigned to you: ${ownerName(fresh.owner)} took incident #${incident.number}${when}, while you clicked. Click Assign to me again to take it over.`,
    };
  });
  if (result.written) {
    return { written: true, incident: result.incident, note: `Assigned to ${who.name}, ${clockText(now)}` };
  }
  return {
    written: false,
    conflict: result.outcome === 'conflict',
    incident: result.incident,
    note: result.note,
  };
}
