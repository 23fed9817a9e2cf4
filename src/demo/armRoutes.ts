import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  alertResource,
  bookmarkResource,
  commentResource,
  entitiesResponse,
  incidentResource,
  taskResource,
} from './armResources';
import { checkApiVersion, notFound, workspaceScoped } from './armScope';
import { DEMO_BOT_ACTOR } from './directory';
import { parseIncidentFilter, parseIncidentOrderBy } from './incidentQuery';
import { DemoHttpError, hasBearerToken, readJsonBody, sendJson } from './requestIo';
import {
  etagMatches,
  expectedEtag,
  parseCommentPut,
  parseIncidentPut,
  parseTaskPut,
} from './requestValidation';
import type { DemoStore } from './store';
import type { StoredIncident } from './storeTypes';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

interface ArmRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  store: DemoStore;
  method: string;
}

/** Handles every request under /subscriptions (ARM), answering errors in ARM's body. */
export async function handleArmRequest(ctx: ArmRequest): Promise<void> {
  if (!hasBearerToken(ctx.req)) {
    throw new DemoHttpError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing or is not a Bearer token.",
    );
  }
  checkApiVersion(ctx.url);
  const segments = ctx.url.pathname
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => decodeURIComponent(s));
  const rest = workspaceScoped(segments, ctx.store);
  if (rest[0]?.toLowerCase() !== 'incidents' || rest.length > 4) {
    throw notFound(
      `The demo workspace has no resource at '${ctx.url.pathname}'. It serves incidents and their alerts, entities, bookmarks, comments and tasks.`,
    );
  }
  if (rest.length === 1) return route(ctx, { GET: () => listIncidents(ctx) });
  const incidentId = rest[1] ?? '';
  if (rest.length === 2) return incidentRoutes(ctx, incidentId);
  const incident = ctx.store.getByName(incidentId);
  const child = rest[2]?.toLowerCase() ?? '';
  const childId = rest[3];
  const ws = ctx.store.workspace;
  const need = (): StoredIncident => {
    if (incident === undefined)
      throw notFound(`Incident '${incidentId}' was not found in workspace '${ws.workspaceName}'.`);
    return incident;
  };
  if (childId === undefined) {
    switch (child) {
      case 'alerts':
        return route(ctx, {
          POST: () => sendJson(ctx.res, 200, { value: need().alerts.map((a) => alertResource(ws, a)) }),
        });
      case 'entities':
        return route(ctx, { POST: () => sendJson(ctx.res, 200, entitiesResponse(ws, need())) });
      case 'bookmarks':
        return route(ctx, {
          POST: () => sendJson(ctx.res, 200, { value: need().bookmarks.map((b) => bookmarkResource(ws, b)) }),
        });
      case 'comments':
        return route(ctx, {
          GET: () =>
            sendJson(ctx.res, 200, {
              value: need().comments.map((c) => commentResource(ws, need().name, c)),
            }),
        });
      case 'tasks':
        return route(ctx, {
          GET: () =>
            sendJson(ctx.res, 200, { value: need().tasks.map((t) => taskResource(ws, need().name, t)) }),
        });
    }
  } else if (child === 'comments') {
    return commentRoutes(ctx, need(), childId);
  } else if (child === 'tasks') {
    return taskRoutes(ctx, need(), childId);
  }
  throw notFound(`The demo workspace has no resource at '${ctx.url.pathname}'.`);
}

async function route(
  ctx: ArmRequest,
  handlers: Partial<Record<string, () => void | Promise<void>>>,
): Promise<void> {
  const handler = handlers[ctx.method];
  if (handler === undefined) {
    throw new DemoHttpError(
      405,
      'MethodNotAllowed',
      `The requested resource does not support http method '${ctx.method}'. Allowed: ${Object.keys(handlers).join(', ')}.`,
    );
  }
  await handler();
}

function listIncidents(ctx: ArmRequest): void {
  const p = ctx.url.searchParams;
  const filter = p.get('$filter');
  const predicate = filter !== null && filter.trim() !== '' ? parseIncidentFilter(filter) : () => true;
  const order = parseIncidentOrderBy(p.get('$orderby') ?? undefined);
  const topRaw = p.get('$top');
  const top = topRaw === null ? DEFAULT_PAGE_SIZE : Number(topRaw);
  if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE_SIZE) {
    throw new DemoHttpError(
      400,
      'BadRequest',
      `$top must be a whole number from 1 to ${MAX_PAGE_SIZE}, got '${topRaw ?? ''}'.`,
    );
  }
  const skipRaw = p.get('$skipToken');
  const offset = skipRaw === null ? 0 : Number(Buffer.from(skipRaw, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0)
    throw new DemoHttpError(400, 'BadRequest', 'The $skipToken is not valid; start again without it.');
  const matching = ctx.store.listIncidents().filter(predicate).sort(order);
  const page = matching.slice(offset, offset + top);
  const body: Record<string, unknown> = { value: page.map((i) => incidentResource(ctx.store.workspace, i)) };
  if (offset + top < matching.length) {
    const next = new URL(ctx.url.pathname, `http://${ctx.req.headers.host ?? '127.0.0.1'}`);
    for (const [k, v] of p) if (k !== '$skipToken') next.searchParams.set(k, v);
    next.searchParams.set('$skipToken', Buffer.from(String(offset + top), 'utf8').toString('base64url'));
    body.nextLink = next.toString();
  }
  sendJson(ctx.res, 200, body);
}

