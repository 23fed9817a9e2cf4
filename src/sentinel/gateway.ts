import type {
  Alert,
  Entity,
  Incident,
  IncidentComment,
  IncidentTask,
  IncidentUpdate,
  QueryResult,
  TaskStatus,
} from '../domain/types';

export interface ListIncidentsOptions {
  /** OData $filter in Sentinel's syntax, e.g. "properties/status ne 'Closed'". */
  filter?: string;
  /** OData $orderby, e.g. "properties/createdTimeUtc desc". */
  orderBy?: string;
  /** Page size ($top). */
  top?: number;
  /** Stop after this many incidents in total across pages (default: one page of `top`). */
  limit?: number;
}

export interface QueryOptions {
  /** ISO-8601 duration, e.g. P1D. */
  timespan?: string;
  /** Server-side timeout, sent as `Prefer: wait=N`. */
  serverTimeoutSeconds?: number;
}

export interface TaskInput {
  title: string;
  description?: string;
  status?: TaskStatus;
}

/**
 * Everything the bot reads from or writes to Sentinel. The real implementation uses the Azure SDK
 * clients (src/sentinel/azureGateway.ts); tests and the demo talk to the same implementation over HTTP.
 */
export interface SentinelGateway {
  listIncidents(options?: ListIncidentsOptions): Promise<Incident[]>;
  /** Resolves the analyst-facing number (#7) to the incident; undefined when no such incident. */
  getIncidentByNumber(incidentNumber: number): Promise<Incident | undefined>;
  /** By ARM resource name; undefined when not found. */
  getIncident(incidentName: string): Promise<Incident | undefined>;
  listAlerts(incidentName: string): Promise<Alert[]>;
  listEntities(incidentName: string): Promise<Entity[]>;
  listComments(incidentName: string): Promise<IncidentComment[]>;
  /** PUT with a caller-chosen id, so a retried create does not duplicate. */
  createComment(incidentName: string, commentId: string, message: string): Promise<IncidentComment>;
  listTasks(incidentName: string): Promise<IncidentTask[]>;
  /** PUT with a caller-chosen id (idempotent). */
  upsertTask(incidentName: string, taskId: string, task: TaskInput): Promise<IncidentTask>;
  /**
   * Read-modify-write of the incident guarded by its etag. Throws SentinelError 'PreconditionFailed'
   * when the incident changed since `incident` was read.
   */
  updateIncident(incident: Incident, update: IncidentUpdate): Promise<Incident>;
  runQuery(query: string, options?: QueryOptions): Promise<QueryResult>;
  /** Cheap reachability check for /healthz. */
  ping(): Promise<boolean>;
}
