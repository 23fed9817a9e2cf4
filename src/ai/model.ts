import path from 'node:path';
import { DefaultAzureCredential, getBearerTokenProvider } from '@azure/identity';
import { ActionPlanner, OpenAIModel, PromptManager, type Tokenizer } from '@microsoft/teams-ai';
import { decode, encode } from 'gpt-tokenizer';
import OpenAI, { AzureOpenAI } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ModelConfig } from '../config';

/**
 * Model providers from AppConfig.model: OpenAI (or any OpenAI-compatible server via OPENAI_BASE_URL) and
 * Azure OpenAI (key, or Entra ID through @azure/identity). `provider: 'none'` yields no model; callers
 * then use the built-in analyst.
 */

/** src/prompts from src/ai (vitest, tsx) and dist/src/prompts from dist/src/ai (compiled). */
export const PROMPTS_FOLDER = path.resolve(__dirname, '..', 'prompts');

export const QA_PROMPT = 'qa';
export const REMEDIATION_PROMPT = 'remediation-tasks';
/** Retries on 429/5xx/timeouts; the openai client waits as told by retry-after-ms / retry-after. */
export const MODEL_MAX_RETRIES = 2;
const AZURE_SCOPE = 'https://cognitiveservices.azure.com/.default';

/**
 * Long texts teams-ai encodes again on every question (the system prompt holding the incident context,
 * unchanged while the incident is): their tokens are kept with the text, least recently used dropped.
 * Encoding a 6,000-token context on each follow-up was a fifth of the bot's CPU.
 */
const ENCODED = new Map<string, readonly number[]>();
const ENCODED_MAX = 16;
const ENCODE_CACHE_MIN_CHARS = 2000;

function encodeCached(text: string): number[] {
  if (text.length < ENCODE_CACHE_MIN_CHARS) return encode(text);
  const hit = ENCODED.get(text);
  if (hit) {
    ENCODED.delete(text);
    ENCODED.set(text, hit);
    return [...hit];
  }
  const tokens = encode(text);
  ENCODED.set(text, tokens);
  if (ENCODED.size > ENCODED_MAX) {
    const oldest = ENCODED.keys().next();
    if (!oldest.done) ENCODED.delete(oldest.value);
  }
  return [...tokens];
}

/** How many long texts have their tokens kept (for the benchmark and tests). */
export function cachedEncodings(): number {
  return ENCODED.size;
}

/** o200k_base (gpt-4o family) for teams-ai's prompt rendering, the same count context.ts budgets with. */
export const o200kTokenizer: Tokenizer = {
  encode: (text: string) => encodeCached(text),
  decode: (tokens: number[]) => decode(tokens),
};

export interface CreateModelOptions {
  /** Stream completions (SSE). The QA path always streams; Teams decides whether the user sees chunks. */
  stream?: boolean;
  maxRetries?: number;
}

export function createModel(config: ModelConfig, options: CreateModelOptions = {}): OpenAIModel | undefined {
  const clientOptions = {
    timeout: 'timeoutMs' in config ? config.timeoutMs : undefined,
    maxRetries: options.maxRetries ?? MODEL_MAX_RETRIES,
  };
  switch (config.provider) {
    case 'none':
      return undefined;
    case 'openai':
      return new OpenAIModel({
        apiKey: config.apiKey,
        defaultModel: config.model,
        endpoint: config.baseUrl,
        useSystemMessages: true,
        stream: options.stream ?? false,
        maxRetries: clientOptions.maxRetries,
        clientOptions,
      });
    case 'azure-openai':
      return new OpenAIModel({
        azureEndpoint: config.endpoint,
        azureDefaultDeployment: config.deployment,
        azureApiVersion: config.apiVersion,
        ...(config.apiKey ? { azureApiKey: config.apiKey } : { azureADTokenProvider: azureTokenProvider() }),
        useSystemMessages: true,
        stream: options.stream ?? false,
        maxRetries: clientOptions.maxRetries,
        clientOptions,
      });
  }
}

/**
 * "gpt-4o-mini via OpenAI", "llama3 via OpenAI-compatible server", "soc-gpt4o via Azure OpenAI". Shown to
 * every user under answers, so it never names the server's host or port (the operator's logs do).
 */
export function describeEngine(config: ModelConfig): string | undefined {
  switch (config.provider) {
    case 'none':
      return undefined;
    case 'openai':
      return config.baseUrl && !/^https:\/\/api\.openai\.com(\/|$)/.test(config.baseUrl)
        ? `${config.model} via OpenAI-compatible server`
        : `${config.model} via OpenAI`;
    case 'azure-openai':
      return `${config.deployment} via Azure OpenAI`;
  }
}

