import { getLogger } from '../logger';
import type { Actor } from '../authz/responders';

/** One named logger for every write the bot does on someone's behalf, so operators can ship it apart. */
export const auditLogger = getLogger('audit');

export type AuditResult = 'written' | 'unchanged' | 'conflict' | 'denied' | 'invalid' | 'failed';

export interface AuditEntry {
  actor: Actor;
  tenantId: string | undefined;
  action: string;
  incidentNumber: number;
  incidentName?: string;
  result: AuditResult;
  durationMs: number;
  /** What was written or why not (task ids, comment ids, the denial reason, the error). */
  detail?: Record<string, unknown>;
}

export function auditCardAction(entry: AuditEntry): void {
  const record = {
    who: { aadObjectId: entry.actor.aadObjectId, name: entry.actor.name, teamsId: entry.actor.teamsId },
    tenantId: entry.tenantId,
    action: entry.action,
    incident: { number: entry.incidentNumber, name: entry.incidentName },
    result: entry.result,
    durationMs: Math.round(entry.durationMs),
    ...entry.detail,
  };
  if (entry.result === 'failed') auditLogger.error(record, 'card action');
  else if (entry.result === 'denied') auditLogger.warn(record, 'card action');
  else auditLogger.info(record, 'card action');
}
