import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { buildIncidentContext, DEFAULT_PROMPT_TOKEN_BUDGET } from './context';
import type { IncidentData } from './incidentData';
import { type ChatCompleteOptions, type ChatCompleter, PROMPTS_FOLDER, REMEDIATION_PROMPT } from './model';
import { MAX_TASK_TITLE, type RemediationTask, remediationChecklist } from './remediationChecklist';
import { clip } from './spotlight';

export type { RemediationTask } from './remediationChecklist';

export class RemediationTasksError extends Error {
  constructor(
    readonly kind: 'InvalidJson' | 'InvalidShape',
    message: string,
  ) {
    super(message);
    this.name = 'RemediationTasksError';
  }
}

export interface RemediationTasksResult {
  tasks: RemediationTask[];
  /** "gpt-4o-mini via OpenAI" or "Built-in analyst (…)". */
  engine: string;
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
});
const TasksSchema = z.object({ tasks: z.array(TaskSchema).min(1, 'no tasks').max(20) });

/**
 * Remediation tasks for an incident (the card action creates them as Sentinel incident tasks). With a
 * model: JSON-schema structured output, parsed and validated whole — invalid output is a
 * RemediationTasksError, never a partial list. Without a model: the built-in analyst's checklist.
 */
export async function generateRemediationTasks(
  data: IncidentData,
  model?: ChatCompleter,
  options: { budgetTokens?: number } = {},
): Promise<RemediationTasksResult> {
  if (!model)
    return { tasks: remediationChecklist(data), engine: 'Built-in analyst (no language model configured)' };
  const prompt = await loadPrompt();
  const context = buildIncidentContext(data, {
    budgetTokens: options.budgetTokens ?? DEFAULT_PROMPT_TOKEN_BUDGET,
  });
  const system = prompt.template.replace('{{$incidentData}}', () => context.text);
  const raw = await model.complete(
    [
      { role: 'system', content: system },
      { role: 'user', content: `Write the remediation checklist for incident #${data.incident.number}.` },
    ],
    prompt.options,
  );
  return { tasks: parseRemediationTasks(raw), engine: model.engine };
}

export function parseRemediationTasks(raw: string): RemediationTask[] {
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
      `the model's remediation tasks do not match {tasks:[{title,steps}]}: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'invalid'}`,
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
