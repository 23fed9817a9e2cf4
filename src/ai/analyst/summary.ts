import type { IncidentData } from '../incidentData';
import { activityWindow, displayUtc, groupAlerts } from '../incidentFacts';
import type { RemediationPlan } from '../remediation/types';
import { flatten, oneLine } from '../spotlight';
import type { ActionRecord, EntityUnderstanding } from '../understanding/types';
import {
  byRole,
  cite,
  CLASSIFICATION_WORDS,
  countLine,
  entityLine,
  orderedCounts,
  type Say,
  VERDICT_WORDS,
} from './describe';

/**
 * "What happened?" from the understanding: who is compromised, what the attacker used, how many were
 * targeted (from the logs, not the entity list), who is legitimate, what the attacker did, what is done
 * and what is open, and a verdict hint — each claim with its evidence.
 */

export function header(data: IncidentData): string {
  const i = data.incident;
  return `**Incident #${i.number}: ${oneLine(i.title, 200)}** (${i.severity}, ${i.status}${i.classification ? `, ${CLASSIFICATION_WORDS[i.classification] ?? i.classification}` : ''})`;
}

function section(say: Say, label: string, entities: EntityUnderstanding[], max = 5): string | undefined {
  if (entities.length === 0) return undefined;
  const shown = entities.slice(0, max).map((e) => `- ${entityLine(say, e)}`);
  const more =
    entities.length > max
      ? `\n- … and ${entities.length - max} more: ${entities
          .slice(max)
          .map((e) => say.text(e.name))
          .join(', ')}`
      : '';
  return `**${label}:**\n${shown.join('\n')}${more}`;
}

function recordLine(say: Say, r: ActionRecord): string {
  say.refs.push(r.evidence.ref);
  return `${say.text(oneLine(r.evidence.text, 200))} (${r.evidence.ref})`;
}

/** Done and open, from Completed/New tasks and from what the comments say. */
export function doneAndOpen(say: Say): string[] {
  const u = say.u;
  const lines: string[] = [];
  const unique = (records: ActionRecord[]) => [
    ...new Map(records.map((r) => [r.evidence.ref + r.evidence.text, r])).values(),
  ];
  const done = unique(u.done);
  const open = unique(u.open);
  const openTasks = u.tasks.filter((t) => t.status === 'New');
  lines.push(
    done.length
      ? `**Already done:**\n${done.map((r) => `- already done: ${recordLine(say, r)}`).join('\n')}`
      : '**Already done:** nothing recorded in the tasks or comments.',
  );
  const openLines = [
    ...openTasks.map((t) => `- still open: ${say.text(t.title)} (task, New)`),
    ...open.filter((r) => r.evidence.kind !== 'task').map((r) => `- still open: ${recordLine(say, r)}`),
  ];
  lines.push(
    openLines.length
      ? `**Still open:**\n${openLines.join('\n')}`
      : '**Still open:** no open tasks on the incident.',
  );
  return lines;
}

export function whatHappened(say: Say, data: IncidentData): string {
  const u = say.u;
  const i = data.incident;
  const lines = [header(data)];
  if (i.description.trim()) lines.push(`**Summary:** ${say.text(flatten(i.description, 500))}`);
  const w = activityWindow(data);
  lines.push(
    `**When:** first activity ${displayUtc(w.first)}, last activity ${displayUtc(w.last)} (created ${displayUtc(i.createdTimeUtc)})`,
  );
  const alerts = groupAlerts(data.alerts);
  if (alerts.length) {
    alerts.slice(0, 6).forEach((g) => say.refs.push(`alert "${g.displayName}"`));
    const names = alerts
      .slice(0, 6)
      .map((g) => `${say.text(g.displayName)}${g.count > 1 ? ` (x${g.count})` : ''} (${g.severity})`);
    lines.push(`**Alerts (${data.alerts.length}):** ${names.join('; ')}`);
  }
  if (u.closed || u.classification) {
    const c = u.classification
      ? (CLASSIFICATION_WORDS[u.classification] ?? u.classification)
      : 'unclassified';
    lines.push(
      `**Classification:** ${c}${i.classificationReason ? ` (${i.classificationReason})` : ''}${i.classificationComment ? ` — ${say.text(flatten(i.classificationComment, 300))}` : ''}`,
    );
  }
  const parts = [
    section(say, 'Compromised', byRole(u, 'compromised')),
    section(say, 'Insider risk', byRole(u, 'insider')),
    section(say, 'Attacker infrastructure and tools', byRole(u, 'attacker')),
    section(say, 'Targeted, not compromised', byRole(u, 'targeted'), 4),
    section(say, 'Legitimate (do not block)', byRole(u, 'legitimate')),
    section(say, 'Affected', byRole(u, 'affected')),
  ];
  lines.push(...parts.filter((p): p is string => p !== undefined));
  const counts = orderedCounts(u).slice(0, 5);
  if (counts.length) lines.push(`**Counts:**\n${counts.map((c) => `- ${countLine(say, c)}`).join('\n')}`);
  if (u.findings.length) {
    lines.push(
      `**What the logs show:**\n${u.findings
        .slice(0, 6)
        .map((f) => `- ${cite(say, f)}`)
        .join('\n')}`,
    );
  }
  lines.push(...doneAndOpen(say));
  lines.push(verdictLine(say));
  const missing = logGaps(say);
  if (missing) lines.push(missing);
  return lines.join('\n\n');
}

