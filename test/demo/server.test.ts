import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WORKSPACE } from '../../src/config';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/server';
import { ARM_BASE, API_VERSION, arm, call, errorCode } from './demoHttp';

interface IncidentJson {
  name: string;
  etag: string;
  properties: Record<string, unknown> & {
    incidentNumber: number;
    status: string;
    lastModifiedTimeUtc: string;
  };
}

let ws: DemoWorkspace;
let clock = new Date('2026-11-20T12:00:00.000Z');

beforeAll(async () => {
  ws = await startDemoWorkspace({ port: 0, now: () => clock });
});
afterAll(async () => {
  await ws.close();
});

function nameOf(n: number): string {
  const incident = ws.store.getByNumber(n);
  if (incident === undefined) throw new Error(`seed has no incident ${n}`);
  return incident.name;
}

describe('ARM error contract', () => {
  it('404 with an ARM body for an unknown incident, on the incident and its children', async () => {
    const missing = '00000000-1111-2222-3333-444444444444';
    for (const [method, suffix] of [
      ['GET', ''],
      ['POST', '/alerts'],
      ['GET', '/comments'],
    ] as const) {
      const res = await call(ws, arm(`/incidents/${missing}${suffix}`), { method });
      expect(res.status).toBe(404);
      expect(errorCode(res.body)).toBe('NotFound');
      expect((res.body as { error: { message: string } }).error.message).toContain(missing);
    }
  });

  it('400 MissingApiVersionParameter without api-version, InvalidApiVersionParameter for an unknown one', async () => {
    const missing = await call(ws, `${ARM_BASE}/incidents`);
    expect(missing.status).toBe(400);
    expect(errorCode(missing.body)).toBe('MissingApiVersionParameter');
    const bad = await call(ws, `${ARM_BASE}/incidents?api-version=2019-01-01-preview`);
    expect(bad.status).toBe(400);
    expect(errorCode(bad.body)).toBe('InvalidApiVersionParameter');
    const sdkDefault = await call(ws, `${ARM_BASE}/incidents?api-version=2022-09-01-preview`);
    expect(sdkDefault.status).toBe(200);
  });

  it('401 AuthenticationFailed without a bearer token', async () => {
    const res = await call(ws, arm('/incidents'), { auth: false });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe('AuthenticationFailed');
    const basic = await call(ws, arm('/incidents'), { auth: false, headers: { authorization: 'Basic abc' } });
    expect(basic.status).toBe(401);
  });

  it('404 ARM errors for an unknown subscription, resource group, workspace or route', async () => {
    const sub = await call(
      ws,
      `/subscriptions/11111111-0000-0000-0000-000000000000/resourceGroups/soc-demo/providers/Microsoft.OperationalInsights/workspaces/soc-demo-ws/providers/Microsoft.SecurityInsights/incidents?api-version=${API_VERSION}`,
    );
    expect([sub.status, errorCode(sub.body)]).toEqual([404, 'SubscriptionNotFound']);
    const rg = await call(ws, arm('/incidents').replace('/soc-demo/', '/other-rg/'));
    expect([rg.status, errorCode(rg.body)]).toEqual([404, 'ResourceGroupNotFound']);
    const wsName = await call(ws, arm('/incidents').replace('soc-demo-ws', 'other-ws'));
    expect([wsName.status, errorCode(wsName.body)]).toEqual([404, 'ResourceNotFound']);
    const route = await call(ws, arm('/alertRules'));
    expect([route.status, errorCode(route.body)]).toEqual([404, 'NotFound']);
    const outside = await call(ws, '/nothing-here');
    expect([outside.status, errorCode(outside.body)]).toEqual([404, 'NotFound']);
  });

  it('treats ARM paths case-insensitively', async () => {
    const res = await call(
      ws,
      arm(`/incidents/${nameOf(3).toUpperCase()}`)
        .replace('/providers/Microsoft.SecurityInsights', '/PROVIDERS/microsoft.securityinsights')
        .replace('/resourceGroups/', '/resourcegroups/'),
    );
    expect(res.status).toBe(200);
    expect((res.body as IncidentJson).properties.incidentNumber).toBe(3);
  });

  it('400 for malformed JSON, an unknown enum, and closing without a classification', async () => {
    const name = nameOf(4);
    const malformed = await call(ws, arm(`/incidents/${name}`), {
      method: 'PUT',
      rawBody: '{"properties": ',
    });
    expect([malformed.status, errorCode(malformed.body)]).toEqual([400, 'InvalidRequestContent']);
    const badEnum = await call(ws, arm(`/incidents/${name}`), {
      method: 'PUT',
      body: { properties: { title: 't', severity: 'Critical', status: 'New' } },
    });
    expect(badEnum.status).toBe(400);
    expect(JSON.stringify(badEnum.body)).toContain('Critical');
    const closeBare = await call(ws, arm(`/incidents/${name}`), {
      method: 'PUT',
      body: { properties: { title: 't', severity: 'High', status: 'Closed' } },
    });
    expect(closeBare.status).toBe(400);
    expect(JSON.stringify(closeBare.body)).toContain('classification');
    expect(ws.store.getByNumber(4)?.status).toBe('New');
  });

  it('400 naming the unsupported part of a $filter or $orderby', async () => {
    const fn = await call(ws, arm('/incidents', { $filter: "contains(properties/title, 'spray')" }));
    expect(fn.status).toBe(400);
    expect(JSON.stringify(fn.body)).toContain("function 'contains'");
    const prop = await call(ws, arm('/incidents', { $filter: "properties/title eq 'x'" }));
    expect(prop.status).toBe(400);
    expect(JSON.stringify(prop.body)).toContain("'properties/title'");
    const order = await call(ws, arm('/incidents', { $orderby: 'properties/title asc' }));
    expect(order.status).toBe(400);
    const top = await call(ws, arm('/incidents', { $top: '0' }));
    expect(top.status).toBe(400);
  });
});

