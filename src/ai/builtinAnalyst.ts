import { activityWindow, displayUtc, groupAlerts, rankEntities } from './incidentFacts';
import type { IncidentData } from './incidentData';
import { findTactic, sortTactics, techniqueUrl } from './mitre';
import { displayEntityName, remediationChecklist } from './remediationChecklist';
import { flatten, oneLine } from './spotlight';

/**
 * Deterministic answers for the questions analysts ask most, used when no language model is configured
 * or the model failed. Everything comes from the incident's own fields; nothing is guessed.
 */

export type Intent =
  'executive' | 'escalate' | 'remediation' | 'tactics' | 'timeline' | 'entities' | 'summary' | 'other';

// Order matters: the first match wins ("summary for my CISO" is executive, not summary).
const INTENTS: [Intent, RegExp][] = [
  ['executive', /\b(ciso|executive|exec|management|leadership|board|non[- ]technical|boss|manager)\b/i],
  ['escalate', /\b(escalat\w*|close|closing|false positive|true positive|benign|triage|dismiss)\b/i],
  [
    'remediation',
    /\b(remediat\w*|checklist|contain\w*|mitigat\w*|fix|respond|response plan|clean ?up|what should (i|we) do|next steps?)\b/i,
  ],
  ['tactics', /\b(tactics?|techniques?|mitre|att&ck|attack chain|kill ?chain|ttps?)\b/i],
  ['timeline', /\b(timeline|when|sequence|chronolog\w*|order of events)\b/i],
  [
    'entities',
    /\b(entit(y|ies)|accounts?|users?|hosts?|machines?|devices?|ips?|addresses|urls?|iocs?|indicators?|who)\b/i,
  ],
  [
    'summary',
    /\b(what happened|summar\w*|overview|explain|tell me about|describe|what is (this|it)|tl;?dr|alerts?)\b/i,
  ],
];

export function detectIntent(question: string): Intent {
  for (const [intent, re] of INTENTS) if (re.test(question)) return intent;
  return 'other';
}

export interface BuiltinAnswer {
  intent: Intent;
  /** Markdown, not yet made safe for Teams (answer.ts renders it). */
  markdown: string;
  /** Alert names and entity names the answer used. */
  evidence: string[];
}

/** `why` explains a fallback in one phrase ("the model timed out after 30 s"); absent = no model configured. */
export function builtinAnswer(data: IncidentData, question: string, why?: string): BuiltinAnswer {
  const intent = detectIntent(question);
  const evidence: string[] = [];
  let body: string;
  switch (intent) {
    case 'executive':
      body = executiveSummary(data, evidence);
      break;
    case 'escalate':
      body = escalateOrClose(data, evidence);
      break;
    case 'remediation':
      body = remediation(data, evidence);
      break;
    case 'tactics':
      body = tacticsExplained(data, evidence);
      break;
    case 'timeline':
      body = timeline(data, evidence);
      break;
    case 'entities':
      body = entityList(data, evidence);
      break;
    case 'summary':
      body = summary(data, evidence);
      break;
    case 'other':
      body = otherQuestion(data, question, evidence, why);
      break;
  }
  const engine = why
    ? `Built-in analyst (language model unavailable: ${why})`
    : 'Built-in analyst (no language model configured)';
  const ev = evidence.length ? `\n\nEvidence: ${[...new Set(evidence)].slice(0, 12).join('; ')}` : '';
  return { intent, markdown: `${body}${ev}\n\n_${engine}_`, evidence };
}

function header(data: IncidentData): string {
  const i = data.incident;
  return `**Incident #${i.number}: ${oneLine(i.title, 200)}** (${i.severity}, ${i.status})`;
}

function topEntities(data: IncidentData, kinds: string[], n: number, evidence: string[]): string[] {
  const ranked = rankEntities(data.entities, data.alerts);
  const picked = kinds.flatMap((k) => ranked.get(k) ?? []).slice(0, n);
  picked.forEach((e) => evidence.push(`${e.kind} ${displayEntityName(e.kind, e.name)}`));
  return picked.map((e) => displayEntityName(e.kind, e.name));
}

