import { oneLine } from '../spotlight';
import type { Subject } from './subjects';
import type { ActionRecord, CountFact, Evidence } from './types';

/** Matching log values (UPNs, host names, client addresses) to the incident's subjects. */

/** The address of a client IP as logs write it ("[::ffff:1.2.3.4]:443", "1.2.3.4:50000"). */
export function ipOf(clientIp: string): string {
  const t = clientIp.trim();
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(t);
  if (bracket?.[1]) return bracket[1].replace(/^::ffff:/i, '');
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?$/.exec(t);
  return v4?.[1] ?? t;
}

export const sameName = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

export interface LogFacts {
  counts: CountFact[];
  findings: Evidence[];
  /** Response steps the directory log shows were taken (a password reset, tokens revoked). */
  done: ActionRecord[];
  /** Subjects only the logs named (sprayed accounts, external forwarding addresses). */
  added: Subject[];
}

/** Finds the subject a log value names (UPN, account name, host, address). */
export function subjectFor(
  subjects: readonly Subject[],
  value: string,
  kinds?: readonly string[],
): Subject | undefined {
  const v = value.trim().toLowerCase();
  if (v === '') return undefined;
  const short = v.split('.')[0] ?? v;
  return (
    subjects.find((s) => (!kinds || kinds.includes(s.kind)) && s.aliases.includes(v)) ??
    (kinds?.includes('Host')
      ? subjects.find((s) => s.kind === 'Host' && s.aliases.includes(short))
      : undefined)
  );
}

export function logSubject(kind: string, value: string): Subject {
  const v = value.toLowerCase();
  return {
    key: `logs:${v}`,
    kind,
    name: oneLine(value, 120),
    value,
    aliases: [v, ...(kind === 'Account' && v.includes('@') ? [v.split('@')[0] ?? v] : [])].filter(
      (a) => a.length >= 3,
    ),
    flags: {},
    details: kind === 'Account' ? { upn: v } : {},
    sameAs: [],
    fromLogs: true,
  };
}
