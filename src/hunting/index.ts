import { ActivityTypes, CardFactory, MessageFactory, TurnContext } from 'botbuilder';
import { VERBS } from '../../adaptive-cards/verbs';
import { createChatCompleter, type ChatCompleter } from '../ai/model';
import { CachedGroupMembership, type GroupMembership } from '../authz/groupMembership';
import { policyFromConfig, ResponderAuthorizer } from '../authz/responders';
import type { BotApp, BotFeature } from '../bot/app';
import type { BotDeps } from '../bot/deps';
import { incidentNumberFrom } from '../bot/incidentSelection';
import { sentinelErrorReply } from '../bot/sentinelErrorReplies';
import { SchemaProvider } from '../kql/schema';
import { getLogger } from '../logger';
import { isSentinelError } from '../sentinel/errors';
import { addHuntTask } from './addTask';
import { HUNT_QUERY_PREFIX, HUNT_QUERY_TTL_MS, HuntQueryStore } from './queryStore';
import { runHuntQuery, type HuntClickOutcome } from './runHunt';
import type { HuntingRuntime } from './runtime';
import { completeHunt, prepareHunt, startHunt } from './startHunt';
import { DEFAULT_HUNT_QUESTION, parseHuntRequest, type HuntRequest } from './triggers';

export { huntTaskId } from './addTask';
export { HUNT_COMMANDS } from './commands';
export { HuntQueryStore, type StoredHuntQuery } from './queryStore';
export { parseHuntRequest, type HuntRequest } from './triggers';

const log = getLogger('hunting');

export interface HuntingOptions {
  /** Default: built from config.model (none → templates); `null` forces templates. */
  model?: ChatCompleter | null;
  /** Default: over deps.sentinel.runQuery, built once per bot. */
  schema?: SchemaProvider;
  groupMembership?: GroupMembership;
  now?: () => Date;
  /** Hunts still being written after the Hunt button was answered (tests await them). */
  background?: Set<Promise<void>>;
}

/**
 * Hunting from Teams: `hunt for …`, `kql: …` and the incident card's Hunt button. No query is shown
 * with a Run button unless the Kusto language service validated it against the workspace schema, and
 * the buttons carry only the id of the query stored server-side.
 */
export function createHuntingFeature(options: HuntingOptions = {}): BotFeature {
  return {
    name: 'hunting',
    cardActions: { hunt: true },
    // A stored query cannot be run after its TTL anyway; a day's margin for clocks.
    retention: [{ prefix: HUNT_QUERY_PREFIX, maxAgeMs: HUNT_QUERY_TTL_MS + 24 * 60 * 60 * 1000 }],
    register(app: BotApp, deps: BotDeps) {
      const rt = createRuntime(deps, options);
      log.info({ engine: rt.model?.engine ?? 'templates' }, 'hunting ready');
      registerHuntingRoutes(app, rt);
    },
  };
}

/** The production feature; list it in BOT_FEATURES before the incident Q&A catch-all. */
export const huntingFeature: BotFeature = createHuntingFeature();

function createRuntime(deps: BotDeps, options: HuntingOptions): HuntingRuntime {
  return {
    deps,
    store: new HuntQueryStore(deps.storage, options.now),
    schema: options.schema ?? new SchemaProvider((query) => deps.sentinel.runQuery(query)),
    model: options.model === null ? undefined : (options.model ?? createChatCompleter(deps.config.model)),
    // The bot's shared authoriser, unless a test gives hunting a group source of its own.
    authorizer: options.groupMembership
      ? new ResponderAuthorizer(
          policyFromConfig(deps.config),
          new CachedGroupMembership(options.groupMembership),
        )
      : deps.authorizer,
    now: options.now ?? (() => new Date()),
    background: options.background ?? new Set(),
  };
}

