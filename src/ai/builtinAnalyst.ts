import { sayer, type Say } from './analyst/describe';
import {
  advice,
  attackerActions,
  comments,
  counts,
  doneCheck,
  judgement,
  search,
  status,
  who,
} from './analyst/questions';
import {
  executiveSummary,
  header,
  logGaps,
  planText,
  roleList,
  verdictLine,
  whatHappened,
} from './analyst/summary';
import type { IncidentData } from './incidentData';
import { displayUtc, groupAlerts } from './incidentFacts';
import { findTactic, sortTactics, techniqueUrl } from './mitre';
import { planRemediation } from './remediation/plan';
import type { RemediationPlan } from './remediation/types';
import { flatten, oneLine } from './spotlight';
import type { IncidentUnderstanding } from './understanding/types';

/**
 * Deterministic answers, used when no language model is configured or the model failed. Everything
 * comes from the incident understanding (roles with evidence, done/open, counts from the logs and texts,
 * the guarded remediation plan); nothing is guessed, and missing log evidence is said to be missing.
 */

export type Intent =
  | 'executive'
  | 'comments'
  | 'attacker-actions'
  | 'done-check'
  | 'advice'
  | 'status'
  | 'count'
  | 'escalate'
  | 'remediation'
  | 'judgement'
  | 'who'
  | 'tactics'
  | 'timeline'
  | 'entities'
  | 'summary'
  | 'other';

