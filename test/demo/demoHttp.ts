import { DEMO_WORKSPACE } from '../../src/config';
import type { DemoWorkspace } from '../../src/demo/server';

export const API_VERSION = '2024-09-01';
export const ARM_BASE = `/subscriptions/${DEMO_WORKSPACE.subscriptionId}/resourceGroups/${DEMO_WORKSPACE.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${DEMO_WORKSPACE.workspaceName}/providers/Microsoft.SecurityInsights`;
export const LOGS_QUERY_PATH = `/v1/workspaces/${DEMO_WORKSPACE.workspaceId}/query`;

export interface DemoResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Raw body text, to send malformed JSON. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Default true: send `Authorization: Bearer demo-token`. */
  auth?: boolean;
}

/** A request to the demo workspace; `pathAndQuery` is appended to its URL unless it is absolute. */
export async function call(
  ws: DemoWorkspace,
  pathAndQuery: string,
  options: CallOptions = {},
): Promise<DemoResponse> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.auth !== false) headers.authorization = 'Bearer demo-token';
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const url = pathAndQuery.startsWith('http') ? pathAndQuery : `${ws.url}${pathAndQuery}`;
  const res = await fetch(url, { method: options.method ?? 'GET', headers, body });
  const text = await res.text();
  return {
    status: res.status,
    body: text.length > 0 ? (JSON.parse(text) as unknown) : undefined,
    headers: res.headers,
  };
}

/** ARM path under Microsoft.SecurityInsights with api-version (and any extra query) appended. */
export function arm(suffix: string, query: Record<string, string> = {}): string {
  const params = new URLSearchParams({ 'api-version': API_VERSION, ...query });
  return `${ARM_BASE}${suffix}?${params.toString()}`;
}

export function errorCode(body: unknown): unknown {
  return (body as { error?: { code?: unknown } } | undefined)?.error?.code;
}
