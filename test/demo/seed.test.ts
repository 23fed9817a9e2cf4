import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_WORKSPACE } from '../../src/config';
import { createLogTables } from '../../src/demo/logTables';
import { BUILTIN_SCENARIOS_DIR, loadScenarioFolders } from '../../src/demo/scenarioLoader';
import { DemoStore } from '../../src/demo/store';
import { SHARED_DIR } from '../support/paths';

const NOW = new Date('2026-11-20T12:00:00.000Z');

function seeded(): DemoStore {
  const store = new DemoStore({ workspace: DEMO_WORKSPACE, now: () => NOW });
  loadScenarioFolders(store, [BUILTIN_SCENARIOS_DIR], NOW);
  return store;
}

describe('demo seed', () => {
  const store = seeded();
  const incidents = store.listIncidents();

  it('has at least 12 incidents numbered 1..N without gaps, created in number order', () => {
    expect(incidents.length).toBeGreaterThanOrEqual(12);
    expect(incidents.map((i) => i.number)).toEqual(incidents.map((_, i) => i + 1));
    const created = incidents.map((i) => Date.parse(i.createdTimeUtc));
    expect(created).toEqual([...created].sort((a, b) => a - b));
  });

  it('keeps every time within the last 7 days of now()', () => {
    const weekAgo = NOW.getTime() - 7 * 24 * 3600_000;
    for (const i of incidents) {
      for (const time of [
        i.createdTimeUtc,
        i.lastModifiedTimeUtc,
        i.firstActivityTimeUtc,
        i.lastActivityTimeUtc,
        ...i.alerts.map((a) => a.startTimeUtc),
      ]) {
        expect(time, `incident ${i.number}`).toBeDefined();
        expect(Date.parse(time!)).toBeGreaterThanOrEqual(weekAgo);
        expect(Date.parse(time!)).toBeLessThanOrEqual(NOW.getTime());
      }
    }
  });

  it('covers the required scenarios in order, with 1-5 alerts each', () => {
    const keywords = [
      /password spray/i,
      /shadow cop/i,
      /phishing/i,
      /encoded powershell/i,
      /mass download/i,
      /rdp brute force/i,
      /privilege escalation|role/i,
      /crypto-mining/i,
      /forwarding rule/i,
      /dns tunnel/i,
      /.*/,
      /.*/,
    ];
    incidents.slice(0, 12).forEach((i, index) => {
      expect(i.title).toMatch(keywords[index]!);
      expect(i.alerts.length).toBeGreaterThanOrEqual(1);
      expect(i.alerts.length).toBeLessThanOrEqual(5);
      expect(i.tactics.length).toBeGreaterThan(0);
    });
    expect(incidents[0]!.entities.some((e) => e.properties.address === '185.220.101.45')).toBe(true);
    expect([incidents[10]!.status, incidents[10]!.classification]).toEqual(['Closed', 'BenignPositive']);
    expect([incidents[11]!.status, incidents[11]!.classification]).toEqual(['Closed', 'FalsePositive']);
  });

  it('references every entity from an alert and every alert entity exists', () => {
    for (const i of incidents) {
      const names = new Set(i.entities.map((e) => e.name));
      const referenced = new Set(i.alerts.flatMap((a) => a.entityNames));
      for (const name of referenced) expect(names.has(name), `incident ${i.number}`).toBe(true);
      for (const e of i.entities)
        expect(referenced.has(e.name), `incident ${i.number} entity ${e.kind}`).toBe(true);
      expect(i.entities.every((e) => typeof e.properties.friendlyName === 'string')).toBe(true);
    }
  });

  it('writes SecurityIncident and SecurityAlert rows matching the incidents', () => {
    const tables = store.logTables();
    const si = tables.SecurityIncident!;
    const numberCol = si.columns.findIndex((c) => c.name === 'IncidentNumber');
    expect(new Set(si.rows.map((r) => r[numberCol]))).toEqual(new Set(incidents.map((i) => i.number)));
    const sa = tables.SecurityAlert!;
    const idCol = sa.columns.findIndex((c) => c.name === 'SystemAlertId');
    expect(new Set(sa.rows.map((r) => r[idCol]))).toEqual(
      new Set(incidents.flatMap((i) => i.alerts.map((a) => a.name))),
    );
  });

  it('has rows in every table the scenarios need, each as wide as its table', () => {
    const tables = store.logTables();
    for (const name of [
      'SecurityIncident',
      'SecurityAlert',
      'SigninLogs',
      'AuditLogs',
      'DeviceProcessEvents',
      'DeviceNetworkEvents',
      'OfficeActivity',
      'EmailEvents',
      'CommonSecurityLog',
      'SecurityEvent',
      'DeviceFileEvents',
      'AzureActivity',
    ]) {
      expect(tables[name]!.rows.length, name).toBeGreaterThan(0);
    }
    let total = 0;
    for (const [name, table] of Object.entries(tables)) {
      for (const row of table.rows) expect(row.length, name).toBe(table.columns.length);
      total += table.rows.length;
    }
    expect(total).toBeGreaterThan(300);
  });

  it('holds many Tor sign-ins across users, then a success for adele.vance, plus normal sign-ins', () => {
    const t = store.logTables().SigninLogs!;
    const col = (n: string): number => t.columns.findIndex((c) => c.name === n);
    const fromTor = t.rows.filter((r) => r[col('IPAddress')] === '185.220.101.45');
    expect(fromTor.length).toBeGreaterThanOrEqual(20);
    expect(new Set(fromTor.map((r) => r[col('UserPrincipalName')])).size).toBeGreaterThanOrEqual(5);
    expect(
      fromTor.filter((r) => r[col('ResultType')] === '0').map((r) => r[col('UserPrincipalName')]),
    ).toEqual(['adele.vance@contoso.com']);
    expect(t.rows.length - fromTor.length).toBeGreaterThan(50);
  });

  it('is deterministic: the same clock gives the same ids and rows', () => {
    const again = seeded();
    expect(again.listIncidents().map((i) => i.name)).toEqual(incidents.map((i) => i.name));
    expect(again.logTables().SigninLogs!.rows).toEqual(store.logTables().SigninLogs!.rows);
  });

  it('uses the published table schemas unchanged', () => {
    const published = JSON.parse(
      fs.readFileSync(path.join(SHARED_DIR, 'schemas', 'sentinel-tables.json'), 'utf8'),
    ) as Record<string, unknown>;
    const ours = createLogTables();
    for (const [name, columns] of Object.entries(published))
      expect(ours[name]?.columns, name).toEqual(columns);
  });

  it('refuses a row naming a column the table does not have', () => {
    expect(() => store.appendLogRow('SigninLogs', { NotAColumn: 1 })).toThrow(/no column NotAColumn/);
    expect(() => store.appendLogRow('NoSuchTable', {})).toThrow(/Unknown log table/);
  });
});
