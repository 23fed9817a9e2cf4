import { defang, isAllowedLink } from '../safeText';
import { hostOfUrl } from '../understanding/subjects';
import type { Evidence, IncidentUnderstanding } from '../understanding/types';

/**
 * Tasks carry real indicators (a Sentinel task is where an analyst copies them from); what Teams shows
 * is defanged, so no indicator becomes a clickable link. One place for both directions.
 */

const URL_RE = /\b(?:https?|ftp):\/\/[^\s<>()[\]"'`]+/gi;

/** Domains, hosts and mail addresses of the attacker in this incident: defanged wherever they appear. */
export function indicatorsOf(u: IncidentUnderstanding): string[] {
  const out = new Set<string>();
  for (const e of u.entities) {
    if (e.role !== 'attacker' || !e.value) continue;
    if (e.kind === 'Url') {
      const host = hostOfUrl(e.value);
      if (host && /[a-z]/i.test(host)) out.add(host);
    }
    if (e.kind === 'DnsResolution' || e.kind === 'Email' || e.kind === 'MailMessage')
      out.add(e.value.toLowerCase());
    if (e.kind === 'MailMessage') out.add(e.value.split('@')[1]?.toLowerCase() ?? '');
  }
  out.delete('');
  return [...out].sort((a, b) => b.length - a.length);
}

/** For Teams: URLs and the incident's attacker domains defanged (hxxps://evil[.]com); portal links kept. */
export function display(text: string, indicators: readonly string[] = []): string {
  const kept: string[] = [];
  const keep = (s: string) => `\uE001${kept.push(s) - 1}\uE001`;
  let out = text.replace(/\uE001/g, '').replace(URL_RE, (u) => keep(isAllowedLink(u) ? u : defang(u)));
  for (const d of indicators) {
    out = out.replace(new RegExp(d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), (m) =>
      keep(m.replace(/\./g, '[.]')),
    );
  }
  return out.replace(/\uE001(\d+)\uE001/g, (_m, i: string) => kept[Number(i)] ?? '');
}

/** "8 accounts failed from 185.220.101.45 (SigninLogs)": the evidence and where to check it. */
export function evidenceLine(e: Evidence | undefined, fallback: string): string {
  if (!e) return fallback;
  return `${e.text} (${e.ref})`;
}
