import type { IncomingMessage, ServerResponse } from 'node:http';
import type { QueryTable } from '../domain/types';
import { IsolatedEngine } from './kql/isolatedEngine';
import { DemoHttpError, hasBearerToken, isRecord, readJsonBody, sendJson } from './requestIo';
import type { DemoStore } from './store';

/** Protects the demo process from a query that would materialise a huge result. */
const SERVER_ROW_CAP = 30_000;

/** Server timeout when the request names none (`Prefer: wait=N`), and the most a request may ask for. */
const DEFAULT_TIMEOUT_SECONDS = 30;
const MAX_TIMEOUT_SECONDS = 180;

/** Every query runs on a worker thread with a heap limit, cut at its deadline (isolatedEngine.ts). */
let engine: IsolatedEngine | undefined;

/** The server timeout the client asked for with `Prefer: wait=N`, within the demo's bounds. */
export function serverTimeoutMs(prefer: string | string[] | undefined): number {
  const header = Array.isArray(prefer) ? prefer.join(',') : (prefer ?? '');
  const wait = /(?:^|[,;\s])wait\s*=\s*(\d+)/i.exec(header)?.[1];
  const seconds = wait === undefined ? DEFAULT_TIMEOUT_SECONDS : Math.min(Number(wait), MAX_TIMEOUT_SECONDS);
  return Math.max(1, seconds) * 1000;
}

interface LogsRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  store: DemoStore;
  method: string;
  now: () => Date;
}

function badArgument(message: string, innerCode: string): DemoHttpError {
  return new DemoHttpError(400, 'BadArgumentError', message, { code: innerCode, message });
}

/**
 * Log Analytics answers cells as JSON scalars; dynamic values travel as JSON text, which the SDK parses
 * back by the column type.
 */
function encodeTable(table: QueryTable): QueryTable {
  const dynamicColumns = table.columns.flatMap((c, i) => (c.type === 'dynamic' ? [i] : []));
  if (dynamicColumns.length === 0) return table;
  return {
    ...table,
    rows: table.rows.map((row) =>
      row.map((cell, i) =>
        dynamicColumns.includes(i) && cell !== null && typeof cell !== 'string' ? JSON.stringify(cell) : cell,
      ),
    ),
  };
}

/** Handles /v1/workspaces/{id}/query and /metadata with Log Analytics' error shape. */
export async function handleLogsRequest(ctx: LogsRequest): Promise<void> {
  if (!hasBearerToken(ctx.req)) {
    throw new DemoHttpError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing or is not a Bearer token.",
    );
  }
  const segments = ctx.url.pathname
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => decodeURIComponent(s));
  const [v1, workspaces, workspaceId, action] = segments;
  if (
    v1 !== 'v1' ||
    workspaces?.toLowerCase() !== 'workspaces' ||
    workspaceId === undefined ||
    action === undefined ||
    segments.length > 4
  ) {
    throw new DemoHttpError(
      404,
      'PathNotFoundError',
      `The requested path '${ctx.url.pathname}' does not exist. Use /v1/workspaces/{workspaceId}/query or /metadata.`,
    );
  }
  if (workspaceId.toLowerCase() !== ctx.store.workspace.workspaceId.toLowerCase()) {
    throw new DemoHttpError(
      404,
      'WorkspaceNotFoundError',
      `The workspace '${workspaceId}' could not be found. The demo workspace id is ${ctx.store.workspace.workspaceId}.`,
    );
  }
  const kind = action.toLowerCase();
  if (kind === 'metadata' && ctx.method === 'GET') {
    const tables = Object.entries(ctx.store.logTables()).map(([name, t]) => ({
      id: `t/${name}`,
      name,
      timespanColumn: 'TimeGenerated',
      columns: t.columns,
    }));
    sendJson(ctx.res, 200, { tables });
    return;
  }
  if (kind !== 'query' || (ctx.method !== 'GET' && ctx.method !== 'POST')) {
    throw new DemoHttpError(
      404,
      'PathNotFoundError',
      `${ctx.method} ${ctx.url.pathname} is not supported by the demo workspace.`,
    );
  }
  let query: unknown;
  let timespan: unknown;
  if (ctx.method === 'POST') {
    const body = await readJsonBody(ctx.req, 'BadArgumentError');
    if (!isRecord(body))
      throw badArgument(
        'The request body must be a JSON object {"query": "...", "timespan": "P1D"}.',
        'SyntaxError',
      );
    query = body.query;
    timespan = body.timespan;
  } else {
    query = ctx.url.searchParams.get('query') ?? undefined;
    timespan = ctx.url.searchParams.get('timespan') ?? undefined;
  }
  if (typeof query !== 'string' || query.trim().length === 0)
    throw badArgument("The request is missing the 'query' property.", 'SyntaxError');
  if (timespan !== undefined && timespan !== null && typeof timespan !== 'string') {
    throw badArgument("'timespan' must be an ISO 8601 duration or interval string.", 'SyntaxError');
  }
  engine ??= new IsolatedEngine();
  const result = await engine.execute(query, ctx.store.logTables(), {
    now: ctx.now(),
    timespan: typeof timespan === 'string' ? timespan : undefined,
    rowCap: SERVER_ROW_CAP,
    timeoutMs: serverTimeoutMs(ctx.req.headers.prefer),
  });
  if (!result.ok) {
    throw new DemoHttpError(400, result.code, result.message, {
      code: result.innerCode ?? 'SemanticError',
      message: result.message,
    });
  }
  sendJson(ctx.res, 200, { tables: result.tables.map(encodeTable) });
}
