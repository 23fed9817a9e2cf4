import type { WorkspaceRef } from '../config';
import { incidentPortalUrl, incidentResourceId, securityInsightsBase } from './armIds';
import type {
  DemoActor,
  StoredAlert,
  StoredBookmark,
  StoredComment,
  StoredEntity,
  StoredIncident,
  StoredTask,
} from './storeTypes';

/** The JSON Sentinel 2024-09-01 returns for each resource (see contracts/sentinel-2024-09-01). */

function clientInfo(actor: DemoActor): Record<string, string> {
  return {
    name: actor.name,
    email: actor.email,
    objectId: actor.objectId,
    userPrincipalName: actor.userPrincipalName,
    objectType: actor.objectType,
  };
}

export function incidentResource(ws: WorkspaceRef, i: StoredIncident): Record<string, unknown> {
  const additionalData: Record<string, unknown> = {
    alertsCount: i.alerts.length,
    bookmarksCount: i.bookmarks.length,
    commentsCount: i.comments.length,
    alertProductNames: [...new Set(i.alerts.map((a) => a.productName))],
    tactics: i.tactics,
    techniques: i.techniques,
  };
  if (i.providerIncidentUrl !== undefined) additionalData.providerIncidentUrl = i.providerIncidentUrl;
  const properties: Record<string, unknown> = {
    title: i.title,
    description: i.description,
    severity: i.severity,
    status: i.status,
    owner: {
      objectId: i.owner.objectId ?? null,
      email: i.owner.email ?? null,
      assignedTo: i.owner.assignedTo ?? null,
      userPrincipalName: i.owner.userPrincipalName ?? null,
      ownerType: i.owner.ownerType,
    },
    labels: i.labels,
    incidentNumber: i.number,
    createdTimeUtc: i.createdTimeUtc,
    lastModifiedTimeUtc: i.lastModifiedTimeUtc,
    incidentUrl: incidentPortalUrl(ws, i.name),
    providerName: i.providerName,
    providerIncidentId: i.providerIncidentId,
    relatedAnalyticRuleIds: i.relatedAnalyticRuleIds,
    additionalData,
  };
  if (i.firstActivityTimeUtc !== undefined) properties.firstActivityTimeUtc = i.firstActivityTimeUtc;
  if (i.lastActivityTimeUtc !== undefined) properties.lastActivityTimeUtc = i.lastActivityTimeUtc;
  if (i.classification !== undefined) properties.classification = i.classification;
  if (i.classificationReason !== undefined) properties.classificationReason = i.classificationReason;
  if (i.classificationComment !== undefined) properties.classificationComment = i.classificationComment;
  return {
    id: incidentResourceId(ws, i.name),
    name: i.name,
    type: 'Microsoft.SecurityInsights/Incidents',
    etag: i.etag,
    properties,
  };
}

export function alertResource(ws: WorkspaceRef, a: StoredAlert): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    systemAlertId: a.name,
    alertDisplayName: a.displayName,
    friendlyName: a.displayName,
    description: a.description,
    alertType: a.alertType,
    severity: a.severity,
    status: a.status,
    confidenceLevel: a.confidenceLevel,
    vendorName: 'Microsoft',
    productName: a.productName,
    providerAlertId: a.providerAlertId,
    tactics: a.tactics,
    techniques: a.techniques,
    startTimeUtc: a.startTimeUtc,
    endTimeUtc: a.endTimeUtc,
    timeGenerated: a.timeGenerated,
    processingEndTime: a.timeGenerated,
    remediationSteps: a.remediationSteps,
    resourceIdentifiers: [
      {
        type: 'LogAnalytics',
        workspaceId: ws.workspaceId,
        subscriptionId: ws.subscriptionId,
        resourceGroup: ws.resourceGroup,
      },
    ],
    additionalData: { AlertMessageEnqueueTime: a.timeGenerated, MitreTechniques: a.techniques.join(', ') },
  };
  if (a.productComponentName !== undefined) properties.productComponentName = a.productComponentName;
  if (a.compromisedEntity !== undefined) properties.compromisedEntity = a.compromisedEntity;
  if (a.alertLink !== undefined) properties.alertLink = a.alertLink;
  return {
    id: `${securityInsightsBase(ws)}/Entities/${a.name}`,
    name: a.name,
    type: 'Microsoft.SecurityInsights/Entities',
    kind: 'SecurityAlert',
    properties,
  };
}

export function entityResource(ws: WorkspaceRef, e: StoredEntity): Record<string, unknown> {
  return {
    id: `${securityInsightsBase(ws)}/Entities/${e.name}`,
    name: e.name,
    type: 'Microsoft.SecurityInsights/Entities',
    kind: e.kind,
    properties: e.properties,
  };
}

export function entitiesResponse(ws: WorkspaceRef, incident: StoredIncident): Record<string, unknown> {
  const counts = new Map<string, number>();
  for (const e of incident.entities) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
  return {
    entities: incident.entities.map((e) => entityResource(ws, e)),
    metaData: [...counts].map(([entityKind, count]) => ({ count, entityKind })),
  };
}

export function bookmarkResource(ws: WorkspaceRef, b: StoredBookmark): Record<string, unknown> {
  const by = { objectId: b.createdBy.objectId, email: b.createdBy.email, name: b.createdBy.name };
  return {
    id: `${securityInsightsBase(ws)}/bookmarks/${b.name}`,
    name: b.name,
    type: 'Microsoft.SecurityInsights/Entities',
    kind: 'Bookmark',
    properties: {
      displayName: b.displayName,
      friendlyName: b.displayName,
      created: b.created,
      updated: b.updated,
      createdBy: by,
      updatedBy: by,
      eventTime: b.eventTime,
      labels: b.labels,
      query: b.query,
      queryResult: b.queryResult,
      additionalData: { ETag: b.etag, EntityId: b.name },
    },
  };
}

export function commentResource(
  ws: WorkspaceRef,
  incidentName: string,
  c: StoredComment,
): Record<string, unknown> {
  return {
    id: `${incidentResourceId(ws, incidentName)}/comments/${c.name}`,
    name: c.name,
    type: 'Microsoft.SecurityInsights/incidents/comments',
    etag: c.etag,
    properties: {
      message: c.message,
      createdTimeUtc: c.createdTimeUtc,
      lastModifiedTimeUtc: c.lastModifiedTimeUtc,
      author: clientInfo(c.author),
    },
  };
}

export function taskResource(ws: WorkspaceRef, incidentName: string, t: StoredTask): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    title: t.title,
    status: t.status,
    createdTimeUtc: t.createdTimeUtc,
    lastModifiedTimeUtc: t.lastModifiedTimeUtc,
    createdBy: clientInfo(t.createdBy),
    lastModifiedBy: clientInfo(t.lastModifiedBy),
  };
  if (t.description !== undefined) properties.description = t.description;
  return {
    id: `${incidentResourceId(ws, incidentName)}/tasks/${t.name}`,
    name: t.name,
    etag: t.etag,
    type: 'Microsoft.SecurityInsights/incidents/tasks',
    properties,
  };
}