describe('incidents', () => {
  it('pages with nextLink and returns every incident exactly once', async () => {
    const seen: number[] = [];
    let next: string | undefined = arm('/incidents', {
      $top: '5',
      $orderby: 'properties/incidentNumber asc',
    });
    let pages = 0;
    while (next !== undefined) {
      const res = await call(ws, next);
      expect(res.status).toBe(200);
      const body = res.body as { value: IncidentJson[]; nextLink?: string };
      seen.push(...body.value.map((i) => i.properties.incidentNumber));
      next = body.nextLink;
      pages += 1;
    }
    const all = ws.store
      .listIncidents()
      .map((i) => i.number)
      .sort((a, b) => a - b);
    expect(pages).toBe(Math.ceil(all.length / 5));
    expect(seen).toEqual(all);
  });

  it('filters by status, number and time the way the bot asks', async () => {
    const open = await call(ws, arm('/incidents', { $filter: "properties/status ne 'Closed'" }));
    const openNumbers = (open.body as { value: IncidentJson[] }).value.map(
      (i) => i.properties.incidentNumber,
    );
    expect(openNumbers.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const byNumber = await call(ws, arm('/incidents', { $filter: 'properties/incidentNumber eq 7' }));
    expect(
      (byNumber.body as { value: IncidentJson[] }).value.map((i) => i.properties.incidentNumber),
    ).toEqual([7]);
    const since = new Date(clock.getTime() - 24 * 3600_000).toISOString();
    const recent = await call(
      ws,
      arm('/incidents', {
        $filter: `properties/createdTimeUtc ge ${since} and properties/severity eq 'Low'`,
      }),
    );
    expect(
      (recent.body as { value: IncidentJson[] }).value.map((i) => i.properties.incidentNumber).sort(),
    ).toEqual([11, 12]);
  });

  it('412 when If-Match or the body etag is stale; a matching write gets a new etag and lastModifiedTimeUtc', async () => {
    const name = nameOf(6);
    const before = (await call(ws, arm(`/incidents/${name}`))).body as IncidentJson;
    const update = { properties: { ...before.properties, status: 'Active' } };
    const header = await call(ws, arm(`/incidents/${name}`), {
      method: 'PUT',
      body: update,
      headers: { 'if-match': '"not-the-etag"' },
    });
    expect([header.status, errorCode(header.body)]).toEqual([412, 'PreconditionFailed']);
    const inBody = await call(ws, arm(`/incidents/${name}`), {
      method: 'PUT',
      body: { ...update, etag: '"stale"' },
    });
    expect(inBody.status).toBe(412);
    clock = new Date(clock.getTime() + 60_000);
    const ok = await call(ws, arm(`/incidents/${name}`), {
      method: 'PUT',
      body: { ...update, etag: before.etag },
    });
    expect(ok.status).toBe(200);
    const after = ok.body as IncidentJson;
    expect(after.properties.status).toBe('Active');
    expect(after.etag).not.toBe(before.etag);
    expect(after.etag).toMatch(/^"[0-9a-f]{8}-0000-0d00-0000-[0-9a-f]{12}"$/);
    expect(after.properties.lastModifiedTimeUtc).toBe(clock.toISOString());
    const reuse = await call(ws, arm(`/incidents/${name}`), {
      method: 'PUT',
      body: update,
      headers: { 'if-match': before.etag },
    });
    expect(reuse.status).toBe(412);
  });

  it('closes with a classification, resolving the owner from the directory', async () => {
    const name = nameOf(8);
    const current = (await call(ws, arm(`/incidents/${name}`))).body as IncidentJson;
    const res = await call(ws, arm(`/incidents/${name}`), {
      method: 'PUT',
      headers: { 'if-match': current.etag },
      body: {
        properties: {
          ...current.properties,
          status: 'Closed',
          classification: 'TruePositive',
          classificationReason: 'SuspiciousActivity',
          owner: { objectId: '2b8d4e6f-1a3c-4d5e-8f70-9a1b2c3d4e02' },
        },
      },
    });
    expect(res.status).toBe(200);
    const props = (res.body as IncidentJson).properties;
    expect(props.status).toBe('Closed');
    expect(props.classification).toBe('TruePositive');
    expect(props.owner).toMatchObject({
      assignedTo: 'Marcus Chen',
      email: 'marcus.chen@contoso.com',
      ownerType: 'User',
    });
  });

  it('PUT of a new id creates the next number (201); DELETE removes it', async () => {
    const id = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const created = await call(ws, arm(`/incidents/${id}`), {
      method: 'PUT',
      body: { properties: { title: 'Manual incident', severity: 'Low', status: 'New' } },
    });
    expect(created.status).toBe(201);
    const body = created.body as IncidentJson;
    expect(body.name).toBe(id);
    expect(body.properties.incidentNumber).toBe(13);
    expect(body.properties.createdTimeUtc).toBe(clock.toISOString());
    expect((await call(ws, arm(`/incidents/${id}`), { method: 'DELETE' })).status).toBe(200);
    expect((await call(ws, arm(`/incidents/${id}`))).status).toBe(404);
    expect((await call(ws, arm(`/incidents/${id}`), { method: 'DELETE' })).status).toBe(204);
  });
});

describe('comments and tasks', () => {
  it('a repeated comment PUT updates in place; the demo identity is the author', async () => {
    const name = nameOf(5);
    const before = ws.store.listComments(name).length;
    const path = arm(`/incidents/${name}/comments/11111111-2222-4333-8444-555555555555`);
    const first = await call(ws, path, {
      method: 'PUT',
      body: { properties: { message: 'Bot summary v1' } },
    });
    const second = await call(ws, path, {
      method: 'PUT',
      body: { properties: { message: 'Bot summary v2' } },
    });
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(ws.store.listComments(name)).toHaveLength(before + 1);
    const props = (second.body as { properties: { message: string; author: Record<string, string> } })
      .properties;
    expect(props.message).toBe('Bot summary v2');
    expect(props.author).toMatchObject({ name: 'Sentinel Assistant (demo)', objectType: 'Client' });
    const incident = (await call(ws, arm(`/incidents/${name}`))).body as IncidentJson;
    expect((incident.properties.additionalData as { commentsCount: number }).commentsCount).toBe(before + 1);
  });

  it('400 for a comment over 30,000 characters or without a message', async () => {
    const path = arm(`/incidents/${nameOf(5)}/comments/22222222-2222-4333-8444-555555555555`);
    const long = await call(ws, path, {
      method: 'PUT',
      body: { properties: { message: 'x'.repeat(30_001) } },
    });
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body)).toContain('30000');
    const exactly = await call(ws, path, {
      method: 'PUT',
      body: { properties: { message: 'x'.repeat(30_000) } },
    });
    expect(exactly.status).toBe(201);
    const empty = await call(ws, path, { method: 'PUT', body: { properties: {} } });
    expect(empty.status).toBe(400);
  });

  it('creates, updates, lists and deletes tasks', async () => {
    const name = nameOf(2);
    const path = arm(`/incidents/${name}/tasks/33333333-2222-4333-8444-555555555555`);
    const created = await call(ws, path, {
      method: 'PUT',
      body: { properties: { title: 'Isolate host', status: 'New' } },
    });
    expect(created.status).toBe(201);
    const updated = await call(ws, path, {
      method: 'PUT',
      body: { properties: { title: 'Isolate host', status: 'Completed' } },
    });
    expect(updated.status).toBe(200);
    expect((updated.body as { properties: { status: string } }).properties.status).toBe('Completed');
    const list = await call(ws, arm(`/incidents/${name}/tasks`));
    expect((list.body as { value: { name: string }[] }).value.map((t) => t.name)).toContain(
      '33333333-2222-4333-8444-555555555555',
    );
    const noTitle = await call(ws, path, { method: 'PUT', body: { properties: { status: 'New' } } });
    expect(noTitle.status).toBe(400);
    const badStatus = await call(ws, path, {
      method: 'PUT',
      body: { properties: { title: 't', status: 'Done' } },
    });
    expect(badStatus.status).toBe(400);
    expect((await call(ws, path, { method: 'DELETE' })).status).toBe(200);
    expect((await call(ws, path)).status).toBe(404);
  });

  it('writes a SecurityIncident row for each change, as Sentinel does', async () => {
    const rows = ws.store.logTables().SecurityIncident!;
    const numberIndex = rows.columns.findIndex((c) => c.name === 'IncidentNumber');
    const forFive = rows.rows.filter((r) => r[numberIndex] === 5).length;
    await call(ws, arm(`/incidents/${nameOf(5)}/comments/44444444-2222-4333-8444-555555555555`), {
      method: 'PUT',
      body: { properties: { message: 'another' } },
    });
    expect(rows.rows.filter((r) => r[numberIndex] === 5).length).toBe(forFive + 1);
  });
});

describe('generated incidents', () => {
  it('creates a new incident on the timer and stops on close', async () => {
    const live = await startDemoWorkspace({ port: 0, newIncidentEverySeconds: 0.05 });
    try {
      await expect
        .poll(() => live.store.listIncidents().length, { timeout: 5000 })
        .toBeGreaterThanOrEqual(14);
      const newest = live.store.getByNumber(13);
      expect(newest?.alerts.length).toBeGreaterThan(0);
      expect(newest?.entities.length).toBeGreaterThan(0);
    } finally {
      await live.close();
    }
    const count = live.store.listIncidents().length;
    await new Promise((r) => setTimeout(r, 200));
    expect(live.store.listIncidents().length).toBe(count);
  });

  it('uses the demo workspace identity', () => {
    expect(ws.store.workspace).toEqual(DEMO_WORKSPACE);
    expect(ws.url).toBe(`http://127.0.0.1:${ws.port}`);
  });
});
