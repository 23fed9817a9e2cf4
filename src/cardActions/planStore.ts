import type { RemediationPlan } from '../ai/remediation/types';
import type { ActionKind } from '../ai/understanding/types';
import type { StateStorage } from '../storage/stateStorage';
import { taskId, uuidFromText } from './ids';

/**
 * Proposed task lists, stored before anyone sees them. The "Add these N tasks" button carries only the
 * plan id; the click writes exactly the stored tasks with deterministic ids, so a retried or resumed
 * click writes the same tasks again onto the same ids (never a second, different set).
 */

export const PLAN_PREFIX = 'card-actions/plans/';

export interface PlannedTask {
  /** Sentinel task id: a hash of the incident and the normalised title. */
  taskId: string;
  title: string;
  why: string;
  steps: string[];
  action: ActionKind;
  urgency: string;
  /** Entity keys the task acts on (for matching against tasks already on the incident). */
  targetKeys: string[];
  targetValues: string[];
}

export interface StoredPlan {
  id: string;
  incidentName: string;
  incidentNumber: number;
  createdAt: string;
  engine: string;
  tasks: PlannedTask[];
  /** Proposed by the analyst but already on the incident (any status): not in `tasks`. */
  alreadyTasked: { title: string; existing: string }[];
  /** Refused by the must-not guard: shown, never written. */
  refused: { title: string; reason: string }[];
  /** Attacker domains and addresses to defang wherever the plan is shown in Teams. */
  indicators: string[];
}

export function toStoredPlan(
  plan: RemediationPlan,
  incidentName: string,
  incidentNumber: number,
  now: Date,
): StoredPlan {
  const tasks: PlannedTask[] = plan.actions.map((a) => ({
    taskId: taskId(incidentName, a.title),
    title: a.title,
    why: a.why,
    steps: a.steps,
    action: a.action,
    urgency: a.urgency,
    targetKeys: a.targets.map((t) => t.key).filter((k): k is string => k !== undefined),
    targetValues: a.targets.map((t) => t.value),
  }));
  // Same proposal, same id: proposing twice stores one plan, and a stored plan is never rewritten.
  const id = uuidFromText(
    `plan\n${incidentName.toLowerCase()}\n${JSON.stringify(tasks.map((t) => [t.taskId, t.steps, t.why]))}`,
  );
  return {
    id,
    incidentName,
    incidentNumber,
    createdAt: now.toISOString(),
    engine: plan.engine,
    tasks,
    alreadyTasked: plan.alreadyTasked,
    refused: plan.refused.map((r) => ({ title: r.title, reason: r.reason })),
    indicators: [],
  };
}

export class PlanStore {
  constructor(private readonly storage: StateStorage) {}

  /** Stores the plan unless a plan with its id exists; returns the stored one either way. */
  async save(plan: StoredPlan): Promise<StoredPlan> {
    const key = PLAN_PREFIX + plan.id;
    await this.storage.create(key, { ...plan });
    return (await this.get(plan.id)) ?? plan;
  }

  async get(planId: unknown): Promise<StoredPlan | undefined> {
    if (typeof planId !== 'string' || !/^[0-9a-f-]{36}$/i.test(planId)) return undefined;
    const key = PLAN_PREFIX + planId.toLowerCase();
    const item = (await this.storage.read([key]))[key] as Partial<StoredPlan> | undefined;
    if (
      !item ||
      typeof item.id !== 'string' ||
      !Array.isArray(item.tasks) ||
      typeof item.incidentName !== 'string'
    )
      return undefined;
    return item as StoredPlan;
  }
}
