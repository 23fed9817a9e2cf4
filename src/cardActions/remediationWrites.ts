import type { ChatCompleter } from '../ai/model';
import type { IncidentData } from '../ai/incidentData';
import { MAX_TASK_TITLE } from '../ai/remediationChecklist';
import { generateRemediationTasks, type RemediationTask } from '../ai/remediationTasks';
import { safePlainText } from '../ai/safeText';
import { prefixFittingEscaped, sentinelHtmlLength } from '../sentinel/sentinelHtml';
import type { SentinelGateway } from '../sentinel/gateway';
import { normaliseTaskTitle, taskId } from './ids';

/** Sentinel task descriptions are short rich text; steps beyond this are cut with a note. */
const DESCRIPTION_MAX_CHARS = 3000;

export interface TasksAdded {
  /** Titles written now, in the order the generator gave them. */
  added: string[];
  /** Tasks already on the incident (same deterministic id or same title), not written again. */
  alreadyPresent: string[];
  taskIds: string[];
  engine: string;
}

/** Plain text (the gateway escapes it for Sentinel); the limit applies to the escaped form. */
export function taskDescription(task: RemediationTask, actorName: string, engine: string): string {
  const steps = task.steps.map((s, i) => `${i + 1}. ${safePlainText(s)}`);
  const footer = `Added from Teams by ${actorName} (${engine})`;
  let body = steps.join('\n');
  if (sentinelHtmlLength(body) + sentinelHtmlLength(footer) + 2 > DESCRIPTION_MAX_CHARS) {
    const room = DESCRIPTION_MAX_CHARS - sentinelHtmlLength(footer) - 40;
    body = `${body.slice(0, prefixFittingEscaped(body, room)).trimEnd()}\n[steps trimmed]`;
  }
  return body === '' ? footer : `${body}\n\n${footer}`;
}

/**
 * Generates the remediation tasks for an incident and writes them as Sentinel incident tasks. Each task
 * id is a hash of the incident and the normalised title, and tasks already on the incident are skipped,
 * so clicking twice (or Teams retrying) adds nothing the second time and never resets a task someone
 * has completed. Generation errors (e.g. the model's JSON is invalid) propagate before anything is written.
 */
export async function addRemediationTasks(
  gateway: SentinelGateway,
  data: IncidentData,
  model: ChatCompleter | undefined,
  actorName: string,
  budgetTokens: number,
): Promise<TasksAdded> {
  const { tasks, engine } = await generateRemediationTasks(data, model, { budgetTokens });
  const existing = await gateway.listTasks(data.incident.name);
  const existingIds = new Set(existing.map((t) => t.name.toLowerCase()));
  const existingTitles = new Set(existing.map((t) => normaliseTaskTitle(t.title)));
  const result: TasksAdded = { added: [], alreadyPresent: [], taskIds: [], engine };
  const seen = new Set<string>();
  for (const task of tasks) {
    const title = task.title.slice(0, MAX_TASK_TITLE);
    const id = taskId(data.incident.name, title);
    if (seen.has(id)) continue;
    seen.add(id);
    if (existingIds.has(id) || existingTitles.has(normaliseTaskTitle(title))) {
      result.alreadyPresent.push(title);
      continue;
    }
    // One at a time: Sentinel throttles bursts per workspace, and order on the incident follows the list.
    await gateway.upsertTask(data.incident.name, id, {
      title,
      description: taskDescription(task, actorName, engine),
      status: 'New',
    });
    result.added.push(title);
    result.taskIds.push(id);
  }
  return result;
}
