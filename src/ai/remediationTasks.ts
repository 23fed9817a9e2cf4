import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { buildIncidentContext, DEFAULT_PROMPT_TOKEN_BUDGET } from './context';
import type { IncidentData } from './incidentData';
import { type ChatCompleteOptions, type ChatCompleter, PROMPTS_FOLDER, REMEDIATION_PROMPT } from './model';
import { guardText } from './remediation/guard';
import { guardPlan, planRemediation, withoutExistingTasks } from './remediation/plan';
import {
  MAX_TASK_TITLE,
  type ActionTarget,
  type RefusedAction,
  type RemediationAction,
  type RemediationPlan,
} from './remediation/types';
import { clip, oneLine } from './spotlight';
import { actionsInText } from './understanding/actions';
import { refang } from './understanding/subjects';
import type { IncidentUnderstanding } from './understanding/types';
import { subjectsOf } from './understanding/understand';

export type { RemediationAction, RemediationPlan } from './remediation/types';

/** Most tasks one proposal holds: the card shows every one, and "Add these N tasks" writes exactly those. */
export const MAX_PROPOSED_TASKS = 15;

export class RemediationTasksError extends Error {
  constructor(
    readonly kind: 'InvalidJson' | 'InvalidShape',
    message: string,
  ) {
    super(message);
    this.name = 'RemediationTasksError';
  }
}

const TaskSchema = z.object({
  title: z
    .string()
    .transform((t) => t.replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, 'task title is empty'))
    .transform((t) => clip(t, MAX_TASK_TITLE)),
  steps: z
    .array(z.string().transform((s) => s.trim()))
    .max(12)
    .transform((steps) => steps.filter((s) => s.length > 0)),
  why: z
    .string()
    .optional()
    .transform((w) => (w ?? '').replace(/\s+/g, ' ').trim()),
});
const TasksSchema = z.object({ tasks: z.array(TaskSchema).min(1, 'no tasks').max(20) });
export type ModelTask = z.infer<typeof TaskSchema>;

/**
 * The remediation tasks to propose for an incident: the model's when one is configured, otherwise the
 * built-in plan. Either way every task passes the same must-not guard, tasks already on the incident
 * are not proposed again, and the list is ordered by urgency. Invalid model output is a
 * RemediationTasksError, never a partial list.
 */
export async function proposeRemediation(
  data: IncidentData,
  understanding: IncidentUnderstanding,
  model?: ChatCompleter,
  options: { budgetTokens?: number } = {},
): Promise<RemediationPlan> {
  if (!model) return capped(planRemediation(understanding, data));
  const prompt = await loadPrompt();
  const context = buildIncidentContext(data, {
    budgetTokens: options.budgetTokens ?? DEFAULT_PROMPT_TOKEN_BUDGET,
    understanding,
  });
  const system = prompt.template.replace('{{$incidentData}}', () => context.text);
  const raw = await model.complete(
    [
      { role: 'system', content: system },
      { role: 'user', content: `Write the remediation tasks for incident #${data.incident.number}.` },
    ],
    prompt.options,
  );
  return capped(guardModelTasks(parseRemediationTasks(raw), understanding, data, model.engine));
}

function capped(plan: RemediationPlan): RemediationPlan {
  return { ...plan, actions: plan.actions.slice(0, MAX_PROPOSED_TASKS) };
}

/**
 * A model's tasks become typed actions (read from their titles), then face the guard: a task whose
 * title would do something forbidden is dropped; a forbidden step inside an allowed task is removed.
 * Indicators the model wrote defanged are refanged so the task can be acted on.
 */
export function guardModelTasks(
  tasks: readonly ModelTask[],
  u: IncidentUnderstanding,
  data: IncidentData,
  engine: string,
): RemediationPlan {
  const subjects = subjectsOf(u);
  const refused: RefusedAction[] = [];
  const actions: RemediationAction[] = [];
  for (const task of tasks) {
    const title = clip(oneLine(refang(task.title), 400), MAX_TASK_TITLE);
    const verdict = guardText(title, u, subjects);
    if (!verdict.ok) {
      refused.push({ title, rule: verdict.rule, reason: verdict.reason });
      continue;
    }
    const steps: string[] = [];
    for (const step of task.steps.map((s) => oneLine(refang(s), 600))) {
      const stepVerdict = guardText(step, u, subjects);
      if (stepVerdict.ok) steps.push(step);
      else
        refused.push({
          title: `${title} — step: ${clip(step, 120)}`,
          rule: stepVerdict.rule,
          reason: stepVerdict.reason,
        });
    }
    const found = actionsInText(title, subjects);
    const targets: ActionTarget[] = found.flatMap((a) =>
      a.target
        ? [{ key: a.target.key, kind: a.target.kind, value: a.target.value, name: a.target.value }]
        : [],
    );
    actions.push({
      action: found[0]?.action ?? 'review-activity',
      target: targets[0],
      targets,
      urgency: 'high',
      title,
      why: clip(oneLine(task.why || 'proposed by the model', 300), 240),
      steps,
      evidence: [],
      source: 'model',
    });
  }
  // The model's order is its urgency order; guardPlan keeps it stable within one urgency.
  const plan = guardPlan(actions, u, engine);
  return withoutExistingTasks({ ...plan, refused: [...refused, ...plan.refused] }, data.tasks, subjects);
}

export function parseRemediationTasks(raw: string): ModelTask[] {
  let json: unknown;
  try {
    // Some OpenAI-compatible servers wrap JSON in a code fence even when asked for a schema.
    json = JSON.parse(
      raw
        .trim()
        .replace(/^```(?:json)?\s*/i, '')
        .replace(/\s*```$/, ''),
    );
  } catch (err) {
    throw new RemediationTasksError(
      'InvalidJson',
      `the model's remediation tasks are not valid JSON: ${(err as Error).message}`,
    );
  }
  const parsed = TasksSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RemediationTasksError(
      'InvalidShape',
      `the model's remediation tasks do not match {tasks:[{title,steps,why}]}: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'invalid'}`,
    );
  }
  return parsed.data.tasks;
}

interface LoadedPrompt {
  template: string;
  options: ChatCompleteOptions;
}

let cached: Promise<LoadedPrompt> | undefined;

const PromptConfigSchema = z.object({
  completion: z.object({
    temperature: z.number().optional(),
    max_tokens: z.number().optional(),
    response_format: z.record(z.unknown()).optional(),
  }),
});

async function loadPrompt(): Promise<LoadedPrompt> {
  cached ??= (async () => {
    const folder = path.join(PROMPTS_FOLDER, REMEDIATION_PROMPT);
    const [template, configText] = await Promise.all([
      readFile(path.join(folder, 'skprompt.txt'), 'utf8'),
      readFile(path.join(folder, 'config.json'), 'utf8'),
    ]);
    const { completion } = PromptConfigSchema.parse(JSON.parse(configText));
    return {
      template,
      options: {
        temperature: completion.temperature,
        maxTokens: completion.max_tokens,
        responseFormat: completion.response_format as ChatCompleteOptions['responseFormat'],
      },
    };
  })();
  return cached;
}
