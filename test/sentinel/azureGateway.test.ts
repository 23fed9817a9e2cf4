import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/types';
import {
  armError,
  contractBody,
  gatewayFor,
  INCIDENTS_PATH,
  startFakeArm,
  type FakeArm,
  type SeenRequest,
} from './fakeArm';

let fake: FakeArm;
beforeAll(async () => {
  fake = await startFakeArm();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

/** The contract's example incident with a given number, and a Defender link for the URL mapping. */
function incidentJson(n: number): Record<string, unknown> {
  const value = contractBody('GetIncidents.json').value as Record<string, unknown>[];
  const incident = value[0];
  incident.name = `incident-${n}`;
  const properties = incident.properties as Record<string, unknown>;
  properties.incidentNumber = n;
  properties.additionalData = {
    ...(properties.additionalData as object),
    providerIncidentUrl: `https://security.microsoft.com/incidents/${n}`,
  };
  return incident;
}

describe('AzureSentinelGateway reads', () => {
  it('maps an incident, including both portal links', async () => {
    fake.route = () => ({ body: incidentJson(3177) });
    const incident = await gatewayFor(fake).getIncident('incident-3177');
    expect(fake.requests[0].path).toBe(`${INCIDENTS_PATH}/incident-3177`);
    expect(incident).toMatchObject({
      name: 'incident-3177',
      number: 3177,
      title: 'My incident',
      severity: 'High',
      status: 'Closed',
      classification: 'FalsePositive',
      etag: '"0300bf09-0000-0000-0000-5c37296e0000"',
      owner: { email: 'john.doe@contoso.com', assignedTo: 'john doe' },
      createdTimeUtc: '2019-01-01T13:15:30.000Z',
      tactics: ['Persistence'],
      commentsCount: 3,
      providerIncidentUrl: 'https://security.microsoft.com/incidents/3177',
    });
    expect(incident?.incidentUrl).toMatch(/^https:\/\/portal\.azure\.com\/#asset\/.*incidents\/73e01a99/);
  });

  it('gets an incident by number with a $filter and $top=1', async () => {
    fake.route = () => ({ body: { value: [incidentJson(7)] } });
    const incident = await gatewayFor(fake).getIncidentByNumber(7);
    expect(incident?.number).toBe(7);
    expect(fake.requests[0].query.get('$filter')).toBe('properties/incidentNumber eq 7');
    expect(fake.requests[0].query.get('$top')).toBe('1');
  });

  it('answers undefined for an unknown number, and for a number that cannot exist without asking', async () => {
    fake.route = () => ({ body: { value: [] } });
    const gateway = gatewayFor(fake);
    expect(await gateway.getIncidentByNumber(99)).toBeUndefined();
    expect(await gateway.getIncidentByNumber(-1)).toBeUndefined();
    expect(await gateway.getIncidentByNumber(1.5)).toBeUndefined();
    expect(fake.requests).toHaveLength(1);
  });

  it('follows nextLink pages until the limit, passing filter, orderby and top', async () => {
    fake.route = (req: SeenRequest) => {
      const page = Number(req.query.get('page') ?? '0');
      const nextLink = `${fake.url}${INCIDENTS_PATH}?api-version=2024-09-01&page=${page + 1}`;
      return { body: { value: [incidentJson(page * 2 + 1), incidentJson(page * 2 + 2)], nextLink } };
    };
    const incidents = await gatewayFor(fake).listIncidents({
      filter: "properties/status ne 'Closed'",
      orderBy: 'properties/createdTimeUtc desc',
      top: 2,
      limit: 5,
    });
    expect(incidents.map((i: Incident) => i.number)).toEqual([1, 2, 3, 4, 5]);
    expect(fake.requests.map((r) => r.query.get('page'))).toEqual([null, '1', '2']);
    expect(fake.requests[0].query.get('$filter')).toBe("properties/status ne 'Closed'");
    expect(fake.requests[0].query.get('$orderby')).toBe('properties/createdTimeUtc desc');
    expect(fake.requests[0].query.get('$top')).toBe('2');
  });

  it('reads only the first page without a limit', async () => {
    fake.route = () => ({
      body: { value: [incidentJson(1)], nextLink: `${fake.url}${INCIDENTS_PATH}?page=1` },
    });
    expect(await gatewayFor(fake).listIncidents({ top: 1 })).toHaveLength(1);
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects a nonsensical page size without calling Sentinel', async () => {
    await expect(gatewayFor(fake).listIncidents({ top: 0 })).rejects.toMatchObject({ kind: 'BadRequest' });
    expect(fake.requests).toHaveLength(0);
  });

  it('lists alerts as Sentinel sent them, keeping fields the SDK model lacks', async () => {
    const body = contractBody('GetAllIncidentAlerts.json');
    const alert = (body.value as Record<string, Record<string, unknown>>[])[0];
    alert.properties.techniques = ['T1078'];
    fake.route = () => ({ body });
    const [mapped] = await gatewayFor(fake).listAlerts('inc-1');
    expect(fake.requests[0].method).toBe('POST');
    expect(fake.requests[0].path).toBe(`${INCIDENTS_PATH}/inc-1/alerts`);
    expect(mapped).toMatchObject({
      name: 'baa8a239-6fde-4ab7-a093-d09f7b75c58c',
      displayName: 'myAlert',
      severity: 'Low',
      status: 'New',
      productName: 'Azure Security Center',
      techniques: ['T1078'],
      startTimeUtc: '2020-07-20T18:21:53.615Z',
    });
  });

  it('flattens entities to kind, friendlyName and their properties', async () => {
    const body = contractBody('GetAllIncidentEntities.json');
    const entity = (body.entities as Record<string, Record<string, unknown>>[])[0];
    entity.properties.sid = 'S-1-5-21-1';
    fake.route = () => ({ body });
    const entities = await gatewayFor(fake).listEntities('inc-1');
    expect(fake.requests[0].path).toBe(`${INCIDENTS_PATH}/inc-1/entities`);
    expect(entities).toEqual([
      {
        id: expect.stringContaining('/Entities/e1d3d618'),
        kind: 'Account',
        friendlyName: 'administrator',
        properties: {
          friendlyName: 'administrator',
          accountName: 'administrator',
          ntDomain: 'domain',
          sid: 'S-1-5-21-1',
        },
      },
    ]);
  });

  it('lists comments', async () => {
    fake.route = () => ({ body: contractBody('comments/GetAllIncidentComments.json') });
    const comments = await gatewayFor(fake).listComments('inc-1');
    expect(fake.requests[0].path).toBe(`${INCIDENTS_PATH}/inc-1/comments`);
    expect(comments).toEqual([
      {
        name: '4bb36b7b-26ff-4d1c-9cbe-0d8ab3da0014',
        message: 'Some message',
        createdTimeUtc: '2019-01-01T13:15:30.000Z',
        author: expect.objectContaining({ name: 'john doe', email: 'john.doe@contoso.com' }),
        etag: '0300bf09-0000-0000-0000-5c37296e0000',
      },
    ]);
  });

  it('ping is true when Sentinel answers and false when it refuses, without throwing', async () => {
    fake.route = () => ({ body: { value: [] } });
    expect(await gatewayFor(fake).ping()).toBe(true);
    expect(fake.requests[0].query.get('$top')).toBe('1');
    fake.route = () => ({ status: 403, body: armError('AuthorizationFailed', 'no access') });
    expect(await gatewayFor(fake).ping()).toBe(false);
  });
});

describe('AzureSentinelGateway writes', () => {
  it('creates a comment with the caller-chosen id', async () => {
    fake.route = (req) => ({
      body: { name: 'c-42', etag: '"e1"', properties: { ...JSON.parse(req.body).properties, author: {} } },
    });
    const comment = await gatewayFor(fake).createComment('inc-1', 'c-42', 'Contained the host');
    expect(fake.requests[0].method).toBe('PUT');
    expect(fake.requests[0].path).toBe(`${INCIDENTS_PATH}/inc-1/comments/c-42`);
    expect(JSON.parse(fake.requests[0].body)).toEqual({ properties: { message: 'Contained the host' } });
    expect(comment).toMatchObject({ name: 'c-42', message: 'Contained the host' });
  });

  it('refuses an empty comment without calling Sentinel', async () => {
    await expect(gatewayFor(fake).createComment('inc-1', 'c-1', '  ')).rejects.toMatchObject({
      kind: 'BadRequest',
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('does not follow a tasks nextLink to another host (the pipeline would send it the ARM token)', async () => {
    fake.route = () => ({
      body: { ...contractBody('tasks/IncidentTasks_List.json'), nextLink: 'https://evil.example/steal' },
    });
    const tasks = await gatewayFor(fake).listTasks('inc-1');
    expect(tasks.length).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(1);
  });

  it('lists and upserts tasks over REST with path, verb, api-version and content-type', async () => {
    const listBody = contractBody('tasks/IncidentTasks_List.json');
    fake.route = (req) =>
      req.method === 'GET'
        ? { body: listBody }
        : { body: contractBody('tasks/IncidentTasks_CreateOrUpdate.json') };
    const gateway = gatewayFor(fake);

    const tasks = await gateway.listTasks('inc-1');
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks[0]).toMatchObject({
      status: expect.stringMatching(/^(New|Completed)$/),
      title: expect.any(String),
    });
    const list = fake.requests[0];
    expect([list.method, list.path, list.query.get('api-version')]).toEqual([
      'GET',
      `${INCIDENTS_PATH}/inc-1/tasks`,
      '2024-09-01',
    ]);

    const saved = await gateway.upsertTask('inc-1', 'task-7', {
      title: 'Reset password',
      status: 'Completed',
    });
    const put = fake.requests[1];
    expect([put.method, put.path, put.query.get('api-version')]).toEqual([
      'PUT',
      `${INCIDENTS_PATH}/inc-1/tasks/task-7`,
      '2024-09-01',
    ]);
    expect(put.headers['content-type']).toBe('application/json');
    expect(put.headers.authorization).toBe('Bearer demo-token');
    expect(JSON.parse(put.body)).toEqual({ properties: { title: 'Reset password', status: 'Completed' } });
    expect(saved).toMatchObject({
      name: '4bb36b7b-26ff-4d1c-9cbe-0d8ab3da0014',
      title: 'Task title',
      status: 'New',
    });
  });

  it('updates an incident with its current properties, the update, and the etag in body and If-Match', async () => {
    const current = incidentJson(5);
    fake.route = (req) => (req.method === 'GET' ? { body: current } : { body: { ...current, etag: '"v2"' } });
    const gateway = gatewayFor(fake);
    const incident = await gateway.getIncident('incident-5');
    if (!incident) throw new Error('fixture incident missing');

    const updated = await gateway.updateIncident(incident, {
      status: 'Active',
      owner: { email: 'ana@contoso.com' },
    });
    const put = fake.requests[1];
    expect(put.method).toBe('PUT');
    expect(put.headers['if-match']).toBe('"0300bf09-0000-0000-0000-5c37296e0000"');
    const body = JSON.parse(put.body);
    expect(body.etag).toBe('"0300bf09-0000-0000-0000-5c37296e0000"');
    expect(body.properties).toMatchObject({
      title: 'My incident',
      severity: 'High',
      status: 'Active',
      classification: 'FalsePositive',
      owner: { email: 'ana@contoso.com' },
    });
    expect(body.properties.incidentNumber).toBeUndefined();
    expect(updated.etag).toBe('"v2"');
  });
});