async function incidentRoutes(ctx: ArmRequest, incidentId: string): Promise<void> {
  const { store } = ctx;
  const ws = store.workspace;
  const existing = store.getByName(incidentId);
  const missing = (): DemoHttpError =>
    notFound(`Incident '${incidentId}' was not found in workspace '${ws.workspaceName}'.`);
  await route(ctx, {
    GET: () => {
      if (existing === undefined) throw missing();
      sendJson(ctx.res, 200, incidentResource(ws, existing));
    },
    DELETE: () => {
      sendJson(ctx.res, store.deleteIncident(incidentId) ? 200 : 204, undefined);
    },
    PUT: async () => {
      const body = await readJsonBody(ctx.req, 'InvalidRequestContent');
      const ifMatch = headerValue(ctx.req, 'if-match');
      const expected = expectedEtag(ifMatch, body);
      if (existing === undefined && ifMatch !== undefined && ifMatch !== '*') {
        throw new DemoHttpError(
          412,
          'PreconditionFailed',
          `Incident '${incidentId}' does not exist, so If-Match '${ifMatch}' cannot match.`,
        );
      }
      if (existing !== undefined && expected !== undefined && !etagMatches(expected, existing.etag)) {
        throw new DemoHttpError(
          412,
          'PreconditionFailed',
          `The incident was changed since it was read: etag ${expected} does not match the current ${existing.etag}. Read it again and retry.`,
        );
      }
      const patch = parseIncidentPut(body, existing);
      if (existing !== undefined) {
        sendJson(
          ctx.res,
          200,
          incidentResource(ws, store.updateIncident(existing.name, patch, DEMO_BOT_ACTOR)),
        );
        return;
      }
      const created = store.createIncident(
        {
          ...patch,
          owner: patch.owner ?? undefined,
          description: patch.description ?? '',
        },
        incidentId,
      );
      sendJson(ctx.res, 201, incidentResource(ws, created));
    },
  });
}

async function commentRoutes(ctx: ArmRequest, incident: StoredIncident, commentId: string): Promise<void> {
  const ws = ctx.store.workspace;
  await route(ctx, {
    GET: () => {
      const comment = ctx.store.getComment(incident.name, commentId);
      if (comment === undefined)
        throw notFound(`Comment '${commentId}' was not found on incident ${incident.number}.`);
      sendJson(ctx.res, 200, commentResource(ws, incident.name, comment));
    },
    PUT: async () => {
      const message = parseCommentPut(await readJsonBody(ctx.req, 'InvalidRequestContent'));
      const { comment, created } = ctx.store.putComment(incident.name, commentId, message, DEMO_BOT_ACTOR);
      sendJson(ctx.res, created ? 201 : 200, commentResource(ws, incident.name, comment));
    },
    DELETE: () => sendJson(ctx.res, ctx.store.deleteComment(incident.name, commentId) ? 200 : 204, undefined),
  });
}

async function taskRoutes(ctx: ArmRequest, incident: StoredIncident, taskId: string): Promise<void> {
  const ws = ctx.store.workspace;
  await route(ctx, {
    GET: () => {
      const task = ctx.store.getTask(incident.name, taskId);
      if (task === undefined)
        throw notFound(`Task '${taskId}' was not found on incident ${incident.number}.`);
      sendJson(ctx.res, 200, taskResource(ws, incident.name, task));
    },
    PUT: async () => {
      const body = await readJsonBody(ctx.req, 'InvalidRequestContent');
      const current = ctx.store.getTask(incident.name, taskId);
      const expected = expectedEtag(headerValue(ctx.req, 'if-match'), body);
      if (current !== undefined && expected !== undefined && !etagMatches(expected, current.etag)) {
        throw new DemoHttpError(
          412,
          'PreconditionFailed',
          `The task was changed since it was read: etag ${expected} does not match ${current.etag}.`,
        );
      }
      const { task, created } = ctx.store.putTask(incident.name, taskId, parseTaskPut(body), DEMO_BOT_ACTOR);
      sendJson(ctx.res, created ? 201 : 200, taskResource(ws, incident.name, task));
    },
    DELETE: () => sendJson(ctx.res, ctx.store.deleteTask(incident.name, taskId) ? 200 : 204, undefined),
  });
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
