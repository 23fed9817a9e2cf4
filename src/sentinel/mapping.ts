import type {
  Incident as SdkIncident,
  IncidentComment as SdkIncidentComment,
} from '@azure/arm-securityinsight';
import type { LogsTable } from '@azure/monitor-query-logs';
import {
  CLASSIFICATION_REASONS,
  CLASSIFICATIONS,
  INCIDENT_STATUSES,
  SEVERITIES,
  TASK_STATUSES,
  COLUMN_TYPES,
  type Alert,
  type ColumnType,
  type CommentAuthor,
  type Entity,
  type Incident,
  type IncidentComment,
  type IncidentTask,
  type IncidentUpdate,
  type QueryTable,
} from '../domain/types';

/*
 * SDK and wire shapes → our domain types. Incidents and comments come through the SDK models; alerts,
 * entities and tasks are read from the JSON as Sentinel sends it, because the SDK (1.0.0-beta.6, built
 * for 2022-09-01-preview) has no tasks and drops fields it does not model (alert techniques, entity
 * properties it does not know).
 */

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function oneOf<T extends string>(allowed: readonly T[], value: unknown): T | undefined {
  return allowed.find((a) => a === value);
}

/** Dates as ISO strings, whether the SDK gave a Date or the wire a string (unparseable text kept as sent). */
function isoTime(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

function author(value: unknown): CommentAuthor {
  const a = record(value);
  return {
    name: text(a.name),
    email: text(a.email),
    objectId: text(a.objectId),
    userPrincipalName: text(a.userPrincipalName),
  };
}

export function toIncident(sdk: SdkIncident): Incident {
  const extra = sdk.additionalData ?? {};
  return {
    name: sdk.name ?? '',
    id: sdk.id ?? '',
    etag: sdk.etag,
    number: sdk.incidentNumber ?? 0,
    title: sdk.title ?? '',
    description: sdk.description ?? '',
    severity: oneOf(SEVERITIES, sdk.severity) ?? 'Informational',
    status: oneOf(INCIDENT_STATUSES, sdk.status) ?? 'New',
    classification: oneOf(CLASSIFICATIONS, sdk.classification),
    classificationReason: oneOf(CLASSIFICATION_REASONS, sdk.classificationReason),
    classificationComment: sdk.classificationComment,
    owner: {
      objectId: sdk.owner?.objectId,
      email: sdk.owner?.email,
      userPrincipalName: sdk.owner?.userPrincipalName,
      assignedTo: sdk.owner?.assignedTo,
    },
    createdTimeUtc: isoTime(sdk.createdTimeUtc) ?? '',
    lastModifiedTimeUtc: isoTime(sdk.lastModifiedTimeUtc) ?? '',
    firstActivityTimeUtc: isoTime(sdk.firstActivityTimeUtc),
    lastActivityTimeUtc: isoTime(sdk.lastActivityTimeUtc),
    tactics: strings(extra.tactics),
    techniques: strings(extra.techniques),
    alertProductNames: strings(extra.alertProductNames),
    alertsCount: count(extra.alertsCount),
    bookmarksCount: count(extra.bookmarksCount),
    commentsCount: count(extra.commentsCount),
    labels: (sdk.labels ?? []).map((l) => l.labelName),
    incidentUrl: sdk.incidentUrl,
    providerIncidentUrl: extra.providerIncidentUrl,
    providerName: sdk.providerName,
  };
}

/**
 * The PUT body for a read-modify-write: the incident as we read it with the update applied. The etag
 * in the body is what Sentinel checks; read-only fields are dropped by the SDK serializer anyway.
 */
export function toIncidentPutBody(incident: Incident, update: IncidentUpdate): SdkIncident {
  const firstActivity = incident.firstActivityTimeUtc ? new Date(incident.firstActivityTimeUtc) : undefined;
  const lastActivity = incident.lastActivityTimeUtc ? new Date(incident.lastActivityTimeUtc) : undefined;
  return {
    etag: incident.etag,
    title: update.title ?? incident.title,
    description: incident.description,
    severity: update.severity ?? incident.severity,
    status: update.status ?? incident.status,
    classification: update.classification ?? incident.classification,
    classificationReason: update.classificationReason ?? incident.classificationReason,
    classificationComment: update.classificationComment ?? incident.classificationComment,
    owner: { ...(update.owner ?? incident.owner) },
    labels: incident.labels.map((labelName) => ({ labelName })),
    firstActivityTimeUtc: firstActivity,
    lastActivityTimeUtc: lastActivity,
    providerName: incident.providerName,
  };
}

export function toComment(sdk: SdkIncidentComment): IncidentComment {
  return {
    name: sdk.name ?? '',
    message: sdk.message ?? '',
    createdTimeUtc: isoTime(sdk.createdTimeUtc),
    author: author(sdk.author),
    etag: sdk.etag,
  };
}

/** One item of `POST .../incidents/{id}/alerts` → value[]. */
export function toAlert(raw: unknown): Alert {
  const r = record(raw);
  const p = record(r.properties);
  return {
    name: text(r.name) ?? '',
    id: text(r.id) ?? '',
    displayName: text(p.alertDisplayName) ?? text(p.friendlyName) ?? '',
    description: text(p.description) ?? '',
    severity: oneOf(SEVERITIES, p.severity) ?? 'Informational',
    status: text(p.status) ?? 'Unknown',
    productName: text(p.productName) ?? '',
    providerAlertId: text(p.providerAlertId),
    tactics: strings(p.tactics),
    techniques: strings(p.techniques),
    startTimeUtc: isoTime(p.startTimeUtc),
    endTimeUtc: isoTime(p.endTimeUtc),
    timeGenerated: isoTime(p.timeGenerated),
    remediationSteps: strings(p.remediationSteps),
    compromisedEntity: text(p.compromisedEntity),
    alertLink: text(p.alertLink),
  };
}

/** One item of `POST .../incidents/{id}/entities` → entities[]; properties kept as Sentinel sent them. */
export function toEntity(raw: unknown): Entity {
  const r = record(raw);
  const properties = { ...record(r.properties) };
  return {
    id: text(r.id) ?? text(r.name) ?? '',
    kind: text(r.kind) ?? 'Unknown',
    friendlyName: text(properties.friendlyName) ?? text(r.name) ?? '',
    properties,
  };
}

/** One task resource of `.../incidents/{id}/tasks`. */
export function toTask(raw: unknown): IncidentTask {
  const r = record(raw);
  const p = record(r.properties);
  return {
    name: text(r.name) ?? '',
    title: text(p.title) ?? '',
    description: text(p.description),
    status: oneOf(TASK_STATUSES, p.status) ?? 'New',
    createdTimeUtc: isoTime(p.createdTimeUtc),
    lastModifiedTimeUtc: isoTime(p.lastModifiedTimeUtc),
    createdBy: p.createdBy === undefined ? undefined : author(p.createdBy),
    etag: text(r.etag),
  };
}

/**
 * One cell, JSON-safe. The logs client already turned datetime into Date and dynamic into objects; the
 * service may send numbers and booleans as strings (the published example does), so parse by type.
 */
function toCell(type: ColumnType, cell: unknown): unknown {
  if (cell === null || cell === undefined) return null;
  switch (type) {
    case 'datetime':
      return cell instanceof Date ? (Number.isNaN(cell.getTime()) ? null : cell.toISOString()) : cell;
    case 'int':
    case 'real':
    case 'long': {
      if (typeof cell !== 'string') return cell;
      const n = Number(cell);
      // A long past 2^53 would silently lose digits as a number; keep such values as text.
      if (!Number.isFinite(n) || (type === 'long' && !Number.isSafeInteger(n))) return cell;
      return n;
    }
    case 'bool':
      if (cell === 'true' || cell === 1 || cell === '1') return true;
      if (cell === 'false' || cell === 0 || cell === '0') return false;
      return cell;
    case 'dynamic':
    case 'string':
    case 'guid':
    case 'timespan':
    case 'decimal':
      return cell;
  }
}

export function toQueryTable(table: LogsTable): QueryTable {
  const columns = table.columnDescriptors.map((c) => ({
    name: c.name,
    type: oneOf(COLUMN_TYPES, c.type) ?? 'string',
  }));
  return {
    name: table.name,
    columns,
    rows: table.rows.map((row) => row.map((cell: unknown, i) => toCell(columns[i]?.type ?? 'string', cell))),
  };
}
