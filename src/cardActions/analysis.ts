import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Storage } from 'botbuilder';
import { AI_MARKER, findUnknownIds } from '../ai/answer';
import { builtinAnswer } from '../ai/builtinAnalyst';
import { buildIncidentContext } from '../ai/context';
import type { IncidentData } from '../ai/incidentData';
import type { IncidentUnderstanding } from '../ai/understanding';
import { type ChatCompleter, ModelCallError, PROMPTS_FOLDER, QA_PROMPT } from '../ai/model';
import { renderSafeMarkdown } from '../ai/safeText';
import { getLogger } from '../logger';
import { uuidFromText } from './ids';

const log = getLogger('cardActions.analysis');

/** What the Analyze button asks; the QA prompt's rules (grounding, evidence line) apply to it. */
export const ANALYZE_QUESTION =
  'Analyze this incident for the SOC team: what happened, which accounts, hosts and other entities are involved, how serious it is, and the next steps. Keep it under 300 words.';
const BUILTIN_QUESTION = 'Summarize this incident: what happened and the overview.';
/** An analysis this recent is what "Post analysis as comment" posts, instead of asking the model again. */
const REUSE_MS = 30 * 60_000;
export const ANALYSIS_PREFIX = 'card-actions/analysis/';

export interface IncidentAnalysis {
  /** Hash of incident + text: the comment id derives from it. */
  id: string;
  incidentName: string;
  markdown: string;
  source: 'model' | 'builtin';
  engine: string;
  fallbackReason?: string;
  createdAt: string;
}

/**
 * The incident analysis for the card buttons. The QA answer path (src/ai/answer.ts) needs a turn and
 * turn state; a card click finishes in the background after the invoke is answered, so this is a thin
 * adapter over the same prompt (src/prompts/qa) and the same built-in analyst, with a plain completion.
 */
export async function analyzeIncident(
  data: IncidentData,
  understanding: IncidentUnderstanding,
  model: ChatCompleter | undefined,
  budgetTokens: number,
): Promise<IncidentAnalysis> {
  let fallbackReason: string | undefined;
  if (model) {
    try {
      const template = await qaTemplate();
      const context = buildIncidentContext(data, { budgetTokens, understanding });
      const raw = await model.complete(
        [
          { role: 'system', content: template.replace('{{$incidentData}}', () => context.text) },
          { role: 'user', content: ANALYZE_QUESTION },
        ],
        { temperature: 0.1, maxTokens: 900 },
      );
      if (raw.trim() !== '') return makeAnalysis(data, withEvidenceCheck(raw, data), 'model', model.engine);
      fallbackReason = 'the model returned an empty answer';
    } catch (err) {
      fallbackReason = err instanceof ModelCallError ? err.reason : 'the model failed';
      log.warn(
        { err, incident: data.incident.number },
        'analysis by the model failed; built-in analyst answers',
      );
    }
  }
  const builtin = builtinAnswer(data, understanding, BUILTIN_QUESTION, fallbackReason);
  const engine = fallbackReason ? 'Built-in analyst' : 'Built-in analyst (no language model configured)';
  return { ...makeAnalysis(data, builtin.markdown, 'builtin', engine), fallbackReason };
}

/** The analysis as a Teams message: made safe (escaped, no images, allowlisted links) and labelled. */
export function analysisMessageText(
  analysis: IncidentAnalysis,
  incidentNumber: number,
  actorName: string,
): string {
  const label =
    analysis.source === 'model'
      ? `_${AI_MARKER} · ${analysis.engine}_`
      : `_${analysis.engine}${analysis.fallbackReason ? ` — ${analysis.fallbackReason}` : ''}_`;
  return `**Analysis of incident #${incidentNumber}** (requested by ${renderSafeMarkdown(actorName)})\n\n${renderSafeMarkdown(analysis.markdown)}\n\n${label}`;
}

function withEvidenceCheck(raw: string, data: IncidentData): string {
  const unknown = findUnknownIds(raw, data);
  return unknown.length === 0
    ? raw
    : `${raw}\n\n⚠ Not found in incident #${data.incident.number}, possibly invented: ${unknown.join(', ')}`;
}

function makeAnalysis(
  data: IncidentData,
  markdown: string,
  source: IncidentAnalysis['source'],
  engine: string,
): IncidentAnalysis {
  return {
    id: uuidFromText(`analysis\n${data.incident.name}\n${markdown}`),
    incidentName: data.incident.name,
    markdown,
    source,
    engine,
    createdAt: new Date().toISOString(),
  };
}

/** The last analysis per incident, kept durably so "Post analysis as comment" posts what was shown. */
export class AnalysisStore {
  constructor(
    private readonly storage: Storage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async recent(incidentName: string): Promise<IncidentAnalysis | undefined> {
    const key = ANALYSIS_PREFIX + incidentName.toLowerCase();
    const item = (await this.storage.read([key]))[key] as Partial<IncidentAnalysis> | undefined;
    if (!item || typeof item.markdown !== 'string' || typeof item.id !== 'string') return undefined;
    const age = this.now().getTime() - Date.parse(item.createdAt ?? '');
    return age >= 0 && age < REUSE_MS ? (item as IncidentAnalysis) : undefined;
  }

  async save(analysis: IncidentAnalysis): Promise<void> {
    await this.storage.write({
      [ANALYSIS_PREFIX + analysis.incidentName.toLowerCase()]: { ...analysis, eTag: '*' },
    });
  }
}

let template: Promise<string> | undefined;

function qaTemplate(): Promise<string> {
  template ??= readFile(path.join(PROMPTS_FOLDER, QA_PROMPT, 'skprompt.txt'), 'utf8').catch(
    (err: unknown) => {
      template = undefined;
      throw err;
    },
  );
  return template;
}
