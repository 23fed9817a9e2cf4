import { safeCardText } from '../../ai/safeText';
import type { IncidentOwner, Severity } from '../../domain/types';

/**
 * Incident text (titles, descriptions, entity names, owners) comes from alerts an attacker can shape.
 * TextBlock and FactSet render a markdown subset, so `[click](https://evil)` or `![](…)` in a title
 * would become a live link or image. Everything such text passes through here, which is the shared
 * sanitiser's card form (src/ai/safeText.ts): one control-character policy, foreign links defanged,
 * markdown punctuation escaped, template syntax defused, length capped.
 */
export function cardText(value: unknown, maxChars: number, options: { multiline?: boolean } = {}): string {
  return safeCardText(value, maxChars, options);
}

/** Adaptive Card TextBlock colours: High stands out, Informational stays neutral. */
export function severityColor(severity: Severity): 'Attention' | 'Warning' | 'Accent' | 'Default' {
  switch (severity) {
    case 'High':
      return 'Attention';
    case 'Medium':
      return 'Warning';
    case 'Low':
      return 'Accent';
    default:
      return 'Default';
  }
}

export function ownerName(owner: IncidentOwner | undefined): string {
  return owner?.assignedTo ?? owner?.userPrincipalName ?? owner?.email ?? 'Unassigned';
}

/** "3 h ago", "just now", "in 5 min" (clock skew). */
export function relativeTime(iso: string | undefined, now: Date): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return 'unknown';
  const diffSec = Math.round((now.getTime() - t) / 1000);
  const abs = Math.abs(diffSec);
  let text: string;
  if (abs < 60) return 'just now';
  if (abs < 3600) text = `${Math.floor(abs / 60)} min`;
  else if (abs < 86_400) text = `${Math.floor(abs / 3600)} h`;
  else text = `${Math.floor(abs / 86_400)} d`;
  return diffSec >= 0 ? `${text} ago` : `in ${text}`;
}

/** "2026-11-22 08:51 UTC" */
export function utcTime(iso: string | undefined): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return 'unknown';
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function whenText(iso: string | undefined, now: Date): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return 'unknown';
  return `${relativeTime(iso, now)} (${utcTime(iso)})`;
}

/** Only https links become buttons: an http or javascript: URL from a provider is dropped, not shown. */
/** Where "Open in Sentinel" may point: the Azure portal (public and sovereign clouds). */
export const SENTINEL_PORTAL_HOSTS = ['portal.azure.com', 'portal.azure.us', 'portal.azure.cn'] as const;
/** Where "Open in Defender" may point. */
export const DEFENDER_PORTAL_HOSTS = ['security.microsoft.com', 'security.microsoft.us'] as const;

/**
 * An https URL on one of `hosts`, or '' (the button is then not shown). The links come from incident
 * data, which an attacker may influence, so a card button never points anywhere but the portals.
 */
export function safeHttpsUrl(value: string | undefined, hosts: readonly string[]): string {
  if (!value || /[\\\s]/.test(value)) return '';
  try {
    const url = new URL(value);
    const ok =
      url.protocol === 'https:' && url.username === '' && url.password === '' && hosts.includes(url.hostname);
    return ok ? url.toString() : '';
  } catch {
    return '';
  }
}
