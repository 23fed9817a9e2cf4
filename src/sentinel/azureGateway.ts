import type { IncidentsListAlertsOptionalParams } from '@azure/arm-securityinsight';
import { LogsQueryResultStatus } from '@azure/monitor-query-logs';
import type { WorkspaceRef } from '../config';
import type {
  Alert,
  Entity,
  Incident,
  IncidentComment,
  IncidentTask,
  IncidentUpdate,
  QueryResult,
} from '../domain/types';
import { getLogger } from '../logger';
import type { SentinelClients } from './clients';
import { isSentinelError, SentinelError } from './errors';
import { parseArmError, toSentinelError } from './errorMapping';
import type { ListIncidentsOptions, QueryOptions, SentinelGateway, TaskInput } from './gateway';
import { toAlert, toComment, toEntity, toIncident, toIncidentPutBody, toQueryTable } from './mapping';
import { toSentinelHtml } from './sentinelHtml';
import { IncidentTasksApi } from './tasks';

export interface AzureSentinelGatewayOptions {
  /** ping() reports false after this long instead of waiting out the retries (default 5000 ms). */
  pingTimeoutMs?: number;
}

/** Comments are read whole for the incident context; a bound keeps a pathological incident cheap. */
const MAX_COMMENTS = 500;
const DEFAULT_QUERY_TIMESPAN = 'P7D';
const log = getLogger('sentinel.gateway');

/** The SDK's raw HTTP response as given to `onResponse` (bodyAsText is what we need). */
type RawResponse = Parameters<NonNullable<IncidentsListAlertsOptionalParams['onResponse']>>[0];

function positiveInt(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
    throw new SentinelError('BadRequest', `${name} must be a whole number of at least 1, got ${value}`);
  }
}

/**
 * The free-text fields of a change, escaped for Sentinel (see sentinelHtml.ts). Only what this update
 * writes: the incident's own title and description are sent back as Sentinel gave them.
 */
function escapeUpdate(update: IncidentUpdate): IncidentUpdate {
  const escaped: IncidentUpdate = { ...update };
  if (update.title !== undefined) escaped.title = toSentinelHtml(update.title);
  if (update.classificationComment !== undefined)
    escaped.classificationComment = toSentinelHtml(update.classificationComment);
  if (update.owner?.assignedTo !== undefined)
    escaped.owner = { ...update.owner, assignedTo: toSentinelHtml(update.owner.assignedTo) };
  return escaped;
}

/** SentinelGateway over the Azure SDK clients (real Sentinel, or the demo workspace in demo mode). */
export class AzureSentinelGateway implements SentinelGateway {
  private readonly tasks: IncidentTasksApi;
  private readonly pingTimeoutMs: number;

  constructor(
    private readonly clients: SentinelClients,
    private readonly workspace: WorkspaceRef,
    options: AzureSentinelGatewayOptions = {},
  ) {
    this.tasks = new IncidentTasksApi(clients.securityInsights, clients.armEndpoint, workspace);
    this.pingTimeoutMs = options.pingTimeoutMs ?? 5_000;
  }

  private get incidents() {
    return this.clients.securityInsights.incidents;
  }

  private get rg(): string {
    return this.workspace.resourceGroup;
  }

  private get ws(): string {
    return this.workspace.workspaceName;
  }

  async listIncidents(options: ListIncidentsOptions = {}): Promise<Incident[]> {
    const { filter, orderBy, top, limit } = options;
    positiveInt('top', top);
    positiveInt('limit', limit);
    const found: Incident[] = [];
    try {
      const pages = this.incidents.list(this.rg, this.ws, { filter, orderby: orderBy, top }).byPage();
      for await (const page of pages) {
        found.push(...page.map(toIncident));
        if (limit === undefined || found.length >= limit) break;
      }
    } catch (e) {
      throw toSentinelError(e, filter ? `listing incidents matching ${filter}` : 'listing incidents');
    }
    return limit === undefined ? found : found.slice(0, limit);
  }

  async getIncidentByNumber(incidentNumber: number): Promise<Incident | undefined> {
    if (!Number.isSafeInteger(incidentNumber) || incidentNumber < 1) return undefined;
    const [incident] = await this.listIncidents({
      filter: `properties/incidentNumber eq ${incidentNumber}`,
      top: 1,
    });
    return incident;
  }

  async getIncident(incidentName: string): Promise<Incident | undefined> {
    try {
      return toIncident(await this.incidents.get(this.rg, this.ws, incidentName));
    } catch (e) {
      const error = toSentinelError(e, `reading incident ${incidentName}`);
      if (isSentinelError(error, 'NotFound')) return undefined;
      throw error;
    }
  }

  async listAlerts(incidentName: string): Promise<Alert[]> {
    const body = await this.rawBody(`listing alerts of incident ${incidentName}`, (onResponse) =>
      this.incidents.listAlerts(this.rg, this.ws, incidentName, { onResponse }),
    );
    return Array.isArray(body.value) ? body.value.map(toAlert) : [];
  }

