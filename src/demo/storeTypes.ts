import type {
  Classification,
  ClassificationReason,
  IncidentStatus,
  Severity,
  TaskStatus,
} from '../domain/types';

/** Who did something in the demo tenant, in Sentinel's ClientInfo shape. */
export interface DemoActor {
  name: string;
  email: string;
  objectId: string;
  userPrincipalName: string;
  objectType: 'User' | 'Client';
}

export interface StoredOwner {
  objectId?: string;
  email?: string;
  assignedTo?: string;
  userPrincipalName?: string;
  ownerType: 'User' | 'Group' | 'Unknown';
}

export interface StoredLabel {
  labelName: string;
  labelType: 'User' | 'AutoAssigned';
}

export interface StoredEntity {
  name: string;
  kind: string;
  /** Kind-specific properties, including friendlyName, as Sentinel returns them. */
  properties: Record<string, unknown>;
}

export interface StoredAlert {
  name: string;
  displayName: string;
  description: string;
  severity: Severity;
  status: 'New' | 'InProgress' | 'Resolved' | 'Dismissed';
  productName: string;
  productComponentName?: string;
  /** Short provider name as SecurityAlert.ProviderName has it (IPC, MDATP, OATP, ASI Scheduled Alerts). */
  providerName: string;
  alertType: string;
  providerAlertId: string;
  confidenceLevel: 'Unknown' | 'Low' | 'High';
  tactics: string[];
  techniques: string[];
  startTimeUtc: string;
  endTimeUtc: string;
  timeGenerated: string;
  remediationSteps: string[];
  compromisedEntity?: string;
  alertLink?: string;
  /** Names of the incident's entities this alert is about. */
  entityNames: string[];
}

export interface StoredComment {
  name: string;
  message: string;
  createdTimeUtc: string;
  lastModifiedTimeUtc: string;
  author: DemoActor;
  etag: string;
}

export interface StoredTask {
  name: string;
  title: string;
  description?: string;
  status: TaskStatus;
  createdTimeUtc: string;
  lastModifiedTimeUtc: string;
  createdBy: DemoActor;
  lastModifiedBy: DemoActor;
  etag: string;
}

export interface StoredBookmark {
  name: string;
  displayName: string;
  created: string;
  updated: string;
  createdBy: DemoActor;
  eventTime: string;
  query: string;
  queryResult: string;
  labels: string[];
  etag: string;
}

export interface StoredIncident {
  name: string;
  etag: string;
  number: number;
  title: string;
  description: string;
  severity: Severity;
  status: IncidentStatus;
  classification?: Classification;
  classificationReason?: ClassificationReason;
  classificationComment?: string;
  owner: StoredOwner;
  labels: StoredLabel[];
  createdTimeUtc: string;
  lastModifiedTimeUtc: string;
  closedTimeUtc?: string;
  firstActivityTimeUtc?: string;
  lastActivityTimeUtc?: string;
  providerName: string;
  providerIncidentId: string;
  providerIncidentUrl?: string;
  relatedAnalyticRuleIds: string[];
  tactics: string[];
  techniques: string[];
  alerts: StoredAlert[];
  entities: StoredEntity[];
  comments: StoredComment[];
  tasks: StoredTask[];
  bookmarks: StoredBookmark[];
}

/** An entity as a scenario pack gives it: `key` lets alerts point at it before it has a name. */
export interface EntityInput {
  key: string;
  kind: string;
  /** Resource name; generated when absent. */
  name?: string;
  properties: Record<string, unknown>;
}

export interface AlertInput {
  /** Resource name (systemAlertId); generated when absent. */
  name?: string;
  displayName: string;
  description: string;
  severity: Severity;
  productName: string;
  productComponentName?: string;
  providerName?: string;
  alertType?: string;
  /** Default: Resolved when the incident is closed, otherwise New. */
  status?: StoredAlert['status'];
  confidenceLevel?: StoredAlert['confidenceLevel'];
  providerAlertId?: string;
  alertLink?: string;
  tactics?: string[];
  techniques?: string[];
  startTimeUtc: string;
  endTimeUtc?: string;
  /** Default: endTimeUtc. */
  timeGenerated?: string;
  remediationSteps?: string[];
  compromisedEntity?: string;
  /** Keys of EntityInput this alert is about. */
  entityKeys: string[];
}

export interface CommentInput {
  name?: string;
  etag?: string;
  message: string;
  createdTimeUtc?: string;
  lastModifiedTimeUtc?: string;
  author: DemoActor;
}

export interface TaskInput {
  title: string;
  description?: string;
  status?: TaskStatus;
  createdTimeUtc?: string;
  createdBy?: DemoActor;
}

/** A task as a scenario pack gives it, with the fields only the creator of history can set. */
export interface SeedTaskInput extends TaskInput {
  name?: string;
  etag?: string;
  lastModifiedTimeUtc?: string;
  lastModifiedBy?: DemoActor;
}

export interface BookmarkInput {
  name?: string;
  displayName: string;
  query: string;
  /** The result row as Sentinel stores it: JSON text. */
  queryResult: string;
  eventTime: string;
  createdTimeUtc: string;
  updatedTimeUtc?: string;
  createdBy: DemoActor;
  labels?: string[];
}

export interface IncidentInput {
  /** Default: one more than the highest number in the workspace. */
  number?: number;
  etag?: string;
  title: string;
  description: string;
  severity: Severity;
  status?: IncidentStatus;
  classification?: Classification;
  classificationReason?: ClassificationReason;
  classificationComment?: string;
  owner?: Omit<StoredOwner, 'ownerType'> & { ownerType?: StoredOwner['ownerType'] };
  /** A bare name is a User label. */
  labels?: (string | StoredLabel)[];
  createdTimeUtc?: string;
  lastModifiedTimeUtc?: string;
  firstActivityTimeUtc?: string;
  lastActivityTimeUtc?: string;
  /** "Azure Sentinel" (default) or "Microsoft XDR" for incidents synced from Defender. */
  providerName?: string;
  /** Default: the incident number (Sentinel) or 30000 + number (Defender XDR). */
  providerIncidentId?: string;
  /** Rule ids: a bare rule name, or a full alertRules resource id (re-homed to this workspace). */
  relatedAnalyticRuleIds?: string[];
  tactics?: string[];
  techniques?: string[];
  alerts?: AlertInput[];
  entities?: EntityInput[];
  comments?: CommentInput[];
  tasks?: SeedTaskInput[];
  bookmarks?: BookmarkInput[];
}

/** The writable part of an incident. */
export interface IncidentPatch {
  title?: string;
  description?: string;
  severity?: Severity;
  status?: IncidentStatus;
  classification?: Classification;
  classificationReason?: ClassificationReason;
  classificationComment?: string;
  owner?: Omit<StoredOwner, 'ownerType'> | null;
  labels?: string[];
  firstActivityTimeUtc?: string;
  lastActivityTimeUtc?: string;
}