function alertNames(data: IncidentData, n: number, evidence: string[]): string[] {
  const groups = groupAlerts(data.alerts).slice(0, n);
  groups.forEach((g) => evidence.push(`alert "${g.displayName}"`));
  return groups.map((g) => (g.count > 1 ? `${g.displayName} (x${g.count})` : g.displayName));
}

function summary(data: IncidentData, evidence: string[]): string {
  const i = data.incident;
  const w = activityWindow(data);
  const groups = groupAlerts(data.alerts);
  const lines = [header(data)];
  if (i.description.trim()) lines.push(`**What:** ${flatten(i.description, 400)}`);
  lines.push(
    `**Alerts:** ${data.alerts.length} (${groups.length} distinct): ${alertNames(data, 5, evidence).join('; ') || 'none'}`,
  );
  lines.push(
    `**When:** first activity ${displayUtc(w.first)}, last activity ${displayUtc(w.last)} (created ${displayUtc(i.createdTimeUtc)})`,
  );
  const who = topEntities(data, ['Account', 'Mailbox'], 3, evidence);
  const where = topEntities(data, ['Host', 'Ip', 'Url', 'CloudApplication', 'AzureResource'], 4, evidence);
  lines.push(`**Who:** ${who.join(', ') || 'no accounts in the data'}`);
  lines.push(`**Where:** ${where.join(', ') || 'no hosts, IPs or URLs in the data'}`);
  const tactics = sortTactics([...i.tactics, ...data.alerts.flatMap((a) => a.tactics)]);
  if (tactics.length) lines.push(`**Tactics:** ${tactics.map((t) => findTactic(t)?.label ?? t).join(' → ')}`);
  lines.push(`**Owner:** ${owner(data)}`);
  return lines.join('\n\n');
}