export function registerHuntingRoutes(app: BotApp, rt: HuntingRuntime): void {
  app.message(
    async (context) =>
      context.activity.type === ActivityTypes.Message &&
      parseHuntRequest(context.activity.text) !== undefined,
    async (context) => {
      const request = parseHuntRequest(context.activity.text);
      if (request) await guarded(rt, context, () => startHunt(rt, context, request), true);
    },
  );

  const buttonRequest = (data: unknown): HuntRequest => ({
    kind: 'hunt',
    question: DEFAULT_HUNT_QUESTION,
    incidentNumber: incidentNumberFrom(data),
  });
  app.adaptiveCards.actionExecute<unknown>(VERBS.hunt, async (context, _state, data) =>
    guarded(rt, context, () => startHuntInBackground(rt, context, buttonRequest(data)), false),
  );
  app.adaptiveCards.actionSubmit<unknown>(VERBS.hunt, async (context, _state, data) => {
    await guarded(rt, context, () => startHunt(rt, context, buttonRequest(data)), true);
  });

  const clicks: [string, (context: TurnContext, data: unknown) => Promise<HuntClickOutcome>][] = [
    [VERBS.huntRun, (context, data) => runHuntQuery(rt, context, data)],
    [VERBS.huntAddTask, (context, data) => addHuntTask(rt, context, data)],
  ];
  for (const [verb, handle] of clicks) {
    app.adaptiveCards.actionExecute<unknown>(verb, async (context, _state, data) => {
      const outcome = await guardedClick(rt, () => handle(context, data));
      return outcome.kind === 'card' ? outcome.card : outcome.text;
    });
    // Clients without Universal Actions: no invoke response, so the answer is posted.
    app.adaptiveCards.actionSubmit<unknown>(verb, async (context, _state, data) => {
      const outcome = await guardedClick(rt, () => handle(context, data));
      await context.sendActivity(
        outcome.kind === 'card'
          ? MessageFactory.attachment(CardFactory.adaptiveCard(outcome.card))
          : outcome.text,
      );
    });
  }
}

/**
 * The Hunt button: Teams retries an invoke it has not had an answer to in ~15 s, and writing a query
 * (a model call plus up to two repairs) can take longer. So the quick checks run in the turn, the invoke
 * is answered at once, and the query cards follow through the conversation reference.
 */
async function startHuntInBackground(
  rt: HuntingRuntime,
  context: TurnContext,
  request: HuntRequest,
): Promise<string> {
  const prepared = await prepareHunt(rt, context, request);
  if ('message' in prepared) return prepared.message;
  const reference = TurnContext.getConversationReference(context.activity);
  const adapter = context.adapter;
  const botAppId = rt.deps.config.bot?.appId ?? '';
  const work = adapter
    .continueConversationAsync(botAppId, reference, async (ctx) => {
      try {
        await completeHunt(rt, prepared, async (activity) => {
          await ctx.sendActivity(activity);
        });
      } catch (err) {
        log.error({ err, incident: prepared.incident.number }, 'hunt failed after the button was answered');
        await ctx.sendActivity(
          isSentinelError(err)
            ? sentinelErrorReply(err, {
                workspaceName: rt.deps.config.sentinel.workspace.workspaceName,
                operation: 'read',
              })
            : `Sorry, I could not finish the hunt for incident #${prepared.incident.number}. Please try again.`,
        );
      }
    })
    .catch((err: unknown) => log.error({ err }, 'could not reach the conversation to post hunt results'));
  rt.background.add(work);
  void work.finally(() => rt.background.delete(work));
  return `Writing hunting queries for incident #${prepared.incident.number}… they will appear here in a moment.`;
}

/** Sentinel failures become the shared plain sentence; anything else reaches the app's error handler. */
async function guarded(
  rt: HuntingRuntime,
  context: TurnContext,
  work: () => Promise<string>,
  postError: boolean,
): Promise<string> {
  try {
    return await work();
  } catch (err) {
    if (!isSentinelError(err)) throw err;
    const text = sentinelErrorReply(err, {
      workspaceName: rt.deps.config.sentinel.workspace.workspaceName,
      operation: 'read',
    });
    if (postError) await context.sendActivity(text);
    return text;
  }
}

async function guardedClick(
  rt: HuntingRuntime,
  work: () => Promise<HuntClickOutcome>,
): Promise<HuntClickOutcome> {
  try {
    return await work();
  } catch (err) {
    if (!isSentinelError(err)) throw err;
    return {
      kind: 'message',
      text: sentinelErrorReply(err, {
        workspaceName: rt.deps.config.sentinel.workspace.workspaceName,
        operation: 'read',
      }),
    };
  }
}
