import type { Alert, Entity, Severity } from '../domain/types';
import type { IncidentData } from './incidentData';
import { sortTactics } from './mitre';
import { oneLine } from './spotlight';

/**
 * The incident's facts in analyst order: alerts collapsed by name, entities de-duplicated and ranked by
 * how often they occur. Shared by the prompt builder and the built-in analyst, so both see the same
 * picture. Every ordering is deterministic (same data, same order).
 */

const SEVERITY_RANK: Record<Severity, number> = { High: 0, Medium: 1, Low: 2, Informational: 3 };

export interface AlertGroup {
  displayName: string;
  count: number;
  severity: Severity;
  products: string[];
  tactics: string[];
  techniques: string[];
  first?: string;
  last?: string;
  ids: string[];
  description: string;
  compromisedEntities: string[];
}

/** Collapses alerts with the same name; deterministic order: severity, then count, then name. */
export function groupAlerts(alerts: readonly Alert[]): AlertGroup[] {
  const byName = new Map<string, { alerts: Alert[]; displayName: string }>();
  for (const a of alerts) {
    const displayName = oneLine(a.displayName || '(unnamed alert)', 200);
    const key = displayName.toLowerCase();
    const g = byName.get(key) ?? { alerts: [], displayName };
    g.alerts.push(a);
    byName.set(key, g);
  }
  const groups: AlertGroup[] = [];
  for (const { alerts: members, displayName } of byName.values()) {
    const sorted = [...members].sort((x, y) => cmp(alertTime(x), alertTime(y)) || cmp(x.name, y.name));
    const starts = sorted
      .map((a) => a.startTimeUtc ?? a.timeGenerated)
      .filter(isString)
      .sort();
    const ends = sorted
      .map((a) => a.endTimeUtc ?? a.startTimeUtc ?? a.timeGenerated)
      .filter(isString)
      .sort();
    groups.push({
      displayName,
      count: members.length,
      severity: members.reduce<Severity>(
        (s, a) => (SEVERITY_RANK[a.severity] < SEVERITY_RANK[s] ? a.severity : s),
        'Informational',
      ),
      products: uniqSorted(members.map((a) => a.productName).filter(isString)),
      tactics: sortTactics(members.flatMap((a) => a.tactics)),
      techniques: uniqSorted(members.flatMap((a) => a.techniques)),
      first: starts[0],
      last: ends[ends.length - 1],
      ids: sorted.map((a) => a.name),
      description: mostCommon(members.map((a) => a.description).filter((d) => d.trim().length > 0)) ?? '',
      compromisedEntities: uniqSorted(members.map((a) => a.compromisedEntity).filter(isString)),
    });
  }
  return groups.sort(
    (x, y) =>
      SEVERITY_RANK[x.severity] - SEVERITY_RANK[y.severity] ||
      y.count - x.count ||
      cmp(x.displayName, y.displayName),
  );
}

export interface RankedEntity {
  kind: string;
  name: string;
  /** Occurrences in the entity list plus alerts naming it as the compromised entity. */
  frequency: number;
  properties: Record<string, unknown>;
}

const KIND_ORDER = [
  'Account',
  'Host',
  'Ip',
  'Url',
  'Mailbox',
  'MailMessage',
  'MailCluster',
  'File',
  'FileHash',
  'Process',
  'CloudApplication',
  'AzureResource',
  'DnsResolution',
  'RegistryKey',
  'RegistryValue',
  'Malware',
  'SecurityGroup',
  'IoTDevice',
];

/** Duplicates collapsed; grouped by kind in a fixed kind order; most frequent first inside a kind. */
export function rankEntities(
  entities: readonly Entity[],
  alerts: readonly Alert[],
): Map<string, RankedEntity[]> {
  const compromised = new Map<string, number>();
  for (const a of alerts) {
    if (a.compromisedEntity) {
      const k = a.compromisedEntity.toLowerCase();
      compromised.set(k, (compromised.get(k) ?? 0) + 1);
    }
  }
  const byKey = new Map<string, RankedEntity>();
  for (const e of entities) {
    const name = oneLine(e.friendlyName || e.id, 200);
    const key = `${e.kind}\u0000${name.toLowerCase()}`;
    const seen = byKey.get(key);
    if (seen) seen.frequency += 1;
    else
      byKey.set(key, {
        kind: e.kind,
        name,
        frequency: 1 + (compromised.get(name.toLowerCase()) ?? 0),
        properties: e.properties,
      });
  }
  const kindRank = (k: string): number => {
    const i = KIND_ORDER.indexOf(k);
    return i === -1 ? KIND_ORDER.length : i;
  };
  const kinds = [...new Set([...byKey.values()].map((e) => e.kind))].sort(
    (a, b) => kindRank(a) - kindRank(b) || cmp(a, b),
  );
  const result = new Map<string, RankedEntity[]>();
  for (const kind of kinds) {
    result.set(
      kind,
      [...byKey.values()]
        .filter((e) => e.kind === kind)
        .sort((a, b) => b.frequency - a.frequency || cmp(a.name, b.name)),
    );
  }
  return result;
}

export function activityWindow(data: IncidentData): { first?: string; last?: string } {
  const starts = data.alerts
    .map((a) => a.startTimeUtc ?? a.timeGenerated)
    .filter(isString)
    .sort();
  const ends = data.alerts
    .map((a) => a.endTimeUtc ?? a.startTimeUtc)
    .filter(isString)
    .sort();
  return {
    first: data.incident.firstActivityTimeUtc ?? starts[0],
    last: data.incident.lastActivityTimeUtc ?? ends[ends.length - 1],
  };
}

function alertTime(a: Alert): string {
  return a.startTimeUtc ?? a.timeGenerated ?? '';
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))[0]?.[0];
}

export function uniqSorted(values: string[]): string[] {
  return [...new Set(values)].sort(cmp);
}

export function isString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "2026-11-17 01:24 UTC" — how analysts read times in answers; ISO with milliseconds is for machines. */
export function displayUtc(iso: string | undefined): string {
  if (iso === undefined || iso === '') return 'unknown';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
