import type { SecurityInsights } from '@azure/arm-securityinsight';
import { createPipelineRequest } from '@azure/core-rest-pipeline';
import { LogsQueryResultStatus, type LogsQueryClient } from '@azure/monitor-query-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WORKSPACE } from '../../src/config';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/server';
import { ARM_BASE } from './demoHttp';
import { demoSdkClients } from './demoSdk';

let ws: DemoWorkspace;
let sentinel: SecurityInsights;
let logs: LogsQueryClient;
const { resourceGroup: rg, workspaceName: wsName } = DEMO_WORKSPACE;

beforeAll(async () => {
  ws = await startDemoWorkspace({ port: 0 });
  ({ sentinel, logs } = demoSdkClients(ws));
});
afterAll(async () => {
  await ws.close();
});

describe('Azure SDK clients against the demo workspace', () => {
  it('lists every incident through SDK paging', async () => {
    const numbers: number[] = [];
    for await (const incident of sentinel.incidents.list(rg, wsName, {
      top: 4,
      orderby: 'properties/incidentNumber asc',
    })) {
      numbers.push(incident.incidentNumber ?? -1);
    }
    expect(numbers).toEqual(ws.store.listIncidents().map((i) => i.number));
  });

  it('gets an incident with dates, owner and additional data deserialized', async () => {
    const one = ws.store.getByNumber(1)!;
    const incident = await sentinel.incidents.get(rg, wsName, one.name);
    expect(incident.title).toBe(one.title);
    expect(incident.createdTimeUtc).toBeInstanceOf(Date);
    expect(incident.owner?.assignedTo).toBe('Priya Sharma');
    expect(incident.additionalData?.alertsCount).toBe(one.alerts.length);
  });

  it('reads alerts and polymorphic entities', async () => {
    const one = ws.store.getByNumber(1)!;
    const alerts = await sentinel.incidents.listAlerts(rg, wsName, one.name);
    expect(alerts.value?.map((a) => a.kind)).toEqual(one.alerts.map(() => 'SecurityAlert'));
    expect(alerts.value?.[0]?.productName).toBe('Microsoft Entra ID Protection');
    const entities = await sentinel.incidents.listEntities(rg, wsName, one.name);
    expect(entities.entities?.map((e) => e.kind)).toContain('Ip');
    expect(entities.metaData?.find((m) => m.entityKind === 'Account')?.count).toBe(3);
  });

  it('updates an incident with its etag and rejects a stale one as 412', async () => {
    const four = await sentinel.incidents.get(rg, wsName, ws.store.getByNumber(4)!.name);
    const updated = await sentinel.incidents.createOrUpdate(rg, wsName, four.name!, {
      ...four,
      status: 'Active',
      owner: { objectId: '6f1c2a3e-7b41-4c8e-9d2a-1e5f3b7c9a01' },
    });
    expect(updated.status).toBe('Active');
    expect(updated.owner?.email).toBe('priya.sharma@contoso.com');
    await expect(
      sentinel.incidents.createOrUpdate(rg, wsName, four.name!, { ...four, severity: 'Low' }),
    ).rejects.toMatchObject({ statusCode: 412 });
  });

  it('creates a comment idempotently and lists it', async () => {
    const name = ws.store.getByNumber(3)!.name;
    const id = '5f0e8a1c-0000-4000-8000-000000000001';
    await sentinel.incidentComments.createOrUpdate(rg, wsName, name, id, { message: 'Summary from the bot' });
    await sentinel.incidentComments.createOrUpdate(rg, wsName, name, id, {
      message: 'Summary from the bot (edited)',
    });
    const comments = [];
    for await (const c of sentinel.incidentComments.list(rg, wsName, name)) comments.push(c);
    expect(comments.filter((c) => c.name === id).map((c) => c.message)).toEqual([
      'Summary from the bot (edited)',
    ]);
  });

  it('reaches incident tasks through the client pipeline', async () => {
    const name = ws.store.getByNumber(3)!.name;
    const res = await sentinel.sendRequest(
      createPipelineRequest({
        url: `${ws.url}${ARM_BASE}/incidents/${name}/tasks/6a0e8a1c-0000-4000-8000-000000000002?api-version=2024-09-01`,
        method: 'PUT',
        body: JSON.stringify({ properties: { title: 'Block the phishing URL', status: 'New' } }),
        headers: undefined,
        allowInsecureConnection: true,
      }),
    );
    expect(res.status).toBe(201);
    expect(ws.store.listTasks(name).map((t) => t.title)).toContain('Block the phishing URL');
  });

  it('queries logs with LogsQueryClient and gets typed columns back', async () => {
    const result = await logs.queryWorkspace(
      DEMO_WORKSPACE.workspaceId,
      "SigninLogs | where IPAddress == '185.220.101.45' and ResultType == '0' | project TimeGenerated, UserPrincipalName, LocationDetails",
      { duration: 'P7D' },
    );
    expect(result.status).toBe(LogsQueryResultStatus.Success);
    const table = result.status === LogsQueryResultStatus.Success ? result.tables[0] : undefined;
    expect(table?.rows).toHaveLength(1);
    expect(table?.rows[0]?.[0]).toBeInstanceOf(Date);
    expect(table?.rows[0]?.[1]).toBe('adele.vance@contoso.com');
    expect(table?.rows[0]?.[2]).toMatchObject({ countryOrRegion: 'DE' });
  });

  it('surfaces a bad query as a rejected promise with the Log Analytics error', async () => {
    await expect(
      logs.queryWorkspace(DEMO_WORKSPACE.workspaceId, 'SigninLogs | where', { duration: 'P1D' }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });
});
