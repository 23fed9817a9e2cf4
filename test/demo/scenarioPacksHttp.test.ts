import path from 'node:path';
import { LogsQueryResultStatus } from '@azure/monitor-query-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WORKSPACE } from '../../src/config';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/server';
import { demoSdkClients, type DemoSdkClients } from './demoSdk';

/** The fixture packs were written at this anchor; the workspace runs 20 months later. */
const ANCHOR = Date.parse('2025-03-10T09:00:00Z');
const NOW = new Date('2026-11-20T12:00:00.000Z');
const shifted = (iso: string): Date => new Date(Date.parse(iso) + NOW.getTime() - ANCHOR);
const FIXTURES = path.join(__dirname, 'fixtures', 'scenarios');
const { resourceGroup: rg, workspaceName: wsName, workspaceId } = DEMO_WORKSPACE;

let ws: DemoWorkspace;
let sdk: DemoSdkClients;

beforeAll(async () => {
  ws = await startDemoWorkspace({ port: 0, now: () => NOW, scenariosDir: FIXTURES });
  sdk = demoSdkClients(ws);
});
afterAll(async () => {
  await ws.close();
});

describe('a DEMO_SCENARIOS folder, served through the same REST and KQL APIs', () => {
  it('lists the packs’ incidents after the built-in twelve, in file-name order', async () => {
    const titles: [number, string][] = [];
    for await (const i of sdk.sentinel.incidents.list(rg, wsName, {
      orderby: 'properties/incidentNumber asc',
    }))
      titles.push([i.incidentNumber ?? -1, i.title ?? '']);
    expect(titles).toHaveLength(14);
    expect(titles.slice(12)).toEqual([
      [13, "Illicit consent grant to 'PDF Viewer Pro' by kim.akers@contoso.com"],
      [14, 'Files copied to a USB drive on LT-KIMA after hours'],
    ]);
  });

  it('gets an incident with shifted times, its owner resolved and its rule re-homed to this workspace', async () => {
    const incident = await sdk.sentinel.incidents.get(rg, wsName, ws.store.getByNumber(13)!.name);
    expect(incident.createdTimeUtc).toEqual(shifted('2025-03-10T08:20:00Z'));
    expect(incident.lastActivityTimeUtc).toEqual(shifted('2025-03-10T08:05:30Z'));
    expect([incident.status, incident.severity, incident.owner?.assignedTo]).toEqual([
      'Active',
      'High',
      'Elena Rossi',
    ]);
    expect(incident.labels).toEqual([{ labelName: 'Tabletop', labelType: 'User' }]);
    expect(incident.relatedAnalyticRuleIds).toEqual([
      `/subscriptions/${DEMO_WORKSPACE.subscriptionId}/resourceGroups/${rg}/providers/Microsoft.OperationalInsights/workspaces/${wsName}/providers/Microsoft.SecurityInsights/alertRules/7c1e2f3a-0000-4000-8000-00000000aa01`,
    ]);
    const closed = await sdk.sentinel.incidents.get(rg, wsName, 'tabletop-usb-copy');
    expect([closed.incidentNumber, closed.status, closed.classification]).toEqual([
      14,
      'Closed',
      'BenignPositive',
    ]);
  });

  it('serves the alerts, entities, comments and tasks of a pack incident', async () => {
    const name = ws.store.getByNumber(13)!.name;
    const alerts = (await sdk.sentinel.incidents.listAlerts(rg, wsName, name)).value ?? [];
    expect(alerts.map((a) => [a.alertDisplayName, a.compromisedEntity, a.remediationSteps])).toEqual([
      [
        'Suspicious OAuth app consent',
        'kim.akers@contoso.com',
        ["Revoke the app's consent and disable the service principal."],
      ],
    ]);
    expect(alerts[0]?.startTimeUtc).toEqual(shifted('2025-03-10T08:02:00Z'));
    // The bot reads entities from the raw body, as the SDK's model mangles string values of additionalData.
    let raw = '';
    await sdk.sentinel.incidents.listEntities(rg, wsName, name, {
      onResponse: (response) => (raw = response.bodyAsText ?? ''),
    });
    const entities = (
      JSON.parse(raw) as { entities: { kind: string; properties: Record<string, unknown> }[] }
    ).entities;
    expect(entities.map((e) => e.kind)).toEqual(['Account', 'CloudApplication', 'Ip']);
    expect(entities[1]?.properties.additionalData).toEqual({
      ConsentTime: shifted('2025-03-10T08:02:00Z').toISOString(),
      Scopes: ['Mail.Read', 'offline_access'],
    });
    const comments = [];
    for await (const c of sdk.sentinel.incidentComments.list(rg, wsName, name)) comments.push(c);
    expect(comments.map((c) => [c.author?.name, c.message])).toEqual([
      ['Elena Rossi', 'Kim says she thought it was the company PDF tool. Consent revoked at 08:35.'],
    ]);
    expect(await sdk.listTaskTitles(name)).toEqual([
      { title: 'Revoke consent for PDF Viewer Pro', status: 'Completed' },
      { title: 'Search other mailboxes for the consent link', status: 'New' },
    ]);
  });

  it('answers KQL over the pack’s own log rows and its incidents', async () => {
    const result = await sdk.logs.queryWorkspace(
      workspaceId,
      "OfficeActivity | where ClientIP == '203.0.113.77' | project TimeGenerated, Operation, UserId | order by TimeGenerated asc",
      { duration: 'PT3H' },
    );
    expect(result.status).toBe(LogsQueryResultStatus.Success);
    const rows = result.status === LogsQueryResultStatus.Success ? result.tables[0]?.rows : undefined;
    expect(rows).toEqual([
      [shifted('2025-03-10T08:05:00Z'), 'MailItemsAccessed', 'kim.akers@contoso.com'],
      [shifted('2025-03-10T08:05:30Z'), 'MailItemsAccessed', 'kim.akers@contoso.com'],
    ]);
    const incidents = await sdk.logs.queryWorkspace(
      workspaceId,
      'SecurityIncident | where IncidentNumber >= 13 | summarize by IncidentNumber, Title | order by IncidentNumber asc',
      { duration: 'P7D' },
    );
    const titles = incidents.status === LogsQueryResultStatus.Success ? incidents.tables[0]?.rows : undefined;
    expect(titles?.map((r) => r[0])).toEqual([13, 14]);
  });
});
