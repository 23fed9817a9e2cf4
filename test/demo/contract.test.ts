import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WORKSPACE } from '../../src/config';
import { analyst, DEMO_BOT_ACTOR } from '../../src/demo/directory';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/server';
import { SHARED_DIR } from '../support/paths';
import { shapeDifferences } from '../support/shape';
import { ARM_BASE, call } from './demoHttp';

interface Example {
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown }>;
}

const SENTINEL_DIR = path.join(SHARED_DIR, 'contracts', 'sentinel-2024-09-01');
const LOGS_DIR = path.join(SHARED_DIR, 'contracts', 'loganalytics-v1', 'examples');

/** Example files are the autorest ones ({parameters, responses}); the swaggers beside them are not. */
function findExamples(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.join(dir, f))
    .filter((f) => {
      const json = JSON.parse(fs.readFileSync(f, 'utf8')) as Record<string, unknown>;
      return 'parameters' in json && 'responses' in json;
    })
    .sort();
}

const sentinelExamples = findExamples(SENTINEL_DIR);
const logsExamples = findExamples(LOGS_DIR);
const covered = new Set<string>();

interface Operation {
  method: string;
  /** Path after /incidents/{id}, e.g. '/comments/{id}' or '/alerts'; undefined for the collection. */
  child?: string;
}

/** The request an example describes, inferred from its operation name and its parameters. */
function operationOf(file: string, p: Record<string, unknown>): Operation {
  const name = path.basename(file, '.json');
  const verb = /Delete/i.test(name) ? 'DELETE' : /Create|Update/i.test(name) ? 'PUT' : 'GET';
  if (typeof p.incidentCommentId === 'string')
    return { method: verb, child: `/comments/${p.incidentCommentId}` };
  if (typeof p.incidentTaskId === 'string') return { method: verb, child: `/tasks/${p.incidentTaskId}` };
  const sub = /IncidentComments$/i.test(name)
    ? 'comments'
    : /Tasks_List$/i.test(name)
      ? 'tasks'
      : /IncidentAlerts$/i.test(name)
        ? 'alerts'
        : /IncidentEntities$/i.test(name)
          ? 'entities'
          : /IncidentBookmarks$/i.test(name)
            ? 'bookmarks'
            : undefined;
  if (sub !== undefined)
    return { method: ['alerts', 'entities', 'bookmarks'].includes(sub) ? 'POST' : 'GET', child: `/${sub}` };
  if (typeof p.incidentId === 'string') return { method: verb, child: '' };
  if (/GetIncidents$/i.test(name)) return { method: 'GET' };
  throw new Error(`Cannot infer the operation of example ${name}; teach operationOf() about it`);
}

describe('REST contract: every official example against the demo workspace', () => {
  let ws: DemoWorkspace;

  beforeAll(async () => {
    ws = await startDemoWorkspace({ port: 0 });
  });
  afterAll(async () => {
    await ws.close();
  });

  it('finds the example files', () => {
    expect(sentinelExamples.length).toBeGreaterThanOrEqual(12);
    expect(logsExamples.length).toBeGreaterThanOrEqual(1);
  });

  it.each(sentinelExamples.map((f) => [path.relative(SENTINEL_DIR, f), f]))(
    'Sentinel %s',
    async (_label, file) => {
      const example = JSON.parse(fs.readFileSync(file, 'utf8')) as Example;
      const p = example.parameters;
      const op = operationOf(file, p);
      // Incident-level examples show a closed, classified incident: #12 is one. Child collections use #1,
      // which has alerts, entities, a bookmark, comments and tasks.
      const incident = op.child === '' ? ws.store.getByNumber(12) : ws.store.getByNumber(1);
      expect(incident).toBeDefined();
      const incidentName = incident!.name;
      if (typeof p.incidentCommentId === 'string' && op.method !== 'PUT') {
        ws.store.putComment(
          incidentName,
          p.incidentCommentId,
          'Seeded for the contract test',
          analyst('Priya Sharma'),
        );
      }
      if (typeof p.incidentTaskId === 'string' && op.method !== 'PUT') {
        ws.store.putTask(
          incidentName,
          p.incidentTaskId,
          { title: 'Seeded for the contract test', description: 'x' },
          DEMO_BOT_ACTOR,
        );
      }
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(p))
        if (k === 'api-version' || k.startsWith('$')) query.set(k, String(v));
      const requestPath = `${ARM_BASE}/incidents${op.child === undefined ? '' : `/${incidentName}${op.child}`}?${query.toString()}`;
      let body = p.incident ?? p.incidentComment ?? p.incidentTask;
      if (p.incident !== undefined) {
        // The example's etag and owner belong to Microsoft's tenant; map them onto the demo's like the ids.
        const source = p.incident as { etag?: string; properties: Record<string, unknown> };
        body = {
          ...source,
          etag: incident!.etag,
          properties: { ...source.properties, owner: { objectId: analyst('Priya Sharma').objectId } },
        };
      }
      const res = await call(ws, requestPath, { method: op.method, body });
      expect(Object.keys(example.responses)).toContain(String(res.status));
      const expectedBody = example.responses[String(res.status)]?.body;
      if (expectedBody === undefined) expect(res.body).toBeUndefined();
      else expect(shapeDifferences(expectedBody, res.body)).toEqual([]);
      covered.add(file);
    },
  );

  it.each(logsExamples.map((f) => [path.basename(f), f]))('Log Analytics %s', async (_label, file) => {
    const example = JSON.parse(fs.readFileSync(file, 'utf8')) as Example;
    const p = example.parameters as { workspaceId: string; body: unknown };
    expect(typeof p.workspaceId).toBe('string');
    const res = await call(ws, `/v1/workspaces/${DEMO_WORKSPACE.workspaceId}/query`, {
      method: 'POST',
      body: p.body,
    });
    expect(Object.keys(example.responses)).toContain(String(res.status));
    expect(shapeDifferences(example.responses[String(res.status)]?.body, res.body)).toEqual([]);
    covered.add(file);
  });

  it('covered every example file found on disk', () => {
    expect(covered.size).toBe(sentinelExamples.length + logsExamples.length);
  });
});