// Order matters: the first match wins ("summary for my CISO" is executive, not summary).
const INTENTS: [Intent, RegExp][] = [
  ['executive', /\b(ciso|executive|exec|management|leadership|board|non[- ]technical|boss|manager)\b/i],
  [
    'comments',
    /\bwhat (did|does|has)\s+[a-z]+(\s[a-z]+)?\s+(say|said|write|wrote|think|comment|note)\b|\bcomments?\b|\bwho said\b|\banalyst notes?\b/i,
  ],
  [
    'attacker-actions',
    /\bwhat (did|has|have) (the )?(attacker|intruder|adversary|they)\b.*\bdo(ne)?\b|\b(ran|run|executed|happened)\b.*\b(after|afterwards|next|then)\b|\bafter (the )?(sign-?in|logon|compromise|download)\b/i,
  ],
  [
    'done-check',
    /^\s*(was|were|has|have|did|is|are)\b.*\b(reset|isolated|blocked|disabled|revoked|removed|quarantined|contained|purged|rotated|done|completed|deleted)\b|\balready\b/i,
  ],
  [
    'advice',
    /\bshould (i|we)\b(?!.*\b(escalate|close)\b)|\bdo (i|we) need to\b|\bis it (safe|ok|okay) to\b|\bcan (i|we) (safely )?(block|reset|isolate|delete|disable|remove|quarantine)\b/i,
  ],
  [
    'status',
    /\b(still open|open tasks?|to-?dos?|tasks?\b|progress)\b|\bwhat('?s| is)? (still )?(left|pending|outstanding|remaining|open)\b|\bwhat (has been|is|was) (already )?done\b/i,
  ],
  ['tactics', /\b(tactics?|techniques?|mitre|att&ck|attack chain|kill ?chain|ttps?)\b/i],
  ['count', /\bhow many\b|\bnumber of\b|\bhow much\b/i],
  ['escalate', /\b(escalat\w*|close|closed|closing|false positive|true positive|benign|triage|dismiss)\b/i],
  [
    'remediation',
    /\b(remediat\w*|checklist|contain\w*|mitigat\w*|fix|respond|response plan|clean ?up|what should (i|we) do|next steps?)\b/i,
  ],
  [
    'judgement',
    /\b(is|are|was|were)\b.*\b(malicious|legit\w*|benign|safe|bad|attacker\w*|suspicious|compromised|trusted|known|dangerous|hostile|clean|fake|real)\b|\bwho is\b|\btell me about\b/i,
  ],
  [
    'who',
    /^\s*(who|whom|whose|which|what (ip|ips|address|addresses|account|accounts|user|users|host|hosts|device|devices|domain|domains|url|urls|process|processes|file|files|sender))\b|\bwhere (did|does|is|was)\b|^\s*what (is|are|was|were) the (\w+ )?(ip|ips|address|addresses|url|urls|link|domain|domains|account|accounts|user|users|host|hosts|device|devices|file|files|hash|hashes|sender|process)\b/i,
  ],
  ['timeline', /\b(timeline|when|sequence|chronolog\w*|order of events)\b/i],
  ['entities', /\b(entit(y|ies)|roles?|iocs?|indicators?)\b/i],
  ['summary', /\b(what happened|summar\w*|overview|explain|describe|what is (this|it)|tl;?dr|alerts?)\b/i],
];

const REMEDIATION_INTRO =
  'Proposed tasks, most urgent first (press **Add tasks** on the incident card to review and add them):';

export function detectIntent(question: string): Intent {
  for (const [intent, re] of INTENTS) if (re.test(question)) return intent;
  return 'other';
}

export interface BuiltinAnswer {
  intent: Intent;
  /** Markdown, not yet made safe for Teams (answer.ts renders it). */
  markdown: string;
  /** Where the answer's claims come from (alerts, comments, tasks, log tables). */
  evidence: string[];
  /** The guarded plan, when the answer proposes tasks (the remediation answer shows it). */
  plan?: RemediationPlan;
}

/** `why` explains a fallback in one phrase ("the model timed out after 30 s"); absent = no model configured. */
export function builtinAnswer(
  data: IncidentData,
  u: IncidentUnderstanding,
  question: string,
  why?: string,
): BuiltinAnswer {
  let intent = detectIntent(question);
  const say = sayer(u);
  let plan: RemediationPlan | undefined;
  const thePlan = () => (plan ??= planRemediation(u, data));
  let body: string | undefined;
  switch (intent) {
    case 'executive':
      body = executiveSummary(say, data, thePlan());
      break;
    case 'comments':
      body = comments(say, question);
      break;
    case 'attacker-actions':
      body = attackerActions(say);
      break;
    case 'done-check':
      body = doneCheck(say, question) ?? judgement(say, question);
      break;
    case 'advice':
      // "What should I do first?" names no step: the plan, most urgent first.
      body = advice(say, question, thePlan()) ?? planText(say, thePlan(), REMEDIATION_INTRO);
      break;
    case 'status':
      body = status(say);
      break;
    case 'count':
      body = counts(say, question);
      break;
    case 'escalate':
      body = escalateOrClose(say, data);
      break;
    case 'remediation':
      body = planText(say, thePlan(), REMEDIATION_INTRO);
      break;
    case 'judgement':
      // "Who is the attacker?", "which account was compromised?": no name given, so list by role.
      body = judgement(say, question) ?? who(say, question, data);
      break;
    case 'who':
      body = who(say, question, data);
      break;
    case 'tactics':
      body = tacticsExplained(say, data);
      break;
    case 'timeline':
      body = timeline(say, data);
      break;
    case 'entities':
      body = roleList(say);
      break;
    case 'summary':
      body = whatHappened(say, data);
      break;
    case 'other':
      break;
  }
  if (body === undefined) {
    intent = intent === 'other' ? 'other' : intent;
    body = otherQuestion(say, data, question, why);
  }
  const engine = why
    ? `Built-in analyst (language model unavailable: ${why})`
    : 'Built-in analyst (no language model configured)';
  const refs = [...new Set(say.refs)].slice(0, 12);
  const ev = refs.length ? `\n\nEvidence: ${refs.join('; ')}` : '';
  const title = intent === 'summary' || intent === 'executive' ? '' : `${header(data)}\n\n`;
  return { intent, markdown: `${title}${body}${ev}\n\n_${engine}_`, evidence: refs, plan };
}

function otherQuestion(say: Say, data: IncidentData, question: string, why?: string): string {
  const found = search(say, question, data);
  // A question about something the incident names gets what is known about it first.
  const about = judgement(say, question);
  if (about)
    return [about, found.length ? `Related:\n- ${found.join('\n- ')}` : ''].filter(Boolean).join('\n\n');
  const intro = why
    ? `The language model could not answer (${why}); here is what the incident data says that is closest to your question:`
    : found.length
      ? 'From the incident data (no language model is configured, so this is the closest match, not a composed answer):'
      : 'No language model is configured and nothing in the incident data matches the question. I can answer: what happened, remediation steps, what is open or done, what someone said, how many, whether an entity is malicious or legitimate, tactics, timeline, escalate or close, summary for a CISO.';
  return found.length ? `${intro}\n- ${found.join('\n- ')}` : intro;
}

function escalateOrClose(say: Say, data: IncidentData): string {
  const i = data.incident;
  const u = say.u;
  if (i.status === 'Closed') {
    const notes = u.comments.slice(-2).map((c) => `- ${c.author}: "${say.text(flatten(c.text, 300))}"`);
    return [
      `**Already closed** as ${i.classification ? oneLine(i.classification, 40) : 'unclassified'}${i.classificationReason ? ` (${i.classificationReason})` : ''}${i.classificationComment ? `: ${say.text(flatten(i.classificationComment, 400))}` : ''}.`,
      ...(notes.length ? [`What the analysts wrote:\n${notes.join('\n')}`] : []),
      'Reopen only if new evidence appears; no containment is proposed for it.',
    ].join('\n\n');
  }
  const recommendation =
    u.verdict.verdict === 'true-positive'
      ? '**Escalate** — keep it open and contain (see remediation steps).'
      : u.verdict.verdict === 'benign-positive' || u.verdict.verdict === 'false-positive'
        ? '**Close** once confirmed, with the classification and a comment saying why.'
        : '**Investigate before deciding** — the evidence does not settle it yet.';
  return [recommendation, verdictLine(say), logGaps(say) ?? ''].filter(Boolean).join('\n\n');
}

function tacticsExplained(say: Say, data: IncidentData): string {
  const i = data.incident;
  const tactics = sortTactics([...i.tactics, ...data.alerts.flatMap((a) => a.tactics)]);
  if (tactics.length === 0) return 'The incident data holds no MITRE ATT&CK tactics.';
  const lines = ['MITRE ATT&CK tactics in this incident (kill-chain order):'];
  for (const t of tactics) {
    const info = findTactic(t);
    const alerts = groupAlerts(data.alerts.filter((a) => a.tactics.includes(t))).map((g) => g.displayName);
    alerts.slice(0, 3).forEach((a) => say.refs.push(`alert "${a}"`));
    const from = alerts.length ? ` Seen in: ${alerts.slice(0, 3).join('; ')}.` : '';
    lines.push(
      info
        ? `- **${info.label}**${info.attackId ? ` ([${info.attackId}](https://attack.mitre.org/tactics/${info.attackId}/))` : ''}: ${info.meaning} _What it says about the attacker:_ ${info.implication}${from}`
        : `- **${oneLine(t, 60)}**: not a tactic I have a description for.${from}`,
    );
  }
  const techniques = [...new Set([...i.techniques, ...data.alerts.flatMap((a) => a.techniques)])].sort();
  if (techniques.length)
    lines.push(
      `Techniques: ${techniques.map((t) => (techniqueUrl(t) ? `[${t}](${techniqueUrl(t)})` : oneLine(t, 20))).join(', ')}`,
    );
  lines.push(
    '_Tactic descriptions are general MITRE ATT&CK knowledge; which tactics apply comes from the incident data._',
  );
  return lines.join('\n\n');
}

function timeline(say: Say, data: IncidentData): string {
  const i = data.incident;
  const events: [string, string][] = [[i.createdTimeUtc, 'Incident created']];
  for (const a of data.alerts) {
    const t = a.startTimeUtc ?? a.timeGenerated;
    if (t) events.push([t, `Alert: ${oneLine(a.displayName, 120)} (${a.severity})`]);
  }
  for (const c of data.comments)
    if (c.createdTimeUtc)
      events.push([c.createdTimeUtc, `Comment by ${oneLine(c.author.name ?? 'unknown', 60)}`]);
  for (const t of data.tasks)
    if (t.lastModifiedTimeUtc && t.status === 'Completed')
      events.push([t.lastModifiedTimeUtc, `Task completed: ${oneLine(t.title, 100)}`]);
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
  const lines = [
    'Timeline:',
    shown.map(([t, e]) => `- ${t === '…' ? t : displayUtc(t)} — ${say.text(e)}`).join('\n'),
  ];
  if (say.u.findings.length) lines.push(attackerActions(say));
  return lines.join('\n\n');
}
