import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { IncidentDataCache } from '../ai/incidentData';
import { UnderstandingService } from '../ai/understanding';
import { createChatCompleter, type ChatCompleter } from '../ai/model';
import { CachedGroupMembership, type GroupMembership } from '../authz/groupMembership';
import { policyFromConfig, ResponderAuthorizer, type AuthzPolicy } from '../authz/responders';
import type { BotApp, BotFeature, FeatureContext } from '../bot/app';
import type { IncidentCardActions } from '../bot/cards/incidentCard';
import type { BotDeps } from '../bot/deps';
import { getLogger } from '../logger';
import { ActionJobs, JOB_RECORD_PREFIX } from './actionJobs';
import { ANALYSIS_PREFIX, AnalysisStore } from './analysis';
import { PLAN_PREFIX, PlanStore } from './planStore';
import { CardPublisher } from './cardRefresh';
import { CARD_ACTION_VERBS, handleClick } from './clicks';
import { resumeInterruptedActions } from './longActions';
import type { CardActionsRuntime, Outcome } from './runtime';

export { ActionJobs } from './actionJobs';
export { CARD_ACTION_VERBS } from './clicks';

const log = getLogger('cardActions');

/** The incident-card buttons this feature answers (see "no dead buttons" in src/bot/app.ts). */
export const CARD_ACTION_BUTTONS: IncidentCardActions = {
  analyze: true,
  addTasks: true,
  postComment: true,
  assignToMe: true,
  changeStatus: true,
};

export interface CardActionsOptions {
  /**
   * The model for analyses and tasks. Default: built from config.model (none → built-in analyst);
   * `null` forces the built-in analyst.
   */
  model?: ChatCompleter | null;
  /** Default: Microsoft Graph with the bot's identity, when RESPONDER_GROUP_ID is set. Cached 5 min. */
  groupMembership?: GroupMembership;
  /** Default: from config (BOT_TENANT_ID, RESPONDERS, RESPONDER_GROUP_ID). */
  policy?: AuthzPolicy;
  now?: () => Date;
  /** Receives the runtime once registered (tests wait on `runtime.jobs.settled()`). */
  onReady?: (runtime: CardActionsRuntime) => void;
}

/**
 * Incident card buttons that write back to Sentinel: Analyze, Add remediation tasks, Post analysis as
 * comment, Assign to me, Change status / Close. Every write is authorised on the server, idempotent and
 * audited; the card refreshes in place for everyone afterwards.
 */
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Job records answer late retries and repeat clicks (a month is far past any retry); a record still
 * 'running' is kept for the restart resume. Analyses are reused for 30 minutes at most.
 */
const CARD_ACTION_RETENTION = [
  {
    prefix: JOB_RECORD_PREFIX,
    maxAgeMs: 30 * DAY_MS,
    keep: (item: Record<string, unknown>) => item.state === 'running',
  },
  { prefix: ANALYSIS_PREFIX, maxAgeMs: DAY_MS },
  // A proposal's button stays usable while the card is likely to be looked at.
  { prefix: PLAN_PREFIX, maxAgeMs: 30 * DAY_MS },
];

export function createCardActionsFeature(options: CardActionsOptions = {}): BotFeature {
  return {
    name: 'card-actions',
    cardActions: CARD_ACTION_BUTTONS,
    retention: CARD_ACTION_RETENTION,
    register(app: BotApp, deps: BotDeps, context: FeatureContext) {
      const runtime = createRuntime(app, deps, context, options);
      registerCardActionRoutes(app, runtime);
      options.onReady?.(runtime);
      // After registration, off the start-up path: Teams is reached through the adapter, not our server.
      setImmediate(() => {
        resumeInterruptedActions(runtime).catch((err: unknown) =>
          log.error({ err }, 'could not resume interrupted card actions'),
        );
      });
    },
  };
}

/** The production feature; the lead lists it in BOT_FEATURES (before incident Q&A). */
export const cardActionsFeature: BotFeature = createCardActionsFeature();

function createRuntime(
  app: BotApp,
  deps: BotDeps,
  context: FeatureContext,
  options: CardActionsOptions,
): CardActionsRuntime {
  // The bot's shared authoriser, unless a test gives this feature a policy or a group source of its own.
  const authorizer =
    options.policy || options.groupMembership
      ? new ResponderAuthorizer(
          options.policy ?? policyFromConfig(deps.config),
          options.groupMembership ? new CachedGroupMembership(options.groupMembership) : undefined,
        )
      : deps.authorizer;
  const model =
    options.model === null ? undefined : (options.model ?? createChatCompleter(deps.config.model));
  const now = options.now ?? (() => new Date());
  return {
    deps,
    buttons: context.cardActions,
    authorizer,
    model,
    incidentData: new IncidentDataCache(deps.sentinel),
    understandings: new UnderstandingService(deps.sentinel),
    jobs: new ActionJobs(deps.storage),
    analyses: new AnalysisStore(deps.storage, now),
    plans: new PlanStore(deps.storage),
    cards: new CardPublisher(app.adapter, deps.config.bot?.appId ?? ''),
    now,
  };
}

export function registerCardActionRoutes(app: BotApp, rt: CardActionsRuntime): void {
  for (const verb of CARD_ACTION_VERBS) {
    app.adaptiveCards.actionExecute<unknown>(verb, async (context, _state, data) => {
      const outcome = await handleClick(rt, context, verb, data);
      if (outcome.kind === 'message') return outcome.text;
      if (outcome.audience === 'all')
        await rt.cards.updateInTurn(context, context.activity.replyToId, outcome.card);
      return outcome.card;
    });
    // Clients without Universal Actions send Action.Submit: a message with `value`, no invoke response.
    app.adaptiveCards.actionSubmit<unknown>(verb, async (context, _state, data) => {
      await answerSubmit(rt, context, await handleClick(rt, context, verb, data));
    });
  }
}

async function answerSubmit(rt: CardActionsRuntime, context: TurnContext, outcome: Outcome): Promise<void> {
  if (outcome.kind === 'message') {
    await context.sendActivity(outcome.text);
    return;
  }
  const cardId = context.activity.replyToId;
  if (cardId && outcome.audience === 'progress') return; // the background work updates the card
  // The form is for the clicker; without per-user views the fallback posts it as a new message.
  if (cardId && outcome.audience === 'all') await rt.cards.updateInTurn(context, cardId, outcome.card);
  else await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(outcome.card)));
}
