import { EventEmitter } from 'node:events';
import { type Application, type OpenAIModel, StreamingResponse, type TurnState } from '@microsoft/teams-ai';
import { type Activity, ActivityTypes, type TurnContext } from 'botbuilder';
import type { BotFeature } from '../bot/app';
import type { BotDeps } from '../bot/deps';
import { sentinelErrorReply } from '../bot/sentinelErrorReplies';
import { getLogger } from '../logger';
import { isSentinelError } from '../sentinel/errors';
import { type Answer, answerQuestion, type QaEngine } from './answer';
import { IncidentDataCache } from './incidentData';
import { UnderstandingService } from './understanding';
import { createModel, createQaPlanner, describeModel } from './model';
import { renderSafeMarkdown } from './safeText';
import { oneLine } from './spotlight';

const log = getLogger('ai.qa');

export interface IncidentQaDeps extends BotDeps {
  /** Overrides the model built from config.model (tests, or a caller sharing one model). */
  model?: OpenAIModel;
  dataCache?: IncidentDataCache;
  understandings?: UnderstandingService;
}

const HISTORY = 'conversation.qa_history';
const HISTORY_INCIDENT = 'conversation.qa_incident';
const RECENT_SHOWN = 5;

/**
 * Free-text questions about an incident. Register AFTER every command route: this is the catch-all for
 * text (any non-empty message text that no earlier route claimed).
 */
export function registerIncidentQa<TState extends TurnState>(
  app: Application<TState>,
  deps: IncidentQaDeps,
): void {
  const model = deps.model ?? createModel(deps.config.model, { stream: true });
  // teams-ai subscribes per completion on the shared model emitter; concurrent conversations exceed 10.
  const emitter: unknown = model?.events;
  if (emitter instanceof EventEmitter) emitter.setMaxListeners(0);
  const engine: QaEngine | undefined = model
    ? {
        planner: createQaPlanner(model),
        name: describeModel(model),
        timeoutMs: 'timeoutMs' in deps.config.model ? deps.config.model.timeoutMs : 30_000,
      }
    : undefined;
  const cache = deps.dataCache ?? new IncidentDataCache(deps.sentinel);
  const understandings = deps.understandings ?? new UnderstandingService(deps.sentinel);
  log.info({ engine: engine?.name ?? 'built-in analyst' }, 'incident Q&A ready');

  app.message(
    async (context) => questionText(context) !== '',
    async (context, state) => {
      try {
        await handleQuestion(context, state, deps, cache, understandings, engine);
      } catch (err) {
        if (!isSentinelError(err)) throw err;
        await context.sendActivity(
          sentinelErrorReply(err, {
            workspaceName: deps.config.sentinel.workspace.workspaceName,
            operation: 'read',
          }),
        );
      }
    },
  );
}

/** The same registration as a createApp feature; list it LAST in `features`. */
export function incidentQaFeature(
  options: { model?: OpenAIModel; dataCache?: IncidentDataCache } = {},
): BotFeature {
  return {
    name: 'incident-qa',
    register: (app, deps) => registerIncidentQa(app, { ...deps, ...options }),
  };
}

async function handleQuestion(
  context: TurnContext,
  state: TurnState,
  deps: IncidentQaDeps,
  cache: IncidentDataCache,
  understandings: UnderstandingService,
  engine: QaEngine | undefined,
): Promise<void> {
  const question = questionText(context);
  const conversationId = context.activity.conversation.id;
  const named = incidentNamedIn(question);
  const current = await deps.incidentContext.get(conversationId);
  if (named !== undefined && named !== current) await deps.incidentContext.set(conversationId, named);
  const incidentNumber = named ?? current;
  if (incidentNumber === undefined) {
    await context.sendActivity(await chooseIncidentText(deps));
    return;
  }
  const personal = context.activity.conversation.conversationType === 'personal';
  // Outside personal chat the typing indicator goes out while Sentinel is read, not after.
  const typing = personal && engine ? undefined : context.sendActivity({ type: ActivityTypes.Typing });
  const data = await cache.getByNumber(incidentNumber);
  await typing;
  if (!data) {
    await context.sendActivity(
      `I can't find incident #${incidentNumber} in workspace **${deps.config.sentinel.workspace.workspaceName}**. Type \`incidents\` to see open incidents.`,
    );
    return;
  }
  // History from another incident would mislead the model about this one.
  if (state.getValue(HISTORY_INCIDENT) !== incidentNumber) {
    state.deleteValue(HISTORY);
    state.setValue(HISTORY_INCIDENT, incidentNumber);
  }
  let stream: StreamingResponse | undefined;
  if (personal && engine) {
    stream = new StreamingResponse(context);
    stream.queueInformativeUpdate(
      `Reading incident #${incidentNumber}: ${data.alerts.length} alert${data.alerts.length === 1 ? '' : 's'}, ${data.entities.length} entit${data.entities.length === 1 ? 'y' : 'ies'}…`,
    );
  }
  const understanding = await understandings.get(data);
  const answer = await answerQuestion({
    context,
    memory: state,
    question,
    data,
    understanding,
    budgetTokens: deps.config.promptTokenBudget,
    engine,
    stream,
  });
  log.info(
    {
      incident: incidentNumber,
      engine: answer.engine,
      source: answer.source,
      reason: answer.fallbackReason,
      unknownIds: answer.unknownIds.length,
      promptTokens: answer.promptTokens,
    },
    'question answered',
  );
  if (!answer.streamed) await context.sendActivity(answerActivity(answer));
}

function answerActivity(answer: Answer): Partial<Activity> {
  const activity: Partial<Activity> = {
    type: ActivityTypes.Message,
    text: answer.text,
    textFormat: 'markdown',
  };
  if (answer.source !== 'model') return activity;
  // Teams shows its "AI generated" label for this entity.
  return {
    ...activity,
    entities: [
      {
        type: 'https://schema.org/Message',
        '@type': 'Message',
        '@context': 'https://schema.org',
        '@id': '',
        additionalType: ['AIGeneratedContent'],
      },
    ],
  };
}

/** The message text without @mentions; empty for card submits and attachments-only messages. */
export function questionText(context: TurnContext): string {
  const a = context.activity;
  if (a.type !== ActivityTypes.Message || typeof a.text !== 'string') return '';
  return a.text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "in incident 7, …", "about incident #7", "for #7": the incident the question names, if any. */
export function incidentNamedIn(question: string): number | undefined {
  const m =
    /\bincident\s*(?:number\s*)?#?\s*(\d{1,9})\b/i.exec(question) ?? /(?:^|\s)#(\d{1,9})\b/.exec(question);
  return m?.[1] ? Number(m[1]) : undefined;
}

async function chooseIncidentText(deps: BotDeps): Promise<string> {
  const how =
    'Which incident is this about? Type `incident` and its number (e.g. `incident 7`), press **Ask about this** on an incident card, or name it in the question ("in incident 7, what happened?").';
  try {
    const recent = await deps.sentinel.listIncidents({
      filter: "properties/status ne 'Closed'",
      orderBy: 'properties/createdTimeUtc desc',
      top: RECENT_SHOWN,
      limit: RECENT_SHOWN,
    });
    if (recent.length === 0) return how;
    const lines = recent
      .slice(0, RECENT_SHOWN)
      .map(
        (i) => `- #${i.number} (${i.severity}, ${i.status}): ${renderSafeMarkdown(oneLine(i.title, 120))}`,
      );
    return `${how}\n\nRecent open incidents:\n${lines.join('\n')}`;
  } catch (err) {
    log.warn({ err: String(err) }, 'could not list recent incidents');
    return how;
  }
}
