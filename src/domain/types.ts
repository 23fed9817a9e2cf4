/**
 * Our domain types. SDK types stay inside src/sentinel; everything above it speaks these.
 * Field names follow Sentinel's where they mean the same thing, so an analyst reading the code and
 * the portal sees the same words.
 */

export const SEVERITIES = ['High', 'Medium', 'Low', 'Informational'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const INCIDENT_STATUSES = ['New', 'Active', 'Closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const CLASSIFICATIONS = ['Undetermined', 'TruePositive', 'BenignPositive', 'FalsePositive'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const CLASSIFICATION_REASONS = [
  'SuspiciousActivity',
  'SuspiciousButExpected',
  'IncorrectAlertLogic',
  'InaccurateData',
] as const;
export type ClassificationReason = (typeof CLASSIFICATION_REASONS)[number];

export interface IncidentOwner {
  objectId?: string;
  email?: string;
  userPrincipalName?: string;
  assignedTo?: string;
}

export interface Incident {
  /** ARM resource name of the incident (a GUID); the stable key. */
  name: string;
  /** Full ARM resource id. */
  id: string;
  etag?: string;
  number: number;
  title: string;
  description: string;
  severity: Severity;
  status: IncidentStatus;
  classification?: Classification;
  classificationReason?: ClassificationReason;
  classificationComment?: string;
  owner: IncidentOwner;
  createdTimeUtc: string;
  lastModifiedTimeUtc: string;
  firstActivityTimeUtc?: string;
  lastActivityTimeUtc?: string;
  tactics: string[];
  techniques: string[];
  alertProductNames: string[];
  alertsCount: number;
  bookmarksCount: number;
  commentsCount: number;
  labels: string[];
  /** Azure portal link to the incident. */
  incidentUrl?: string;
  /** Defender portal (or other provider) link, when the incident has one. */
  providerIncidentUrl?: string;
  providerName?: string;
}

export interface Alert {
  name: string;
  id: string;
  displayName: string;
  description: string;
  severity: Severity;
  status: string;
  productName: string;
  providerAlertId?: string;
  tactics: string[];
  techniques: string[];
  startTimeUtc?: string;
  endTimeUtc?: string;
  timeGenerated?: string;
  remediationSteps: string[];
  compromisedEntity?: string;
  alertLink?: string;
}

/** Sentinel entity kinds as the API names them (Account, Host, Ip, Url, FileHash, File, Mailbox, ...). */
export type EntityKind = string;

export interface Entity {
  id: string;
  kind: EntityKind;
  friendlyName: string;
  /** Kind-specific properties as Sentinel returns them (accountName, upnSuffix, address, url, ...). */
  properties: Record<string, unknown>;
}

export interface CommentAuthor {
  name?: string;
  email?: string;
  objectId?: string;
  userPrincipalName?: string;
}

export interface IncidentComment {
  name: string;
  message: string;
  createdTimeUtc?: string;
  author: CommentAuthor;
  etag?: string;
}

export const TASK_STATUSES = ['New', 'Completed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface IncidentTask {
  name: string;
  title: string;
  description?: string;
  status: TaskStatus;
  createdTimeUtc?: string;
  lastModifiedTimeUtc?: string;
  createdBy?: CommentAuthor;
  etag?: string;
}

export const COLUMN_TYPES = [
  'string',
  'int',
  'long',
  'real',
  'bool',
  'datetime',
  'dynamic',
  'guid',
  'timespan',
  'decimal',
] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export function isColumnType(value: string): value is ColumnType {
  return (COLUMN_TYPES as readonly string[]).includes(value);
}

export interface QueryTable {
  name: string;
  columns: { name: string; type: ColumnType }[];
  rows: unknown[][];
}

export type QueryResult =
  | { status: 'Success'; tables: QueryTable[] }
  | { status: 'PartialFailure'; tables: QueryTable[]; error: string };

/** The writable subset of an incident, as the bot changes it. */
export interface IncidentUpdate {
  status?: IncidentStatus;
  severity?: Severity;
  owner?: IncidentOwner;
  classification?: Classification;
  classificationReason?: ClassificationReason;
  classificationComment?: string;
  title?: string;
}
