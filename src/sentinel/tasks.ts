import type { SecurityInsights } from '@azure/arm-securityinsight';
import { createPipelineRequest, type HttpMethods } from '@azure/core-rest-pipeline';
import type { WorkspaceRef } from '../config';
import type { IncidentTask } from '../domain/types';
import { SentinelError } from './errors';
import { errorFromResponse, toSentinelError } from './errorMapping';
import type { TaskInput } from './gateway';
import { toTask } from './mapping';
import { toSentinelHtml } from './sentinelHtml';
import { SENTINEL_API_VERSION } from './clients';
import { getLogger } from '../logger';

const log = getLogger('sentinel.tasks');

/** A runaway nextLink chain must not hang a Teams turn; no incident has thousands of tasks. */
const MAX_TASK_PAGES = 20;

/**
 * Incident tasks over REST: the SDK has no operations for them (FACTS.md), so we build the requests and
 * send them through the SDK client's own pipeline, which keeps its auth, retries and api-version policy.
 */
export class IncidentTasksApi {
  constructor(
    private readonly client: SecurityInsights,
    private readonly armEndpoint: string,
    private readonly workspace: WorkspaceRef,
  ) {}

  async list(incidentName: string): Promise<IncidentTask[]> {
    const what = `listing tasks of incident ${incidentName}`;
    const tasks: IncidentTask[] = [];
    let url: string | undefined = this.url(incidentName);
    for (let page = 0; url !== undefined && page < MAX_TASK_PAGES; page++) {
      const body = record(await this.send(what, 'GET', url));
      if (Array.isArray(body.value)) tasks.push(...body.value.map(toTask));
      url =
        typeof body.nextLink === 'string' && body.nextLink !== ''
          ? this.sameOrigin(body.nextLink)
          : undefined;
    }
    return tasks;
  }

  /** The pipeline attaches the ARM token to whatever URL it is given: never follow a link elsewhere. */
  private sameOrigin(nextLink: string): string | undefined {
    try {
      if (new URL(nextLink).origin === new URL(this.armEndpoint).origin) return nextLink;
    } catch {
      // not a URL: stop paging
    }
    log.warn({ nextLink }, 'ignoring a task nextLink outside the ARM endpoint');
    return undefined;
  }

  async upsert(incidentName: string, taskId: string, task: TaskInput): Promise<IncidentTask> {
    const what = `saving task ${taskId} of incident ${incidentName}`;
    if (task.title.trim() === '')
      throw new SentinelError('BadRequest', `Cannot ${what}: the task needs a title`);
    // Sentinel renders task text as HTML; both fields are escaped here, once (see sentinelHtml.ts).
    const properties = {
      title: toSentinelHtml(task.title),
      description: task.description === undefined ? undefined : toSentinelHtml(task.description),
      status: task.status ?? 'New',
    };
    return toTask(
      await this.send(what, 'PUT', this.url(incidentName, taskId), JSON.stringify({ properties })),
    );
  }

  private url(incidentName: string, taskId?: string): string {
    const e = encodeURIComponent;
    const w = this.workspace;
    const incident =
      `${this.armEndpoint}/subscriptions/${e(w.subscriptionId)}/resourceGroups/${e(w.resourceGroup)}` +
      `/providers/Microsoft.OperationalInsights/workspaces/${e(w.workspaceName)}` +
      `/providers/Microsoft.SecurityInsights/incidents/${e(incidentName)}`;
    const tasks = taskId === undefined ? `${incident}/tasks` : `${incident}/tasks/${e(taskId)}`;
    return `${tasks}?api-version=${SENTINEL_API_VERSION}`;
  }

  private async send(what: string, method: HttpMethods, url: string, body?: string): Promise<unknown> {
    const request = createPipelineRequest({ url, method, body });
    request.headers.set('accept', 'application/json');
    if (body !== undefined) request.headers.set('content-type', 'application/json');
    let response;
    try {
      response = await this.client.sendRequest(request);
    } catch (e) {
      throw toSentinelError(e, what);
    }
    if (response.status < 200 || response.status >= 300) {
      throw errorFromResponse(what, response.status, response.headers, response.bodyAsText ?? undefined);
    }
    try {
      return response.bodyAsText ? (JSON.parse(response.bodyAsText) as unknown) : {};
    } catch {
      throw new SentinelError('Unknown', `Sentinel failed ${what}: the answer was not JSON`, response.status);
    }
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
