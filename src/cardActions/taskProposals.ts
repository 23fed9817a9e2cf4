import type { IncidentData } from '../ai/incidentData';
import { display, indicatorsOf } from '../ai/remediation/text';
import { proposeRemediation } from '../ai/remediationTasks';
import { renderSafeMarkdown } from '../ai/safeText';
import type { IncidentUnderstanding } from '../ai/understanding';
import type { Incident } from '../domain/types';
import { toStoredPlan, type StoredPlan } from './planStore';
import { writePlannedTasks } from './remediationWrites';
import type { CardActionsRuntime } from './runtime';

/**
 * Add tasks in two steps, so nobody writes tasks they have not seen: "Add tasks" (and Analyze) propose
 * a plan — stored before it is shown — and the card lists every task with its why and one button,
 * "Add these N tasks", which carries only the plan id and writes exactly the stored tasks.
 */

export class PlanNotFoundError extends Error {
  constructor() {
    super('the proposed tasks are no longer stored');
    this.name = 'PlanNotFoundError';
  }
}

export interface ProposalDone {
  note: string;
  plan: StoredPlan;
  result: Record<string, unknown>;
}

/** Proposes, stores and returns the plan (the same proposal twice is one stored plan). */
export async function proposeTasks(
  rt: CardActionsRuntime,
  incident: Incident,
  data: IncidentData,
  understanding: IncidentUnderstanding,
  by: string,
): Promise<ProposalDone> {
  const proposal = await proposeRemediation(data, understanding, rt.model, {
    budgetTokens: rt.deps.config.promptTokenBudget,
  });
  const stored = await rt.plans.save({
    ...toStoredPlan(proposal, incident.name, incident.number, rt.now()),
    indicators: indicatorsOf(understanding),
  });
  const n = stored.tasks.length;
  const note =
    n > 0
      ? `${n} task${n === 1 ? '' : 's'} proposed by ${by}. Nothing is written until someone presses "Add these ${n} task${n === 1 ? '' : 's'}".`
      : `No new tasks to propose (${by}): everything the evidence calls for is done or already on the incident.`;
  return { note, plan: stored, result: { planId: stored.id, proposed: n, engine: stored.engine } };
}

export interface PlannedTasksDone {
  note: string;
  tasksAdded: string[];
  tasksSkipped: { title: string; existing: string }[];
  result: Record<string, unknown>;
}

/** Writes the stored plan: exactly its tasks, each once; what the incident already has is skipped. */
export async function addPlannedTasks(
  rt: CardActionsRuntime,
  incident: Incident,
  data: IncidentData,
  planId: string | undefined,
  actorName: string,
  by: string,
): Promise<PlannedTasksDone> {
  const plan = await rt.plans.get(planId);
  if (!plan || plan.incidentName !== incident.name) throw new PlanNotFoundError();
  const written = await writePlannedTasks(
    rt.deps.sentinel,
    plan,
    await rt.understandings.get(data),
    actorName,
  );
  rt.incidentData.invalidate(incident.name);
  const n = written.added.length;
  const k = written.skipped.length;
  const note =
    n > 0
      ? `${n} task${n === 1 ? '' : 's'} added by ${by}${k > 0 ? ` (${k} already on the incident, not added)` : ''}`
      : `No new tasks: the ${k} proposed task${k === 1 ? ' is' : 's are'} already on the incident (${by})`;
  return {
    note,
    tasksAdded: written.added,
    tasksSkipped: written.skipped,
    result: {
      planId: plan.id,
      added: written.added,
      skipped: written.skipped,
      taskIds: written.taskIds,
      engine: written.engine,
    },
  };
}

/** The proposal as Markdown under an analysis: every task with its why, indicators defanged. */
export function planMarkdown(plan: StoredPlan): string {
  const n = plan.tasks.length;
  if (n === 0)
    return '**Proposed tasks:** none — everything the evidence calls for is done or already on the incident.';
  const lines = plan.tasks.map(
    (t, i) =>
      `${i + 1}. **${display(t.title, plan.indicators)}** (${t.urgency}) — why: ${display(t.why, plan.indicators)}`,
  );
  return renderSafeMarkdown(
    [
      `**Proposed tasks (${n})** — press **Add these ${n} task${n === 1 ? '' : 's'}** on the incident card to write exactly these:`,
      ...lines,
    ].join('\n'),
  );
}