export function verdictLine(say: Say): string {
  const v = say.u.verdict;
  const why = v.evidence
    .slice(0, 2)
    .map((e) => cite(say, e))
    .filter(Boolean);
  return `**Verdict hint:** ${VERDICT_WORDS[v.verdict] ?? v.verdict} (${v.confidence} confidence)${why.length ? ` — ${why.join('; ')}` : ''}. The decision stays with the analyst.`;
}

/** Says which evidence could not be read, so an absent fact is never mistaken for a negative one. */
export function logGaps(say: Say): string | undefined {
  const s = say.u.logStatus;
  if (s.skipped) return '_Log evidence was not queried for this answer._';
  if (s.failed.length === 0) return undefined;
  return `_Missing evidence: ${s.failed.map((f) => `${f.name} (${f.reason})`).join('; ')}._`;
}

export function roleList(say: Say): string {
  const u = say.u;
  const order: EntityUnderstanding['role'][] = [
    'compromised',
    'insider',
    'attacker',
    'targeted',
    'legitimate',
    'affected',
    'context',
  ];
  const lines = order.flatMap((role) => byRole(u, role).map((e) => `- **${e.kind}** ${entityLine(say, e)}`));
  return lines.length
    ? `Entities by role (${u.entities.length}):\n${lines.join('\n')}`
    : 'The incident data holds no entities.';
}

/** The proposed tasks with their why; what is done, already tasked, and what the guard refused. */
export function planText(say: Say, plan: RemediationPlan, intro: string): string {
  const lines = [intro];
  if (plan.actions.length === 0) lines.push('No new tasks to propose.');
  plan.actions.forEach((a, n) => {
    lines.push(`${n + 1}. **${say.text(a.title)}** _(${a.urgency})_ — why: ${say.text(a.why)}`);
  });
  if (plan.alreadyTasked.length)
    lines.push(
      `Already on the incident as tasks: ${plan.alreadyTasked.map((t) => say.text(t.existing)).join('; ')}.`,
    );
  if (plan.refused.length) {
    lines.push(
      `Not proposed — the safety check refused ${plan.refused.length}:\n${plan.refused.map((r) => `- Not proposed: ${say.text(r.title)} — ${say.text(r.reason)}`).join('\n')}`,
    );
  }
  return lines.join('\n\n');
}

export function executiveSummary(say: Say, data: IncidentData, plan: RemediationPlan): string {
  const u = say.u;
  const i = data.incident;
  const compromised = byRole(u, 'compromised');
  const level = i.severity === 'High' ? 'A serious' : i.severity === 'Medium' ? 'A moderate' : 'A low-risk';
  const counts = orderedCounts(u)
    .slice(0, 2)
    .map((c) => `${c.value.toLocaleString('en-US')} ${c.what}`);
  const done = u.done.length;
  const open = u.tasks.filter((t) => t.status === 'New').length;
  return [
    `**Executive summary — incident #${i.number}**`,
    `**What happened:** ${level} incident ("${say.text(oneLine(i.title, 120))}"). ${compromised.length ? `Compromised: ${compromised.map((e) => say.text(e.name)).join(', ')}.` : 'No account or device is shown to be compromised.'}`,
    `**Scale:** ${counts.length ? counts.join('; ') : `${u.entities.length} entities involved`}.`,
    `**Status:** ${i.status}${u.classification ? `, classified ${CLASSIFICATION_WORDS[u.classification] ?? u.classification}` : ''}; ${done} action${done === 1 ? '' : 's'} done, ${open} task${open === 1 ? '' : 's'} open; since ${displayUtc(i.firstActivityTimeUtc ?? i.createdTimeUtc)}.`,
    `**Next steps:** ${
      plan.actions
        .slice(0, 3)
        .map((a) => say.text(a.title))
        .join('; ') || 'none proposed'
    }.`,
  ].join('\n\n');
}
