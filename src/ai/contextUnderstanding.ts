import { oneLine } from './spotlight';
import type { IncidentUnderstanding } from './understanding/types';

/**
 * The understanding as prompt text: the same roles, counts, log findings, done and open items and
 * verdict hint the built-in analyst uses, so the model is told what is already done and which addresses
 * are legitimate. Lower detail levels keep every role and count but shorten the evidence.
 */

export interface UnderstandingDetail {
  /** Entities listed with a role (the rest are summarised as a count). */
  entities: number;
  /** Characters of evidence per entity; 0 = role only. */
  evidenceChars: number;
  findings: number;
  counts: number;
  /** Done and open items listed (the rest are counted). */
  items: number;
}

export const UNDERSTANDING_LEVELS: readonly UnderstandingDetail[] = [
  { entities: 40, evidenceChars: 220, findings: 10, counts: 8, items: 20 },
  { entities: 30, evidenceChars: 160, findings: 8, counts: 6, items: 15 },
  { entities: 25, evidenceChars: 120, findings: 6, counts: 5, items: 12 },
  { entities: 20, evidenceChars: 90, findings: 4, counts: 4, items: 10 },
  { entities: 15, evidenceChars: 60, findings: 3, counts: 3, items: 8 },
  { entities: 12, evidenceChars: 0, findings: 2, counts: 3, items: 6 },
  { entities: 8, evidenceChars: 0, findings: 0, counts: 2, items: 4 },
];

const ROLE_ORDER = ['compromised', 'insider', 'attacker', 'targeted', 'legitimate', 'affected', 'context'];

export function renderUnderstanding(u: IncidentUnderstanding, d: UnderstandingDetail): string[] {
  const lines: string[] = [];
  const entities = [...u.entities].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
  lines.push(
    '',
    `ROLES (inferred from the evidence below; ${u.entities.length} subjects; legitimate ones must never be blocked or treated as the attacker):`,
  );
  for (const e of entities.slice(0, d.entities)) {
    const flags = Object.entries(e.flags)
      .filter(([, v]) => v === true)
      .map(([k]) => k);
    const evidence =
      d.evidenceChars > 0 && e.evidence[0]
        ? ` — ${oneLine(e.evidence[0].text, d.evidenceChars)} (${oneLine(e.evidence[0].ref, 80)})`
        : '';
    lines.push(
      `- ${oneLine(e.name, 160)} [${e.kind}${flags.length ? `; ${flags.join(', ')}` : ''}${e.fromLogs ? '; from the logs' : ''}]: ${e.role} (${e.confidence})${evidence}`,
    );
  }
  if (entities.length > d.entities) lines.push(`- +${entities.length - d.entities} more subjects`);
  if (u.counts.length) {
    lines.push('', 'COUNTS (from the logs and the incident texts; never count the entity list):');
    for (const c of u.counts.slice(0, d.counts))
      lines.push(
        `- ${c.value} ${oneLine(c.what, 80)} (${oneLine(c.source.ref, 60)}: ${oneLine(c.source.text, 140)})`,
      );
  }
  if (d.findings > 0 && u.findings.length) {
    lines.push('', 'LOG FINDINGS (what the queried logs show):');
    for (const f of u.findings.slice(0, d.findings)) lines.push(`- ${oneLine(f.text, 220)} (${f.ref})`);
  }
  lines.push('', 'ALREADY DONE (never recommend these again):');
  if (u.done.length === 0) lines.push('- nothing recorded');
  const done = dedupe(u.done);
  if (done.length > d.items) lines.push(`- ${done.length} items; the first ${d.items}:`);
  for (const r of done.slice(0, d.items))
    lines.push(
      `- done: ${r.action}${r.targetName ? ` ${oneLine(r.targetName, 100)}` : ''}: ${oneLine(r.evidence.text, 160)} (${oneLine(r.evidence.ref, 80)})`,
    );
  const open = [
    ...u.tasks.filter((t) => t.status === 'New').map((t) => `${oneLine(t.title, 150)} (task, New)`),
    ...dedupe(u.open)
      .filter((r) => r.evidence.kind !== 'task')
      .map((r) => `${oneLine(r.evidence.text, 160)} (${oneLine(r.evidence.ref, 80)})`),
  ];
  lines.push('', 'STILL OPEN:');
  lines.push(...(open.length ? open.slice(0, d.items).map((o) => `- open: ${o}`) : ['- nothing open']));
  if (open.length > d.items) lines.push(`- +${open.length - d.items} more open items`);
  const v = u.verdict;
  lines.push(
    '',
    `VERDICT HINT: ${v.verdict} (${v.confidence})${v.evidence[0] ? ` — ${oneLine(v.evidence[0].text, 200)}` : ''}`,
  );
  const s = u.logStatus;
  lines.push(
    s.skipped
      ? 'LOG EVIDENCE: not queried'
      : `LOG EVIDENCE: ${s.ran.length} queries ran${s.failed.length ? `; missing: ${s.failed.map((f) => `${f.name} (${oneLine(f.reason, 80)})`).join('; ')}` : ''}`,
  );
  return lines;
}

function dedupe<T extends { evidence: { text: string; ref: string }; action: string }>(
  records: readonly T[],
): T[] {
  return [...new Map(records.map((r) => [`${r.action}|${r.evidence.ref}|${r.evidence.text}`, r])).values()];
}
