/** Reading hunt inputs from an incident: its time window and its entities' values. */
import type { Entity, Incident } from '../domain/types';

const DAY_MS = 24 * 60 * 60 * 1000;
export const MAX_VALUES_PER_KIND = 3;

export interface HuntWindow {
  start: Date;
  end: Date;
}

/** Incident activity widened by a day each side, so lead-up and follow-on activity is included. */
export function huntWindow(incident: Incident): HuntWindow {
  const first = new Date(incident.firstActivityTimeUtc ?? incident.createdTimeUtc);
  const last = new Date(
    incident.lastActivityTimeUtc ?? incident.lastModifiedTimeUtc ?? incident.createdTimeUtc,
  );
  const firstMs = Number.isNaN(first.getTime()) ? Date.now() : first.getTime();
  const lastMs = Number.isNaN(last.getTime()) ? firstMs : Math.max(last.getTime(), firstMs);
  return { start: new Date(firstMs - DAY_MS), end: new Date(lastMs + DAY_MS) };
}

export function prop(entity: Entity, name: string): string | undefined {
  const value = entity.properties[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function uniq(values: (string | undefined)[]): string[] {
  const seen = new Map<string, string>();
  for (const value of values) {
    if (value !== undefined && !seen.has(value.toLowerCase())) seen.set(value.toLowerCase(), value);
  }
  return [...seen.values()].slice(0, MAX_VALUES_PER_KIND);
}

export function ofKind(entities: Entity[], kind: string): Entity[] {
  return entities.filter((e) => e.kind.toLowerCase() === kind.toLowerCase());
}

export function hashColumn(algorithm: string | undefined, hash: string): string {
  const named = algorithm?.toUpperCase();
  if (named === 'MD5' || named === 'SHA1' || named === 'SHA256') return named;
  if (/^[0-9a-f]{32}$/i.test(hash)) return 'MD5';
  if (/^[0-9a-f]{40}$/i.test(hash)) return 'SHA1';
  return 'SHA256';
}

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname || url;
  } catch {
    return url;
  }
}
