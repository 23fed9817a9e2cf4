import type { ActionPlanner, Memory, StreamingResponse } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { getLogger } from '../logger';
import { builtinAnswer } from './builtinAnalyst';
import { buildIncidentContext } from './context';
import type { IncidentData } from './incidentData';
import type { IncidentUnderstanding } from './understanding/types';
import { failureReason, QA_PROMPT } from './model';
import { renderSafeMarkdown } from './safeText';

const log = getLogger('ai.answer');

export const AI_MARKER = 'AI-generated — verify before acting';

export interface QaEngine {
  planner: ActionPlanner;
  /** "gpt-4o-mini via OpenAI". */
  name: string;
  timeoutMs: number;
}

export interface AskOptions {
  context: TurnContext;
  /** Turn state; the conversation history of the QA prompt lives in it (conversation.qa_history). */
  memory: Memory;
  question: string;
  data: IncidentData;
  /** The incident understood (roles, done/open, counts, log evidence): the model's context and the built-in analyst read it. */
  understanding: IncidentUnderstanding;
  budgetTokens: number;
  /** Absent: the built-in analyst answers. */
  engine?: QaEngine;
  /** Personal chat: the answer streams into this and the stream is ended here (final message sent). */
  stream?: StreamingResponse;
}

export interface Answer {
  /** Safe for Teams (escaped, no images, allowlisted links). Already sent when `streamed`. */
  text: string;
  engine: string;
  source: 'model' | 'builtin';
  /** Why the model did not answer, in one phrase, when it was configured but failed. */
  fallbackReason?: string;
  /** Ids the model cited that the incident does not hold (flagged in the answer). */
  unknownIds: string[];
  streamed: boolean;
  promptTokens?: number;
}

/**
 * Answers a question about one incident: with the model when configured (grounded prompt, evidence
 * checked afterwards), otherwise — or when the model fails — with the built-in analyst.
 */
export async function answerQuestion(o: AskOptions): Promise<Answer> {
  if (!o.engine) return finishBuiltin(o, undefined, '');
  const built = buildIncidentContext(o.data, {
    budgetTokens: o.budgetTokens,
    understanding: o.understanding,
  });
  if (built.tokens > o.budgetTokens) {
    log.warn(
      { incident: o.data.incident.number, tokens: built.tokens, budget: o.budgetTokens },
      'incident context over budget at the most compact level',
    );
  }
  const collector = new AnswerCollector(o.stream);
  let failure: string | undefined;
  const started = Date.now();
  try {
    const template = await o.engine.planner.prompts.getPrompt(QA_PROMPT);
    const completion = template.config.completion;
    completion.max_input_tokens = Math.max(completion.max_input_tokens, o.budgetTokens + 4000);
    o.memory.setValue('temp.incidentData', built.text);
    o.memory.setValue('temp.input', o.question);
    // teams-ai's LLMClient streams into an existing temp.streamer; ours sanitises and defers the end.
    o.memory.setValue('temp.streamer', collector);
    const res = await o.engine.planner.completePrompt(o.context, o.memory, QA_PROMPT);
    if (res.status !== 'success')
      failure = describeFailure(res.status, res.error, o.engine.timeoutMs, Date.now() - started);
    else if (typeof res.message?.content === 'string' && collector.raw === '')
      collector.queueTextChunk(res.message.content);
    if (!failure && collector.raw.trim() === '') failure = 'the model returned an empty answer';
  } catch (err) {
    failure = describeFailure('error', err, o.engine.timeoutMs, Date.now() - started);
  } finally {
    o.memory.deleteValue('temp.streamer');
    o.memory.deleteValue('temp.incidentData');
  }
  if (failure) {
    log.warn(
      { incident: o.data.incident.number, engine: o.engine.name, reason: failure },
      'model failed; built-in analyst answers',
    );
    // Anything already streamed stays visible; an unsent partial answer is dropped, never shown half-done.
    const prefix = o.stream && collector.raw.trim() ? `${collector.flushSafe()}\n\n---\n` : '';
    return finishBuiltin(o, failure, prefix, collector);
  }
  const unknownIds = findUnknownIds(collector.raw, o.data);
  const body = o.stream ? collector.flushSafe() : renderSafeMarkdown(collector.raw);
  const footer = answerFooter(o, collector.raw, unknownIds);
  if (o.stream) {
    o.stream.queueTextChunk(body + footer);
    o.stream.setGeneratedByAILabel(true);
    await o.stream.endStream();
  }
  return {
    text: o.stream ? collector.sentText() + body + footer : strike(body, unknownIds) + footer,
    engine: o.engine.name,
    source: 'model',
    unknownIds,
    streamed: Boolean(o.stream),
    promptTokens: built.tokens,
  };
}

async function finishBuiltin(
  o: AskOptions,
  failure: string | undefined,
  prefix: string,
  collector?: AnswerCollector,
): Promise<Answer> {
  const b = builtinAnswer(o.data, o.understanding, o.question, failure);
  const text = renderSafeMarkdown(b.markdown);
  const engine = failure ? 'Built-in analyst' : 'Built-in analyst (no language model configured)';
  if (o.stream) {
    o.stream.queueTextChunk(prefix + text);
    await o.stream.endStream();
    const sent = collector?.sentText() ?? '';
    return {
      text: sent + prefix + text,
      engine,
      source: 'builtin',
      fallbackReason: failure,
      unknownIds: [],
      streamed: true,
    };
  }
  return {
    text: prefix + text,
    engine,
    source: 'builtin',
    fallbackReason: failure,
    unknownIds: [],
    streamed: false,
  };
}