function tacticsExplained(data: IncidentData, evidence: string[]): string {
  const i = data.incident;
  const tactics = sortTactics([...i.tactics, ...data.alerts.flatMap((a) => a.tactics)]);
  if (tactics.length === 0) return `${header(data)}\n\nThe incident data holds no MITRE ATT&CK tactics.`;
  const lines = [header(data), `MITRE ATT&CK tactics in this incident (kill-chain order):`];
  for (const t of tactics) {
    const info = findTactic(t);
    const alerts = groupAlerts(data.alerts.filter((a) => a.tactics.includes(t))).map((g) => g.displayName);
    alerts.slice(0, 3).forEach((a) => evidence.push(`alert "${a}"`));
    const from = alerts.length ? ` Seen in: ${alerts.slice(0, 3).join('; ')}.` : '';
    lines.push(
      info
        ? `- **${info.label}**${info.attackId ? ` ([${info.attackId}](https://attack.mitre.org/tactics/${info.attackId}/))` : ''}: ${info.meaning} _What it says about the attacker:_ ${info.implication}${from}`
        : `- **${oneLine(t, 60)}**: not a tactic I have a description for.${from}`,
    );
  }
  const techniques = [...new Set([...i.techniques, ...data.alerts.flatMap((a) => a.techniques)])].sort();
  if (techniques.length) {
    lines.push(
      `Techniques: ${techniques.map((t) => (techniqueUrl(t) ? `[${t}](${techniqueUrl(t)})` : oneLine(t, 20))).join(', ')}`,
    );
  }
  lines.push(
    '_Tactic descriptions are general MITRE ATT&CK knowledge; which tactics apply comes from the incident data._',
  );
  return lines.join('\n\n');
}

function remediation(data: IncidentData, evidence: string[]): string {
  const tasks = remediationChecklist(data);
  topEntities(data, ['Account', 'Host', 'Ip', 'Url', 'FileHash', 'File', 'Mailbox'], 8, evidence);
  const lines = [
    header(data),
    "Remediation checklist (standard playbook steps applied to this incident's entities):",
  ];
  tasks.forEach((t, n) => {
    lines.push(`${n + 1}. **${t.title}**\n${t.steps.map((s) => `   - ${s}`).join('\n')}`);
  });
  return lines.join('\n\n');
}

function entityList(data: IncidentData, evidence: string[]): string {
  const ranked = rankEntities(data.entities, data.alerts);
  if (ranked.size === 0) return `${header(data)}\n\nThe incident data holds no entities.`;
  const lines = [header(data), `Entities (${data.entities.length}, most frequent first):`];
  for (const [kind, list] of ranked) {
    const shown = list.slice(0, 10).map((e) => displayEntityName(kind, e.name));
    shown.slice(0, 3).forEach((n) => evidence.push(`${kind} ${n}`));
    lines.push(
      `- **${kind}** (${list.length}): ${shown.join(', ')}${list.length > 10 ? `, +${list.length - 10} more` : ''}`,
    );
  }
  return lines.join('\n\n');
}

function timeline(data: IncidentData, evidence: string[]): string {
  const i = data.incident;
  const events: [string, string][] = [[i.createdTimeUtc, 'Incident created']];
  for (const a of data.alerts) {
    const t = a.startTimeUtc ?? a.timeGenerated;
    if (t) events.push([t, `Alert: ${oneLine(a.displayName, 120)} (${a.severity})`]);
  }
  for (const c of data.comments)
    if (c.createdTimeUtc)
      events.push([c.createdTimeUtc, `Comment by ${oneLine(c.author.name ?? 'unknown', 60)}`]);
  if (i.status === 'Closed')
    events.push([i.lastModifiedTimeUtc, `Closed (${i.classification ?? 'unclassified'})`]);
  events.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
  const shown =
    events.length > 20
      ? [
          ...events.slice(0, 10),
          ['…', `${events.length - 20} more events`] as [string, string],
          ...events.slice(-10),
        ]
      : events;
  alertNames(data, 5, evidence);
  return [
    header(data),
    'Timeline:',
    shown.map(([t, e]) => `- ${t === '…' ? t : displayUtc(t)} — ${e}`).join('\n'),
  ].join('\n\n');
}

const URGENT = [
  'Impact',
  'Exfiltration',
  'CredentialAccess',
  'LateralMovement',
  'CommandAndControl',
  'PrivilegeEscalation',
];

function escalateOrClose(data: IncidentData, evidence: string[]): string {
  const i = data.incident;
  const tactics = new Set([...i.tactics, ...data.alerts.flatMap((a) => a.tactics)]);
  const urgent = URGENT.filter((t) => tactics.has(t));
  const reasons: string[] = [];
  let verdict: string;
  if (i.status === 'Closed') {
    verdict = `**Already closed** as ${i.classification ?? 'unclassified'}${i.classificationReason ? ` (${i.classificationReason})` : ''}. Reopen only if new evidence appears.`;
  } else if (i.classification === 'TruePositive' || i.severity === 'High' || urgent.length > 0) {
    verdict = '**Escalate** — keep it open and bring in incident response.';
    if (i.classification === 'TruePositive') reasons.push('it is already classified as a true positive');
    if (i.severity === 'High') reasons.push('severity is High');
    if (urgent.length) reasons.push(`it shows ${urgent.map((t) => findTactic(t)?.label ?? t).join(', ')}`);
  } else if (i.classification === 'FalsePositive' || i.classification === 'BenignPositive') {
    verdict = `**Close** as ${i.classification} once the classification is confirmed, with a comment saying why.`;
  } else if (i.severity === 'Medium') {
    verdict = '**Investigate before deciding** — medium severity without high-impact tactics.';
    reasons.push('check whether the activity is expected for the involved accounts and hosts');
  } else {
    verdict = '**Likely closable** after a quick check — low severity and no high-impact tactics.';
    reasons.push(
      'confirm the activity is expected, then close as BenignPositive or FalsePositive with a reason',
    );
  }
  const names = alertNames(data, 3, evidence);
  topEntities(data, ['Account', 'Host'], 3, evidence);
  return [
    header(data),
    verdict,
    reasons.length ? `Why: ${reasons.join('; ')}.` : '',
    `Alerts: ${names.join('; ') || 'none'}. Owner: ${owner(data)}.`,
    '_This is guidance from the incident fields; the decision stays with the analyst._',
  ]
    .filter((l) => l.length > 0)
    .join('\n\n');
}

function executiveSummary(data: IncidentData, evidence: string[]): string {
  const i = data.incident;
  const users = topEntities(data, ['Account', 'Mailbox'], 3, evidence);
  const devices = topEntities(data, ['Host'], 3, evidence);
  const ranked = rankEntities(data.entities, data.alerts);
  const userCount = (ranked.get('Account')?.length ?? 0) + (ranked.get('Mailbox')?.length ?? 0);
  const deviceCount = ranked.get('Host')?.length ?? 0;
  const level = i.severity === 'High' ? 'a serious' : i.severity === 'Medium' ? 'a moderate' : 'a low-risk';
  const tactics = sortTactics([...i.tactics, ...data.alerts.flatMap((a) => a.tactics)]);
  const stage = tactics.length ? (findTactic(tactics[tactics.length - 1] ?? '')?.label ?? '') : '';
  const next = remediationChecklist(data)
    .slice(0, 3)
    .map((t) => t.title);
  return [
    `**Executive summary — incident #${i.number}**`,
    `**What happened:** ${level} security incident ("${oneLine(i.title, 120)}")${stage ? `; the furthest attack stage seen is ${stage}` : ''}.`,
    `**Impact:** ${userCount} user account(s)${users.length ? ` (e.g. ${users.join(', ')})` : ''} and ${deviceCount} device(s)${devices.length ? ` (e.g. ${devices.join(', ')})` : ''} involved.`,
    `**Status:** ${i.status}${i.classification ? `, assessed as ${i.classification}` : ''}; owner ${owner(data)}.`,
    `**Next steps:** ${next.join('; ')}.`,
  ].join('\n\n');
}

function otherQuestion(data: IncidentData, question: string, evidence: string[], why?: string): string {
  const intro = why
    ? `The language model could not answer (${why}), so here are the facts from the incident most relevant to your question.`
    : 'No language model is configured, so I answer common questions only (what happened, tactics, remediation, entities, timeline, escalate or close, summary for a CISO). Here are the facts most relevant to your question.';
  const words = new Set(
    question
      .toLowerCase()
      .split(/[^a-z0-9@._-]+/)
      .filter((w) => w.length > 3),
  );
  const hits: string[] = [];
  for (const g of groupAlerts(data.alerts)) {
    if (
      [...words].some(
        (w) => g.displayName.toLowerCase().includes(w) || g.description.toLowerCase().includes(w),
      )
    ) {
      hits.push(`- Alert **${g.displayName}** (x${g.count}, ${g.severity}): ${flatten(g.description, 200)}`);
      evidence.push(`alert "${g.displayName}"`);
    }
  }
  for (const [kind, list] of rankEntities(data.entities, data.alerts)) {
    for (const e of list) {
      if ([...words].some((w) => e.name.toLowerCase().includes(w))) {
        hits.push(`- ${kind}: ${displayEntityName(kind, e.name)}`);
        evidence.push(`${kind} ${displayEntityName(kind, e.name)}`);
      }
    }
  }
  const facts = hits.length ? hits.slice(0, 10).join('\n') : summary(data, evidence);
  return `${intro}\n\n${facts}`;
}

function owner(data: IncidentData): string {
  const o = data.incident.owner;
  return oneLine(o.assignedTo ?? o.userPrincipalName ?? o.email ?? 'unassigned', 80);
}
