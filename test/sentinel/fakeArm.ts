import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { SentinelConfig, WorkspaceRef } from '../../src/config';
import { AzureSentinelGateway } from '../../src/sentinel/azureGateway';
import { createSentinelClients } from '../../src/sentinel/clients';
import { SHARED_DIR } from '../support/paths';

/** One request as the fake server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type Route = (req: SeenRequest, seenBefore: number) => Reply;

/**
 * A scripted stand-in for ARM and Log Analytics on 127.0.0.1:0. Each test sets `route`; every request
 * is recorded in `requests` so assertions can check path, verb, query and headers on the server side.
 */
export interface FakeArm {
  url: string;
  requests: SeenRequest[];
  route: Route;
  close(): Promise<void>;
}

export async function startFakeArm(): Promise<FakeArm> {
  const fake: Omit<FakeArm, 'url' | 'close'> = {
    requests: [],
    route: () => ({ status: 500, body: { error: { code: 'NoRoute', message: 'no route set' } } }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const before = fake.requests.length;
      fake.requests.push(seen);
      const reply = fake.route(seen, before);
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

export const TEST_WORKSPACE: WorkspaceRef = {
  subscriptionId: 'd0cfe6b2-9ac0-4464-9919-dccaee2e48c0',
  resourceGroup: 'myRg',
  workspaceName: 'myWorkspace',
  workspaceId: '63613592-b6f7-4c3d-a390-22ba13102111',
};

export function demoConfigFor(url: string, workspace: WorkspaceRef = TEST_WORKSPACE): SentinelConfig {
  return { mode: 'demo', workspace, armEndpoint: url, logsEndpoint: `${url}/v1` };
}

export function gatewayFor(fake: FakeArm, pingTimeoutMs?: number): AzureSentinelGateway {
  const config = demoConfigFor(fake.url);
  return new AzureSentinelGateway(createSentinelClients(config), config.workspace, { pingTimeoutMs });
}

export const INCIDENTS_PATH =
  '/subscriptions/d0cfe6b2-9ac0-4464-9919-dccaee2e48c0/resourceGroups/myRg/providers/Microsoft.OperationalInsights' +
  '/workspaces/myWorkspace/providers/Microsoft.SecurityInsights/incidents';

/** The `responses[status].body` of an official example in shared/contracts/sentinel-2024-09-01. */
export function contractBody(file: string, status = '200'): Record<string, unknown> {
  const full = path.join(SHARED_DIR, 'contracts', 'sentinel-2024-09-01', file);
  const example = JSON.parse(fs.readFileSync(full, 'utf8')) as {
    responses: Record<string, { body: Record<string, unknown> }>;
  };
  const response = example.responses[status];
  if (!response) throw new Error(`${file} has no ${status} response`);
  return structuredClone(response.body);
}

export function armError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
