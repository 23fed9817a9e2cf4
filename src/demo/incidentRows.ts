import type { WorkspaceRef } from '../config';
import { incidentPortalUrl } from './armIds';
import type { LogRecord } from './logTables';
import type { StoredAlert, StoredIncident } from './storeTypes';

/**
 * SecurityIncident gets a new row on every change (queries take `arg_max(TimeGenerated, *)` per
 * IncidentNumber), which is how Sentinel writes it.
 */
export function securityIncidentRecord(
  ws: WorkspaceRef,
  incident: StoredIncident,
  modifiedBy: string,
): LogRecord {
  return {
    TimeGenerated: incident.lastModifiedTimeUtc,
    IncidentName: incident.name,
    IncidentNumber: incident.number,
    Title: incident.title,
    Description: incident.description,
    Severity: incident.severity,
    Status: incident.status,
    Classification: incident.classification ?? '',
    ClassificationReason: incident.classificationReason ?? '',
    ClassificationComment: incident.classificationComment ?? '',
    Owner: {
      objectId: incident.owner.objectId ?? null,
      email: incident.owner.email ?? null,
      assignedTo: incident.owner.assignedTo ?? null,
      userPrincipalName: incident.owner.userPrincipalName ?? null,
    },
    ProviderName: incident.providerName,
    ProviderIncidentId: incident.providerIncidentId,
    FirstActivityTime: incident.firstActivityTimeUtc ?? null,
    LastActivityTime: incident.lastActivityTimeUtc ?? null,
    FirstModifiedTime: incident.createdTimeUtc,
    LastModifiedTime: incident.lastModifiedTimeUtc,
    CreatedTime: incident.createdTimeUtc,
    ClosedTime: incident.closedTimeUtc ?? null,
    AlertIds: incident.alerts.map((a) => a.name),
    BookmarkIds: incident.bookmarks.map((b) => b.name),
    Comments: incident.comments.map((c) => ({
      message: c.message,
      createdTimeUtc: c.createdTimeUtc,
      author: { name: c.author.name, email: c.author.email, objectId: c.author.objectId },
    })),
    Tasks: incident.tasks.map((t) => ({
      title: t.title,
      status: t.status,
      createdTimeUtc: t.createdTimeUtc,
    })),
    Labels: incident.labels.map((l) => ({ labelName: l.labelName, labelType: l.labelType })),
    RelatedAnalyticRuleIds: incident.relatedAnalyticRuleIds,
    IncidentUrl: incidentPortalUrl(ws, incident.name),
    AdditionalData: {
      alertsCount: incident.alerts.length,
      bookmarksCount: incident.bookmarks.length,
      commentsCount: incident.comments.length,
      alertProductNames: [...new Set(incident.alerts.map((a) => a.productName))],
      tactics: incident.tactics,
      techniques: incident.techniques,
    },
    ModifiedBy: modifiedBy,
    SourceSystem: 'Azure',
  };
}

/** SecurityAlert's Entities column: a JSON string of entities with $id and lower-case Type. */
function alertEntitiesJson(incident: StoredIncident, alert: StoredAlert): string {
  const entities = alert.entityNames
    .map((name) => incident.entities.find((e) => e.name === name))
    .filter((e) => e !== undefined)
    .map((e, i) => {
      const { friendlyName: _friendlyName, ...rest } = e.properties;
      return { $id: String(i + 2), Type: e.kind.toLowerCase(), ...rest };
    });
  return JSON.stringify(entities);
}

export function securityAlertRecord(
  ws: WorkspaceRef,
  incident: StoredIncident,
  alert: StoredAlert,
): LogRecord {
  return {
    TimeGenerated: alert.timeGenerated,
    DisplayName: alert.displayName,
    AlertName: alert.displayName,
    AlertSeverity: alert.severity,
    Description: alert.description,
    ProviderName: alert.providerName,
    VendorName: 'Microsoft',
    VendorOriginalId: alert.providerAlertId,
    SystemAlertId: alert.name,
    ResourceId: '',
    SourceComputerId: '',
    AlertType: alert.alertType,
    ConfidenceLevel: alert.confidenceLevel,
    ConfidenceScore: null,
    IsIncident: false,
    StartTime: alert.startTimeUtc,
    EndTime: alert.endTimeUtc,
    ProcessingEndTime: alert.timeGenerated,
    RemediationSteps: JSON.stringify(alert.remediationSteps),
    ExtendedProperties: JSON.stringify({
      'Alert generation status': 'Full alert created',
      IncidentNumber: incident.number,
    }),
    Entities: alertEntitiesJson(incident, alert),
    Tactics: alert.tactics.join(', '),
    Techniques: JSON.stringify(alert.techniques),
    SubTechniques: '',
    ProductName: alert.productName,
    ProductComponentName: alert.productComponentName ?? '',
    AlertLink: alert.alertLink ?? '',
    Status: alert.status,
    CompromisedEntity: alert.compromisedEntity ?? '',
    ExtendedLinks: '',
    WorkspaceSubscriptionId: ws.subscriptionId,
    WorkspaceResourceGroup: ws.resourceGroup,
  };
}
