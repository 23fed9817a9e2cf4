import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import restify from 'restify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  bearerMatches,
  incidentNameFromBody,
  registerIncidentWebhook,
} from '../../src/notifications/webhook';
import { SHARED_DIR } from '../support/paths';

const SECRET = 'a-webhook-secret-of-at-least-24-characters';
const armIncident = (
  JSON.parse(
    readFileSync(path.join(SHARED_DIR, 'contracts/sentinel-2024-09-01/GetIncidentById.json'), 'utf8'),
  ) as {
    responses: { '200': { body: { id: string; name: string; properties: Record<string, unknown> } } };
  }
).responses['200'].body;

/** The Logic Apps "Microsoft Sentinel incident" trigger payload: the incident sits under `object`, here without `name`. */
const triggerBody = {
  eventUniqueId: 'e1',
  objectSchemaType: 'Incident',
  objectEventType: 'Create',
  workspaceInfo: { SubscriptionId: 's', ResourceGroupName: 'rg', WorkspaceName: 'ws' },
  object: {
    id: armIncident.id,
    type: 'Microsoft.SecurityInsights/Incidents',
    properties: { ...armIncident.properties, title: 'NOT SHOWN' },
  },
};

let server: restify.Server;
let base: string;
let noSecretBase: string;
let noSecretServer: restify.Server;
const notified: string[] = [];

async function listen(s: restify.Server): Promise<string> {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  server = restify.createServer();
  expect(
    registerIncidentWebhook(server, { secret: SECRET, notifyIncident: async (n) => void notified.push(n) }),
  ).toBe(true);
  base = await listen(server);
  noSecretServer = restify.createServer();
  expect(
    registerIncidentWebhook(noSecretServer, { secret: undefined, notifyIncident: async () => undefined }),
  ).toBe(false);
  noSecretBase = await listen(noSecretServer);
});
afterAll(() => {
  server.close();
  noSecretServer.close();
});
beforeEach(() => {
  notified.length = 0;
});

function post(
  body: string | Buffer,
  auth: string | undefined,
  url = `${base}/api/incidents`,
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth !== undefined) headers.authorization = auth;
  return fetch(url, { method: 'POST', headers, body });
}

describe('POST /api/incidents', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a wrong secret', `Bearer ${SECRET.slice(0, -1)}x`],
    ['a secret prefix', `Bearer ${SECRET.slice(0, 10)}`],
    ['another scheme', `Basic ${SECRET}`],
  ])('answers 401 for %s', async (_, auth) => {
    const res = await post(JSON.stringify(armIncident), auth);
    expect(res.status).toBe(401);
    expect(notified).toEqual([]);
  });

  it('accepts a plain ARM incident resource with the right secret (202) and queues its name', async () => {
    const res = await post(JSON.stringify(armIncident), `Bearer ${SECRET}`);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      accepted: true,
      incidentName: '73e01a99-5cd7-4139-a149-9f2736ff2ab5',
    });
    expect(notified).toEqual(['73e01a99-5cd7-4139-a149-9f2736ff2ab5']);
  });

  it('accepts the Sentinel incident-trigger payload, taking the name from object.id', async () => {
    const res = await post(JSON.stringify(triggerBody), `Bearer ${SECRET}`);
    expect(res.status).toBe(202);
    expect(notified).toEqual(['73e01a99-5cd7-4139-a149-9f2736ff2ab5']);
  });

  it('answers 400 with a clear message for malformed JSON', async () => {
    const res = await post('{"object": {', `Bearer ${SECRET}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/not valid JSON/);
    expect(notified).toEqual([]);
  });

  it.each([
    ['an empty object', {}],
    ['a trigger without id or name', { object: { properties: {} } }],
    ['a name that is not an incident name', { name: '../../etc/passwd', id: 'x' }],
    ['an array', [1, 2]],
  ])('answers 400 for %s', async (_, body) => {
    const res = await post(JSON.stringify(body), `Bearer ${SECRET}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/no incident in the body/);
  });

  it('answers 413 for a body over 1 MB with Content-Length', async () => {
    const big = Buffer.alloc(1024 * 1024 + 10, 0x20);
    const res = await post(big, `Bearer ${SECRET}`);
    expect(res.status).toBe(413);
    expect(notified).toEqual([]);
  });

  it('answers 413 for a chunked body once it passes 1 MB, without waiting for the end', async () => {
    const url = new URL(`${base}/api/incidents`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { authorization: `Bearer ${SECRET}`, 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      // 1.5 MB are sent, then the request is left open: only an early 413 can resolve the promise.
      for (let i = 0; i < 24; i++) req.write(chunk);
    });
    expect(status).toBe(413);
    expect(notified).toEqual([]);
  });

  it('is not registered without a secret', async () => {
    const res = await post(JSON.stringify(armIncident), `Bearer ${SECRET}`, `${noSecretBase}/api/incidents`);
    expect(res.status).toBe(404);
  });
});

describe('webhook parsing', () => {
  it('compares bearer tokens only when they match exactly', () => {
    expect(bearerMatches(`Bearer ${SECRET}`, SECRET)).toBe(true);
    expect(bearerMatches(`bearer   ${SECRET} `, SECRET)).toBe(true);
    expect(bearerMatches(`Bearer ${SECRET}x`, SECRET)).toBe(false);
    expect(bearerMatches(undefined, SECRET)).toBe(false);
    expect(bearerMatches('Bearer ', SECRET)).toBe(false);
  });

  it('prefers the name and falls back to the id', () => {
    expect(incidentNameFromBody({ object: { name: 'abc-1', id: '/x/incidents/other' } })).toBe('abc-1');
    expect(incidentNameFromBody({ id: '/subscriptions/s/.../Incidents/abc-2/' })).toBe('abc-2');
    expect(incidentNameFromBody({ object: {} })).toBeUndefined();
  });
});
