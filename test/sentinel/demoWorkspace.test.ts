import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WORKSPACE, type SentinelConfig } from '../../src/config';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/server';
import type { Incident } from '../../src/domain/types';
import { AzureSentinelGateway } from '../../src/sentinel/azureGateway';
import { createSentinelClients } from '../../src/sentinel/clients';

/** The real SDK clients and gateway against the local demo workspace, end to end over http. */
let demo: DemoWorkspace;
let gateway: AzureSentinelGateway;
let first: Incident;

beforeAll(async () => {
  demo = await startDemoWorkspace({ port: 0 });
  const config: SentinelConfig = {
    mode: 'demo',
    workspace: DEMO_WORKSPACE,
    armEndpoint: demo.url,
    logsEndpoint: `${demo.url}/v1`,
  };
  gateway = new AzureSentinelGateway(createSentinelClients(config), config.workspace);
  const found = await gateway.getIncidentByNumber(1);
  if (!found) throw new Error('the demo workspace has no incident #1');
  first = found;
});
afterAll(() => demo.close());

describe('AzureSentinelGateway against the demo workspace', () => {
  it('pings and lists incidents', async () => {
    expect(await gateway.ping()).toBe(true);
    const incidents = await gateway.listIncidents({ orderBy: 'properties/createdTimeUtc desc', top: 5 });
    expect(incidents.length).toBeGreaterThan(0);
    expect(incidents.length).toBeLessThanOrEqual(5);
    expect(incidents[0]).toMatchObject({
      name: expect.any(String),
      number: expect.any(Number),
      title: expect.any(String),
    });
  });

  it('gets incident #1 by number and by name', async () => {
    expect(first).toMatchObject({ number: 1, etag: expect.any(String) });
    expect(first.incidentUrl).toEqual(expect.any(String));
    expect((await gateway.getIncident(first.name))?.number).toBe(1);
    expect(await gateway.getIncident('00000000-0000-0000-0000-00000000dead')).toBeUndefined();
  });

  it('lists alerts and entities of incident #1', async () => {
    const alerts = await gateway.listAlerts(first.name);
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts[0]).toMatchObject({ displayName: expect.any(String), severity: expect.any(String) });
    const entities = await gateway.listEntities(first.name);
    expect(entities.length).toBeGreaterThan(0);
    expect(entities[0]).toMatchObject({ kind: expect.any(String), friendlyName: expect.any(String) });
    expect(Object.keys(entities[0].properties).length).toBeGreaterThan(0);
  });

  it('creates a comment idempotently and lists it', async () => {
    const commentId = 'sentinel-gateway-test-comment';
    const created = await gateway.createComment(first.name, commentId, 'Checked sign-ins; contained.');
    await gateway.createComment(first.name, commentId, 'Checked sign-ins; contained.');
    expect(created).toMatchObject({ name: commentId, message: 'Checked sign-ins; contained.' });
    const comments = await gateway.listComments(first.name);
    expect(comments.filter((c) => c.name === commentId)).toHaveLength(1);
  });

  it('creates, lists and completes a task', async () => {
    const taskId = 'sentinel-gateway-test-task';
    const created = await gateway.upsertTask(first.name, taskId, {
      title: 'Reset the password',
      description: 'via Entra',
    });
    expect(created).toMatchObject({ name: taskId, title: 'Reset the password', status: 'New' });
    expect((await gateway.listTasks(first.name)).map((t) => t.name)).toContain(taskId);
    const done = await gateway.upsertTask(first.name, taskId, {
      title: 'Reset the password',
      status: 'Completed',
    });
    expect(done.status).toBe('Completed');
    expect((await gateway.listTasks(first.name)).find((t) => t.name === taskId)?.status).toBe('Completed');
  });

  it('updates an incident with a fresh etag and refuses a stale one', async () => {
    const fresh = await gateway.getIncident(first.name);
    if (!fresh) throw new Error('incident #1 vanished');
    const newSeverity = fresh.severity === 'Low' ? 'Medium' : 'Low';
    const updated = await gateway.updateIncident(fresh, { severity: newSeverity, status: 'Active' });
    expect(updated).toMatchObject({ number: 1, severity: newSeverity, status: 'Active', title: fresh.title });
    expect(updated.etag).not.toBe(fresh.etag);

    await expect(gateway.updateIncident(fresh, { severity: 'High' })).rejects.toMatchObject({
      name: 'SentinelError',
      kind: 'PreconditionFailed',
      status: 412,
    });
    expect((await gateway.getIncident(first.name))?.severity).toBe(newSeverity);
  });

  it('runs a KQL query and returns JSON-safe rows', async () => {
    const result = await gateway.runQuery('SigninLogs | take 5', {
      timespan: 'P7D',
      serverTimeoutSeconds: 30,
    });
    expect(result.status).toBe('Success');
    const [table] = result.tables;
    expect(table.rows.length).toBeGreaterThan(0);
    expect(table.rows.length).toBeLessThanOrEqual(5);
    const timeColumn = table.columns.findIndex((c) => c.type === 'datetime');
    expect(timeColumn).toBeGreaterThanOrEqual(0);
    expect(table.rows[0][timeColumn]).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('reports a bad query as BadRequest', async () => {
    await expect(gateway.runQuery('NoSuchTable | take 1')).rejects.toMatchObject({ kind: 'BadRequest' });
  });
});
