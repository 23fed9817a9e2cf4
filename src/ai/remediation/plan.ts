import type { IncidentTask } from '../../domain/types';
import type { IncidentData } from '../incidentData';
import { groupAlerts } from '../incidentFacts';
import { oneLine } from '../spotlight';
import { actionsInText } from '../understanding/actions';
import type { Subject } from '../understanding/subjects';
import { decodeEntities } from '../understanding/text';
import type { IncidentUnderstanding } from '../understanding/types';
import { finish, listNames, type Draft } from './draft';
import { matchExistingTask } from './existing';
import { guardAction } from './guard';
import { subjectsOf } from '../understanding/understand';
import { identityActions } from './planIdentity';
import { hostAndArtifactActions, hunts, networkActions } from './planInfrastructure';
import { evidenceLine } from './text';
import { URGENCIES, type RemediationAction, type RemediationPlan } from './types';

/**
 * The built-in remediation plan, derived from the understanding rather than from entity types:
 * containment for what is compromised, blocks for attacker infrastructure, review and notification for
 * the targeted, nothing but tuning for an incident closed as benign, the alerts' own remediation steps,
 * and nothing that is already done. Every action then passes the must-not guard.
 */

/** The alerts' own remediation steps, read into actions so the guard and de-duplication apply to them. */
function alertSteps(u: IncidentUnderstanding, data: IncidentData, out: Draft[]): void {
  const subjects = subjectsOf(u);
  for (const g of groupAlerts(data.alerts)) {
    const alert = data.alerts.find(
      (a) => a.displayName === g.displayName || oneLine(a.displayName, 200) === g.displayName,
    );
    for (const step of alert?.remediationSteps ?? []) {
      const actions = actionsInText(step, subjects);
      const covered =
        actions.length > 0 &&
        actions.every((a) =>
          out.some(
            (d) =>
              d.action === a.action &&
              (a.target?.key === undefined || d.targets.some((t) => t.key === a.target?.key)),
          ),
        );
      if (covered) continue;
      const first = actions[0];
      const targets = actions.flatMap((a) =>
        a.target?.key ? u.entities.filter((e) => e.key === a.target?.key) : [],
      );
      out.push({
        action: first?.action ?? 'review-activity',
        targets,
        urgency:
          first &&
          [
            'isolate-host',
            'disable-account',
            'reset-password',
            'delete-resource',
            'restrict-access',
          ].includes(first.action)
            ? 'contain-now'
            : 'high',
        title: step,
        why: `recommended by the alert "${oneLine(g.displayName, 100)}"`,
        steps: [step],
        evidence: [{ kind: 'alert', text: step, ref: `alert "${oneLine(g.displayName, 100)}"` }],
        source: 'alert',
      });
    }
  }
}

function closingActions(u: IncidentUnderstanding, data: IncidentData, out: Draft[]): void {
  const i = data.incident;
  const benign = u.benign !== undefined;
  if (benign) {
    const texts = [i.classificationComment ?? '', ...u.comments.map((c) => c.text)];
    const suggestion = texts
      .flatMap((t) => t.split(/(?<=[.!?])\s+/))
      .find((s) => /exclu|tun(e|ing)|named location|trusted|allow-?list|suppress/i.test(s));
    const legit = u.entities.filter((e) => e.kind === 'Ip' && e.role === 'legitimate');
    const title =
      suggestion && /named location|trusted/i.test(suggestion) && legit.length > 0
        ? `Add ${listNames(legit)} to the trusted named locations so the rule stops flagging it`
        : suggestion && /exclu/i.test(suggestion)
          ? `Tune the analytic rule as the analysts suggested: ${suggestion}`
          : `Tune the analytic rule so this ${u.classification === 'FalsePositive' ? 'false' : 'benign'} positive does not recur`;
    out.push({
      action: 'tune-rule',
      targets: [],
      urgency: 'follow-up',
      title,
      why: evidenceLine(u.verdict.evidence[0], `classified ${u.classification ?? ''}`),
      steps: [
        suggestion
          ? `From the analysts: ${suggestion}`
          : 'Add an exclusion or adjust the threshold in the rule that raised this incident.',
      ],
      evidence: u.verdict.evidence,
    });
    return;
  }
  out.push({
    action: 'document',
    targets: [],
    urgency: 'follow-up',
    title: `Document findings and classify incident #${i.number}`,
    why: 'every incident needs a recorded outcome',
    steps: ['Record what was found and done as incident comments; classify before closing.'],
    evidence: [],
  });
}

/** The built-in plan: drafted from roles, guarded, ordered by urgency, with what the guard refused. */
export function planRemediation(u: IncidentUnderstanding, data: IncidentData): RemediationPlan {
  const drafts: Draft[] = [];
  if (u.benign === undefined) {
    identityActions(u, data, drafts);
    networkActions(u, drafts);
    hostAndArtifactActions(u, data, drafts);
    alertSteps(u, data, drafts);
    hunts(u, drafts);
  }
  closingActions(u, data, drafts);
  return withoutExistingTasks(
    guardPlan(drafts.map(finish), u, 'Built-in analyst'),
    data.tasks,
    subjectsOf(u),
  );
}

/** Drops actions an existing task (any status) already covers; they are listed, not proposed again. */
export function withoutExistingTasks(
  plan: RemediationPlan,
  tasks: readonly IncidentTask[],
  subjects: readonly Subject[],
): RemediationPlan {
  const actions: RemediationAction[] = [];
  const alreadyTasked = [...plan.alreadyTasked];
  for (const a of plan.actions) {
    const existing = matchExistingTask(a, tasks, subjects);
    if (existing)
      alreadyTasked.push({
        title: a.title,
        existing: `${decodeEntities(existing.title)} (${existing.status})`,
      });
    else actions.push(a);
  }
  return { ...plan, actions, alreadyTasked };
}

/** Guard, de-duplicate and order any list of actions (built-in or from a model). */
export function guardPlan(
  actions: readonly RemediationAction[],
  u: IncidentUnderstanding,
  engine: string,
): RemediationPlan {
  const plan: RemediationPlan = { actions: [], refused: [], alreadyTasked: [], engine };
  const seen = new Set<string>();
  for (const a of actions) {
    const verdict = guardAction(a.action, a.targets, u);
    if (!verdict.ok) {
      plan.refused.push({ title: a.title, rule: verdict.rule, reason: verdict.reason });
      continue;
    }
    const key = `${a.action}|${a.targets
      .map((t) => t.key ?? t.value)
      .sort()
      .join(',')}|${a.targets.length === 0 ? a.title.toLowerCase() : ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    plan.actions.push(a);
  }
  plan.actions.sort((x, y) => URGENCIES.indexOf(x.urgency) - URGENCIES.indexOf(y.urgency));
  return plan;
}