function answerFooter(o: AskOptions, raw: string, unknownIds: string[]): string {
  const parts: string[] = [];
  if (!/^\s*\**evidence\**\s*:/im.test(raw))
    parts.push('Evidence: (the model listed none — treat the answer as unverified)');
  if (unknownIds.length) {
    parts.push(
      `⚠ Not found in incident #${o.data.incident.number}, possibly invented: ${unknownIds.join(', ')}`,
    );
  }
  parts.push(`_${AI_MARKER} · ${o.engine?.name ?? ''}_`);
  return `\n\n${parts.join('\n\n')}`;
}

const GUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

/**
 * Ids the answer cites that the incident does not hold: every GUID in the answer, plus id-looking items
 * (letters, digits, dashes, at least one digit) on the Evidence line.
 */
export function findUnknownIds(answer: string, data: IncidentData): string[] {
  const known = new Set<string>([data.incident.name.toLowerCase(), data.incident.id.toLowerCase()]);
  for (const a of data.alerts) {
    for (const v of [a.name, a.id, a.providerAlertId]) if (v) known.add(v.toLowerCase());
  }
  for (const e of data.entities) {
    known.add(e.id.toLowerCase());
    known.add(e.friendlyName.toLowerCase());
  }
  for (const a of data.alerts) known.add(a.displayName.toLowerCase());
  for (const c of data.comments) known.add(c.name.toLowerCase());
  for (const t of data.tasks) known.add(t.name.toLowerCase());
  const knownText = [...known].join('\n');
  const cited = new Set<string>(answer.match(GUID) ?? []);
  const evidenceLine = /^\s*\**evidence\**\s*:(.*)$/im.exec(answer)?.[1] ?? '';
  for (const item of evidenceLine.split(/[;,]/)) {
    const token = item
      .trim()
      .replace(/^(alert(\s+id)?|id)\s*[:#]?\s*/i, '')
      .replace(/[`"'*]/g, '');
    if (/^[a-z0-9][a-z0-9_-]{5,}$/i.test(token) && /\d/.test(token) && /[-_]/.test(token)) cited.add(token);
  }
  // A cited GUID matches when it is an alert's name or appears inside a known full ARM id.
  return [...cited]
    .filter((id) => !known.has(id.toLowerCase()) && !knownText.includes(`/${id.toLowerCase()}`))
    .sort();
}

function strike(text: string, ids: string[]): string {
  return ids.reduce((t, id) => t.split(id).join(`~~${id}~~`), text);
}

/**
 * One phrase from teams-ai's error response. teams-ai reports connection failures and timeouts alike as
 * "error status of undefined", so a failure without HTTP status that took at least the timeout is a timeout.
 */
export function describeFailure(
  status: string,
  error: unknown,
  timeoutMs: number,
  elapsedMs: number,
): string {
  const message = error instanceof Error ? error.message : String(error ?? '');
  if (status === 'rate_limited' || /\b429\b/.test(message)) return failureReason(429);
  if (status === 'too_long') return 'the prompt was too long for the model';
  const code = /status of (\d{3})/.exec(message)?.[1];
  if (code) return failureReason(Number(code));
  if (/timed out|timeout/i.test(message) || (/status of undefined/.test(message) && elapsedMs >= timeoutMs)) {
    return `the model timed out after ${Math.round(timeoutMs / 1000)} s`;
  }
  if (/ECONNREFUSED|ENOTFOUND|Connection error|fetch failed/i.test(message))
    return 'the model could not be reached';
  return 'the model failed';
}

/**
 * What teams-ai's LLMClient streams into (it duck-types temp.streamer): keeps the raw answer for the
 * evidence check and forwards complete lines, made safe, to the Teams stream. endStream is deferred to
 * answerQuestion, which appends the evidence check and the AI marker before the final message.
 */
class AnswerCollector {
  raw = '';
  private pending = '';
  private sent = '';

  constructor(private readonly stream?: StreamingResponse) {}

  queueTextChunk(text: string): void {
    this.raw += text;
    if (!this.stream) return;
    this.pending += text;
    const nl = this.pending.lastIndexOf('\n');
    if (nl === -1) return;
    const lines = renderSafeMarkdown(this.pending.slice(0, nl + 1));
    this.pending = this.pending.slice(nl + 1);
    this.sent += lines;
    this.stream.queueTextChunk(lines);
  }

  setCitations(): void {}

  setGeneratedByAILabel(): void {}

  setFeedbackLoop(): void {}

  endStream(): Promise<void> {
    return Promise.resolve();
  }

  /** The not-yet-streamed tail, made safe; after this, everything raw has been accounted for. */
  flushSafe(): string {
    const tail = renderSafeMarkdown(this.pending);
    this.pending = '';
    return tail;
  }

  sentText(): string {
    return this.sent;
  }
}
