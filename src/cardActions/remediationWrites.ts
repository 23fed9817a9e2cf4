import { matchExistingTask } from '../ai/remediation/existing';
import { MAX_TASK_TITLE } from '../ai/remediation/types';
import { safePlainText } from '../ai/safeText';
import { prefixFittingEscaped, sentinelHtmlLength } from '../sentinel/sentinelHtml';
import type { IncidentUnderstanding } from '../ai/understanding';
import { subjectsOf } from '../ai/understanding';
import { decodeEntities } from '../ai/understanding/text';
import type { SentinelGateway } from '../sentinel/gateway';
import type { PlannedTask, StoredPlan } from './planStore';

/** Sentinel task descriptions are short rich text; steps beyond this are cut with a note. */
const DESCRIPTION_MAX_CHARS = 3000;

export interface TasksAdded {
  /** Titles written now, in the plan's order. */
  added: string[];
  /** Planned tasks already on the incident (same id, same title, or same action on the same target). */
  skipped: { title: string; existing: string }[];
  taskIds: string[];
  engine: string;
}

/**
 * The task's description: why, steps, and who added it. Plain text (the gateway escapes everything it
 * writes to Sentinel); the length limit applies to the escaped form.
 */
export function taskDescription(
  task: Pick<PlannedTask, 'why' | 'steps'>,
  actorName: string,
  engine: string,
): string {
  const why = task.why ? `Why: ${safePlainText(task.why)}` : '';
  const steps = task.steps.map((s, i) => `${i + 1}. ${safePlainText(s)}`);
  const footer = `Added from Teams by ${actorName} (${engine})`;
  let body = [why, ...steps].filter(Boolean).join('\n');
  if (sentinelHtmlLength(body) + sentinelHtmlLength(footer) + 2 > DESCRIPTION_MAX_CHARS) {
    const room = DESCRIPTION_MAX_CHARS - sentinelHtmlLength(footer) - 40;
    body = `${body.slice(0, prefixFittingEscaped(body, room)).trimEnd()}\n[steps trimmed]`;
  }
  return body === '' ? footer : `${body}\n\n${footer}`;
}

/**
 * Writes a stored plan's tasks as Sentinel incident tasks, exactly those, with their deterministic ids.
 * A task already on the incident (any status: same id, same normalised title, or the same action on the
 * same target) is skipped and reported, so a repeated click, a Teams retry or a resume after a crash
 * writes nothing twice and never resets a task someone completed.
 */
export async function writePlannedTasks(
  gateway: SentinelGateway,
  plan: StoredPlan,
  understanding: IncidentUnderstanding,
  actorName: string,
): Promise<TasksAdded> {
  const existing = await gateway.listTasks(plan.incidentName);
  const subjects = subjectsOf(understanding);
  const result: TasksAdded = { added: [], skipped: [], taskIds: [], engine: plan.engine };
  const written = new Set<string>();
  for (const task of plan.tasks) {
    if (written.has(task.taskId)) continue;
    const sameId = existing.find((t) => t.name.toLowerCase() === task.taskId.toLowerCase());
    const same =
      sameId ??
      matchExistingTask(
        {
          action: task.action,
          title: task.title,
          targets: task.targetKeys.map((key, i) => ({
            key,
            kind: '',
            value: task.targetValues[i] ?? key,
            name: key,
          })),
        },
        existing,
        subjects,
      );
    if (same) {
      result.skipped.push({ title: task.title, existing: `${decodeEntities(same.title)} (${same.status})` });
      continue;
    }
    // One at a time: Sentinel throttles bursts per workspace, and order on the incident follows the plan.
    await gateway.upsertTask(plan.incidentName, task.taskId, {
      title: task.title.slice(0, prefixFittingEscaped(task.title, MAX_TASK_TITLE)),
      description: taskDescription(task, actorName, plan.engine),
      status: 'New',
    });
    written.add(task.taskId);
    result.added.push(task.title);
    result.taskIds.push(task.taskId);
  }
  return result;
}