/** Engine name of a model built elsewhere (e.g. passed into registerIncidentQa). */
export function describeModel(model: OpenAIModel): string {
  const o = model.options;
  if ('azureDefaultDeployment' in o) return `${o.azureDefaultDeployment} via Azure OpenAI`;
  return o.endpoint && !o.endpoint.startsWith('https://api.openai.com')
    ? `${o.defaultModel} via OpenAI-compatible server`
    : `${o.defaultModel} via OpenAI`;
}

/** The teams-ai planner for incident questions: prompts are data in src/prompts/qa, no actions at all. */
export function createQaPlanner(model: OpenAIModel, maxHistoryMessages = 6): ActionPlanner {
  const prompts = new PromptManager({
    promptsFolder: PROMPTS_FOLDER,
    max_history_messages: maxHistoryMessages,
  });
  return new ActionPlanner({
    model,
    prompts,
    defaultPrompt: QA_PROMPT,
    tokenizer: o200kTokenizer,
    max_repair_attempts: 0,
  });
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatCompleteOptions {
  temperature?: number;
  maxTokens?: number;
  responseFormat?: ChatCompletionCreateParamsNonStreaming['response_format'];
}

/** A plain chat completion over the configured model, for features that need no Teams turn (KQL, tasks). */
export interface ChatCompleter {
  /** Engine name for answers ("gpt-4o-mini via OpenAI"). */
  readonly engine: string;
  complete(messages: ChatMessage[], options?: ChatCompleteOptions): Promise<string>;
}

export class ModelCallError extends Error {
  constructor(
    message: string,
    /** One phrase for the analyst: "the model timed out after 30 s". */
    readonly reason: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ModelCallError';
  }
}

export function createChatCompleter(config: ModelConfig): ChatCompleter | undefined {
  if (config.provider === 'none') return undefined;
  const clientOptions = { timeout: config.timeoutMs, maxRetries: MODEL_MAX_RETRIES };
  const client =
    config.provider === 'openai'
      ? new OpenAI({ apiKey: config.apiKey, baseURL: config.baseUrl, ...clientOptions })
      : new AzureOpenAI({
          endpoint: config.endpoint,
          apiVersion: config.apiVersion,
          ...(config.apiKey ? { apiKey: config.apiKey } : { azureADTokenProvider: azureTokenProvider() }),
          ...clientOptions,
        });
  const model = config.provider === 'openai' ? config.model : config.deployment;
  const engine = describeEngine(config) ?? model;
  return {
    engine,
    async complete(messages, options = {}) {
      try {
        const res = await client.chat.completions.create({
          model,
          messages,
          temperature: options.temperature ?? 0.1,
          ...(options.maxTokens ? { max_tokens: options.maxTokens } : {}),
          ...(options.responseFormat ? { response_format: options.responseFormat } : {}),
        });
        const choice = res.choices[0];
        if (choice?.finish_reason === 'content_filter') {
          throw new ModelCallError(
            'completion stopped by the content filter',
            'the content filter blocked the answer',
          );
        }
        return choice?.message.content ?? '';
      } catch (err) {
        if (err instanceof ModelCallError) throw err;
        throw toModelCallError(err, config.timeoutMs);
      }
    },
  };
}

export function toModelCallError(err: unknown, timeoutMs: number): ModelCallError {
  if (err instanceof OpenAI.APIConnectionTimeoutError) {
    return new ModelCallError(err.message, `the model timed out after ${Math.round(timeoutMs / 1000)} s`);
  }
  if (err instanceof OpenAI.APIError) {
    return new ModelCallError(err.message, failureReason(err.status), err.status);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ModelCallError(message, 'the model could not be reached');
}

/** One phrase from an HTTP status. */
export function failureReason(status: number | undefined): string {
  if (status === 429) return 'the model is rate-limited (429) even after retries';
  if (status === 400) return 'the model rejected the request (400, e.g. content filter)';
  if (status === 401 || status === 403) return `the model refused our credentials (${status})`;
  if (status !== undefined && status >= 500) return `the model service failed (${status})`;
  return status === undefined ? 'the model could not be reached' : `the model returned ${status}`;
}

function azureTokenProvider(): () => Promise<string> {
  return getBearerTokenProvider(new DefaultAzureCredential(), AZURE_SCOPE);
}