  async listEntities(incidentName: string): Promise<Entity[]> {
    const body = await this.rawBody(`listing entities of incident ${incidentName}`, (onResponse) =>
      this.incidents.listEntities(this.rg, this.ws, incidentName, { onResponse }),
    );
    return Array.isArray(body.entities) ? body.entities.map(toEntity) : [];
  }

  async listComments(incidentName: string): Promise<IncidentComment[]> {
    const comments: IncidentComment[] = [];
    try {
      for await (const c of this.clients.securityInsights.incidentComments.list(
        this.rg,
        this.ws,
        incidentName,
      )) {
        comments.push(toComment(c));
        if (comments.length >= MAX_COMMENTS) break;
      }
    } catch (e) {
      throw toSentinelError(e, `listing comments of incident ${incidentName}`);
    }
    return comments;
  }

  async createComment(incidentName: string, commentId: string, message: string): Promise<IncidentComment> {
    const what = `adding comment ${commentId} to incident ${incidentName}`;
    if (message.trim() === '') throw new SentinelError('BadRequest', `Cannot ${what}: the comment is empty`);
    try {
      const comments = this.clients.securityInsights.incidentComments;
      const escaped = { message: toSentinelHtml(message) };
      return toComment(await comments.createOrUpdate(this.rg, this.ws, incidentName, commentId, escaped));
    } catch (e) {
      throw toSentinelError(e, what);
    }
  }

  listTasks(incidentName: string): Promise<IncidentTask[]> {
    return this.tasks.list(incidentName);
  }

  upsertTask(incidentName: string, taskId: string, task: TaskInput): Promise<IncidentTask> {
    return this.tasks.upsert(incidentName, taskId, task);
  }

  async updateIncident(incident: Incident, update: IncidentUpdate): Promise<Incident> {
    const what = `updating incident #${incident.number} (${incident.name})`;
    if (incident.etag === undefined || incident.etag === '') {
      // Without an etag the PUT would silently overwrite whatever changed since the analyst looked.
      throw new SentinelError('BadRequest', `Cannot ${what}: it was read without an etag; read it again`);
    }
    try {
      // Sentinel checks the body's etag; If-Match says the same for any proxy or API version that
      // looks at the header instead.
      const updated = await this.incidents.createOrUpdate(
        this.rg,
        this.ws,
        incident.name,
        toIncidentPutBody(incident, escapeUpdate(update)),
        { requestOptions: { customHeaders: { 'If-Match': incident.etag } } },
      );
      return toIncident(updated);
    } catch (e) {
      throw toSentinelError(e, what);
    }
  }

  async runQuery(query: string, options: QueryOptions = {}): Promise<QueryResult> {
    if (query.trim() === '') throw new SentinelError('BadRequest', 'Cannot run an empty query');
    positiveInt('serverTimeoutSeconds', options.serverTimeoutSeconds);
    let result;
    try {
      // A query the service rejects outright (the SDK's "Failure") arrives here as a thrown error.
      result = await this.clients.logs.queryWorkspace(
        this.workspace.workspaceId,
        query,
        { duration: options.timespan ?? DEFAULT_QUERY_TIMESPAN },
        { serverTimeoutInSeconds: options.serverTimeoutSeconds },
      );
    } catch (e) {
      throw toSentinelError(e, 'running the query');
    }
    switch (result.status) {
      case LogsQueryResultStatus.Success:
        return { status: 'Success', tables: result.tables.map(toQueryTable) };
      case LogsQueryResultStatus.PartialFailure: {
        const info = parseArmError({ error: result.partialError });
        return {
          status: 'PartialFailure',
          tables: result.partialTables.map(toQueryTable),
          error: [info.code, info.message].filter(Boolean).join(': ') || 'the query partially failed',
        };
      }
      default: {
        const unexpected: never = result;
        throw new SentinelError('Unknown', `Unexpected query result ${JSON.stringify(unexpected)}`);
      }
    }
  }

  async ping(): Promise<boolean> {
    try {
      const options = { top: 1, abortSignal: AbortSignal.timeout(this.pingTimeoutMs) };
      await this.incidents.list(this.rg, this.ws, options).byPage().next();
      return true;
    } catch (e) {
      log.warn({ err: toSentinelError(e, 'answering a ping') }, 'Sentinel ping failed');
      return false;
    }
  }

  /**
   * The JSON exactly as Sentinel sent it. The SDK call still builds the request and classifies errors;
   * we only bypass its model, which drops fields it does not know (see mapping.ts).
   */
  private async rawBody(
    what: string,
    call: (onResponse: (raw: RawResponse) => void) => Promise<unknown>,
  ): Promise<Record<string, unknown>> {
    let bodyText: string | undefined;
    try {
      await call((raw) => {
        bodyText = raw.bodyAsText ?? undefined;
      });
    } catch (e) {
      throw toSentinelError(e, what);
    }
    try {
      const parsed: unknown = JSON.parse(bodyText ?? '{}');
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    } catch {
      throw new SentinelError('Unknown', `Sentinel failed ${what}: the answer was not JSON`);
    }
  }
}
