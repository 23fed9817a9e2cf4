import { oneLine } from '../spotlight';
import { display, indicatorsOf } from '../remediation/text';
import type { CountFact, EntityUnderstanding, Evidence, IncidentUnderstanding } from '../understanding/types';

/**
 * How the built-in analyst says things: role names an analyst reads, one line per entity with its
 * evidence, and every string through `display` so attacker domains and URLs are never clickable.
 */

export interface Say {
  u: IncidentUnderstanding;
  /** Evidence references used by the answer (listed at its end). */
  refs: string[];
  text(s: string): string;
}

export function sayer(u: IncidentUnderstanding): Say {
  const indicators = indicatorsOf(u);
  return { u, refs: [], text: (s) => display(s, indicators) };
}

export function roleLabel(e: EntityUnderstanding): string {
  switch (e.role) {
    case 'attacker':
      if (e.flags.systemBinary && !e.flags.masquerading)
        return 'malicious use of a Windows binary (restrict its use; never block the binary)';
      if (['File', 'FileHash', 'Process', 'Malware'].includes(e.kind)) return 'malicious';
      if (e.kind === 'Account') return 'attacker-controlled account';
      if (e.kind === 'AzureResource' || e.kind === 'Host') return 'created by the attacker';
      if (e.kind === 'Email') return 'attacker mailbox (forwarding destination)';
      return 'attacker infrastructure';
    case 'compromised':
      return 'compromised';
    case 'targeted':
      return e.flags.clicked ? 'targeted — clicked the malicious link' : 'targeted, not compromised';
    case 'insider':
      return 'insider risk (acted with own access, not an outside compromise)';
    case 'affected':
      return 'affected';
    case 'legitimate':
      return e.flags.systemBinary ? 'legitimate (Windows system binary)' : 'legitimate';
    case 'context':
      return 'involved (role not established by the data)';
  }
}

export function cite(say: Say, e: Evidence | undefined): string {
  if (!e) return '';
  say.refs.push(e.ref);
  return `${say.text(oneLine(e.text, 220))} (${e.ref})`;
}

/** "`185.220.101.45` — attacker infrastructure: 8 accounts failed … (SigninLogs)". */
export function entityLine(say: Say, e: EntityUnderstanding, evidenceCount = 1): string {
  const evidence = e.evidence
    .slice(0, evidenceCount)
    .map((x) => cite(say, x))
    .filter(Boolean);
  const confidence = e.confidence === 'high' ? '' : ` (${e.confidence} confidence)`;
  return `${say.text(e.name)} — ${roleLabel(e)}${confidence}${evidence.length ? `: ${evidence.join('; ')}` : ''}`;
}

export function countLine(say: Say, c: CountFact): string {
  say.refs.push(c.source.ref);
  return `${c.value.toLocaleString('en-US')} ${c.what} — ${say.text(oneLine(c.source.text, 200))} (${c.source.ref})`;
}

/** Counts from the logs first (they are measured), then what the texts state. */
export function orderedCounts(u: IncidentUnderstanding): CountFact[] {
  const rank = (c: CountFact) => (c.source.kind === 'logs' ? 0 : c.source.kind === 'description' ? 1 : 2);
  return [...u.counts].sort((a, b) => rank(a) - rank(b));
}

export const CLASSIFICATION_WORDS: Record<string, string> = {
  TruePositive: 'true positive',
  BenignPositive: 'benign positive',
  FalsePositive: 'false positive',
  Undetermined: 'undetermined',
};

export const VERDICT_WORDS: Record<string, string> = {
  'true-positive': 'likely true positive',
  'benign-positive': 'likely benign positive',
  'false-positive': 'likely false positive',
  undetermined: 'undetermined',
};

export function byRole(
  u: IncidentUnderstanding,
  role: EntityUnderstanding['role'],
  ...kinds: string[]
): EntityUnderstanding[] {
  return u.entities.filter((e) => e.role === role && (kinds.length === 0 || kinds.includes(e.kind)));
}
