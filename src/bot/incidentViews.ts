import type { Incident } from '../domain/types';
import { getLogger } from '../logger';
import type { SentinelGateway } from '../sentinel/gateway';
import type { IncidentCardView } from './cards/incidentCard';

const log = getLogger('bot.incidentViews');

export function incidentNotFoundText(incidentNumber: number, workspaceName: string): string {
  return `I couldn't find incident #${incidentNumber} in workspace ${workspaceName}. Try \`incidents\` to list open ones.`;
}

/**
 * Loads what the incident card shows. Alerts and entities enrich the card but are not essential: if
 * Sentinel fails on them the card still goes out (without them) rather than failing the whole answer.
 * Returns undefined when there is no such incident; other gateway errors propagate.
 */
export async function loadIncidentView(
  gateway: SentinelGateway,
  incidentNumber: number,
): Promise<IncidentCardView | undefined> {
  const incident = await gateway.getIncidentByNumber(incidentNumber);
  if (!incident) return undefined;
  return enrichIncident(gateway, incident);
}

export async function enrichIncident(
  gateway: SentinelGateway,
  incident: Incident,
): Promise<IncidentCardView> {
  const [alerts, entities] = await Promise.allSettled([
    gateway.listAlerts(incident.name),
    gateway.listEntities(incident.name),
  ]);
  if (alerts.status === 'rejected' || entities.status === 'rejected') {
    log.warn(
      {
        incidentNumber: incident.number,
        err:
          alerts.status === 'rejected'
            ? alerts.reason
            : entities.status === 'rejected'
              ? entities.reason
              : undefined,
      },
      'incident card sent without alerts or entities',
    );
  }
  return {
    incident,
    alerts: alerts.status === 'fulfilled' ? alerts.value : undefined,
    entities: entities.status === 'fulfilled' ? entities.value : undefined,
  };
}
