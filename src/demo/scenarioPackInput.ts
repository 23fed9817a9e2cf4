import { findActorByObjectId } from './directory';
import { PackProblem, type PackClientInfo, type PackIncident } from './scenarioPack';
import type { DemoActor, IncidentInput } from './storeTypes';

/** What the workspace already holds, so a pack cannot reuse a number or a name. */
export interface TakenIds {
  numbers: Set<number>;
  names: Set<string>;
}

/**
 * Checks what the schema cannot: entity keys are unique and every alert's entityKeys name one;
 * incident numbers and names are not taken by an earlier pack (or earlier in this one).
 */
export function checkPackReferences(incidents: readonly PackIncident[], taken: TakenIds): void {
  incidents.forEach((incident, i) => {
    const at = ['incidents', i];
    const number = incident.properties.incidentNumber;
    if (number !== undefined) {
      if (taken.numbers.has(number))
        throw new PackProblem([...at, 'properties', 'incidentNumber'], `incident number ${number} is taken`);
      taken.numbers.add(number);
    }
    if (incident.name !== undefined) {
      const name = incident.name.toLowerCase();
      if (taken.names.has(name))
        throw new PackProblem([...at, 'name'], `incident name ${incident.name} is taken`);
      taken.names.add(name);
    }
    const keys = new Set<string>();
    (incident.entities ?? []).forEach((entity, e) => {
      if (keys.has(entity.key))
        throw new PackProblem([...at, 'entities', e, 'key'], `entity key "${entity.key}" is used twice`);
      keys.add(entity.key);
    });
    (incident.alerts ?? []).forEach((alert, a) => {
      alert.entityKeys.forEach((key, k) => {
        if (!keys.has(key))
          throw new PackProblem(
            [...at, 'alerts', a, 'entityKeys', k],
            `no entity of this incident has key "${key}"`,
          );
      });
    });
  });
}

/** A pack's ClientInfo as the demo directory knows people; missing addresses come from the directory. */
function actor(info: PackClientInfo): DemoActor {
  const known = findActorByObjectId(info.objectId);
  const email = info.email ?? info.userPrincipalName ?? known?.email ?? '';
  return {
    name: info.name,
    email,
    objectId: info.objectId,
    userPrincipalName: info.userPrincipalName ?? known?.userPrincipalName ?? email,
    objectType: info.objectType ?? 'User',
  };
}

/** Drops JSON nulls so optional fields read as absent. */
function present<T>(value: T | null | undefined): T | undefined {
  return value ?? undefined;
}

/** A validated pack incident in the store's input shape (REST names → the store's names). */
export function toIncidentInput(incident: PackIncident): IncidentInput {
  const p = incident.properties;
  return {
    number: p.incidentNumber,
    etag: incident.etag,
    title: p.title,
    description: p.description ?? '',
    severity: p.severity,
    status: p.status,
    classification: p.classification,
    classificationReason: p.classificationReason,
    classificationComment: p.classificationComment,
    owner:
      p.owner === undefined
        ? undefined
        : {
            objectId: present(p.owner.objectId),
            email: present(p.owner.email),
            assignedTo: present(p.owner.assignedTo),
            userPrincipalName: present(p.owner.userPrincipalName),
            ownerType: p.owner.ownerType,
          },
    labels: p.labels?.map((l) => ({ labelName: l.labelName, labelType: l.labelType ?? 'User' })),
    createdTimeUtc: p.createdTimeUtc,
    lastModifiedTimeUtc: p.lastModifiedTimeUtc,
    firstActivityTimeUtc: p.firstActivityTimeUtc,
    lastActivityTimeUtc: p.lastActivityTimeUtc,
    providerName: p.providerName,
    providerIncidentId: p.providerIncidentId,
    relatedAnalyticRuleIds: p.relatedAnalyticRuleIds,
    entities: incident.entities?.map((e) => ({ ...e })),
    alerts: incident.alerts?.map(({ name, properties: a, entityKeys }) => ({
      name,
      displayName: a.alertDisplayName,
      description: a.description ?? '',
      severity: a.severity,
      status: a.status,
      productName: a.productName,
      productComponentName: a.productComponentName,
      alertType: a.alertType,
      providerAlertId: a.providerAlertId,
      confidenceLevel: a.confidenceLevel,
      alertLink: a.alertLink,
      tactics: a.tactics,
      techniques: a.techniques,
      startTimeUtc: a.startTimeUtc,
      endTimeUtc: a.endTimeUtc,
      timeGenerated: a.timeGenerated,
      remediationSteps: a.remediationSteps,
      compromisedEntity: a.compromisedEntity,
      entityKeys,
    })),
    comments: incident.comments?.map(({ name, etag, properties: c }) => ({
      name,
      etag,
      message: c.message,
      createdTimeUtc: c.createdTimeUtc,
      lastModifiedTimeUtc: c.lastModifiedTimeUtc,
      author: actor(c.author),
    })),
    tasks: incident.tasks?.map(({ name, etag, properties: t }) => ({
      name,
      etag,
      title: t.title,
      description: t.description,
      status: t.status,
      createdTimeUtc: t.createdTimeUtc,
      lastModifiedTimeUtc: t.lastModifiedTimeUtc,
      createdBy: actor(t.createdBy),
      lastModifiedBy: t.lastModifiedBy === undefined ? undefined : actor(t.lastModifiedBy),
    })),
    bookmarks: incident.bookmarks?.map(({ name, properties: b }) => ({
      name,
      displayName: b.displayName,
      query: b.query,
      queryResult: b.queryResult ?? '{}',
      eventTime: b.eventTime,
      createdTimeUtc: b.created,
      updatedTimeUtc: b.updated,
      createdBy: actor(b.createdBy),
      labels: b.labels,
    })),
  };
}
