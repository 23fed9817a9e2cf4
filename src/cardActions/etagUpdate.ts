import type { Incident, IncidentUpdate } from '../domain/types';
import { isSentinelError, SentinelError } from '../sentinel/errors';
import type { SentinelGateway } from '../sentinel/gateway';

/** What to do after a 412, judged on the re-read incident. */
export type Recheck =
  /** The conflicting change did not touch what we set: apply again on the fresh etag. */
  | { kind: 'apply' }
  /** Someone already made the change we wanted. */
  | { kind: 'done'; note: string }
  /** Someone changed the same thing differently: do not overwrite, tell the user. */
  | { kind: 'conflict'; note: string };

export type EtagUpdateResult =
  | { written: true; outcome: 'updated' | 'reapplied'; incident: Incident }
  | { written: false; outcome: 'done' | 'conflict'; incident: Incident; note: string };

/**
 * An etag-guarded incident update. On 412 the incident is re-read and `recheck` decides: re-apply once
 * (if the change is still meaningful), accept someone else's identical change, or stop and report what
 * changed. A second 412 propagates: two races in a row means a busy incident the analyst should look at.
 */
export async function updateWithEtag(
  gateway: SentinelGateway,
  incident: Incident,
  update: IncidentUpdate,
  recheck: (fresh: Incident) => Recheck,
): Promise<EtagUpdateResult> {
  try {
    return { written: true, outcome: 'updated', incident: await gateway.updateIncident(incident, update) };
  } catch (err) {
    if (!isSentinelError(err, 'PreconditionFailed')) throw err;
  }
  const fresh = await gateway.getIncident(incident.name);
  if (!fresh) throw new SentinelError('NotFound', `Incident #${incident.number} was deleted meanwhile`);
  const decision = recheck(fresh);
  if (decision.kind !== 'apply')
    return { written: false, outcome: decision.kind, incident: fresh, note: decision.note };
  return { written: true, outcome: 'reapplied', incident: await gateway.updateIncident(fresh, update) };
}
