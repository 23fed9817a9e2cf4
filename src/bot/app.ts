import { Application, type TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import { registerTenantGate } from '../authz/tenantGate';
import { getLogger } from '../logger';
import type { RetentionRule } from '../storage/stateStorage';
import { isSentinelError } from '../sentinel/errors';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { IncidentCardActions } from './cards/incidentCard';
import { registerCommands } from './commands';
import type { BotDeps } from './deps';
import { registerIncidentSelection } from './incidentSelection';
import { sentinelErrorReply } from './sentinelErrorReplies';

const log = getLogger('bot.app');

export type BotApp = Application<TurnState>;

/**
 * A feature plugged into the bot (incident Q&A, notifications, card actions, hunting, ...).
 *
 * `register` adds the feature's routes. `cardActions` names the incident-card buttons whose verbs the
 * feature handles; a button appears on incident cards only when some installed feature claims it, so
 * the card never shows a button nobody answers.
 */
export interface BotFeature {
  name: string;
  register(app: BotApp, deps: BotDeps, context: FeatureContext): void;
  cardActions?: IncidentCardActions;
  /**
   * A line the feature adds to the welcome message when the bot is installed (e.g. how to subscribe a
   * channel when installed in a team). One welcome route composes them, so features never race for it.
   */
  welcomeNote?(activity: Activity): string | undefined;
  /** How long the records this feature writes are kept (expired by the composition root). */
  retention?: readonly RetentionRule[];
}

/** The incident-card buttons for a set of features: the core's plus every feature's claim. */
export function cardActionsFor(features: readonly BotFeature[]): IncidentCardActions {
  return Object.assign({}, CORE_CARD_ACTIONS, ...features.map((f) => f.cardActions));
}

export interface FeatureContext {
  /** The buttons every incident card should show (core + all features), for features that post cards. */
  cardActions: IncidentCardActions;
}

/** What the core itself answers on incident cards. */
export const CORE_CARD_ACTIONS: IncidentCardActions = { askAboutThis: true };

export interface CreateAppOptions {
  features?: readonly BotFeature[];
}

/**
 * Builds the Teams application and registers routes.
 *
 * ORDERING RULE: teams-ai runs the FIRST route whose selector matches (invoke routes are tried before
 * message routes, each list in registration order). So:
 *   1. core commands (help, incidents, incident <n>) and core card verbs: selectors match only their
 *      own words/verbs;
 *   2. features, in the order given: commands with their own words first, broad handlers (free-text
 *      incident Q&A) last; a feature must never register a catch-all message route;
 *   3. the welcome (bot added to a conversation) and the fallback, registered here last: unknown text,
 *      empty messages, stale buttons.
 * Anything a feature does not claim falls through to the fallback, never into silence. A feature that
 * must see every activity (e.g. to store conversation references for proactive messages) should use
 * `app.turn('beforeTurn', …)` and return true, rather than a route, so it does not steal the turn.
 */
export function createApp(deps: BotDeps, adapter: TeamsAdapter, options: CreateAppOptions = {}): BotApp {
  const app = new Application<TurnState>({
    storage: deps.storage,
    adapter,
    botAppId: deps.config.bot?.appId,
    // Channel messages arrive as "<at>Sentinel</at> incident 7"; commands are parsed without it.
    removeRecipientMention: true,
    // Sentinel calls can take seconds; the typing indicator tells the analyst we heard them.
    startTypingTimer: true,
    longRunningMessages: false,
  });

  const features = options.features ?? [];
  const cardActions = cardActionsFor(features);

  registerTenantGate(app, deps.config.bot?.tenantId);

  registerCommands(app, deps, { cardActions });
  registerIncidentSelection(app, deps, { cardActions });
  for (const feature of features) {
    feature.register(app, deps, { cardActions });
    log.debug({ feature: feature.name }, 'feature registered');
  }
  registerWelcome(app, deps, features);
  registerFallback(app);

  app.error(async (context, error) => handleTurnError(context, error, deps));
  return app;
}

function registerWelcome(app: BotApp, deps: BotDeps, features: readonly BotFeature[]): void {
  app.activity(
    async (context) => {
      const { type, recipient, membersAdded } = context.activity;
      return (
        type === ActivityTypes.ConversationUpdate && (membersAdded ?? []).some((m) => m.id === recipient?.id)
      );
    },
    async (context) => {
      const notes = features.map((f) => f.welcomeNote?.(context.activity)).filter((n) => n !== undefined);
      await context.sendActivity(
        [welcomeText(deps.config.sentinel.workspace.workspaceName), ...notes].join('\n\n'),
      );
    },
  );
}

export function welcomeText(workspaceName: string): string {
  return (
    `Hi! I'm the Sentinel assistant for workspace **${workspaceName}**. ` +
    'I show Microsoft Sentinel incidents here in Teams and keep track of which incident each conversation is about. ' +
    'Type `incidents` to see open incidents, `incident {number}` to open one, or `help` for everything I can do.'
  );
}

function registerFallback(app: BotApp): void {
  app.adaptiveCards.actionExecute(
    async (context) =>
      context.activity.type === ActivityTypes.Invoke && context.activity.name === 'adaptiveCard/action',
    async () => 'That button is no longer available. Type `incidents` for a fresh list.',
  );
  app.message(
    // A function selector is used as is (no type check), so say "messages only" explicitly.
    async (context) => context.activity.type === ActivityTypes.Message,
    async (context) => {
      if (!context.activity.text && context.activity.value !== undefined) {
        await context.sendActivity('That button is no longer available. Type `incidents` for a fresh list.');
        return;
      }
      const text = (context.activity.text ?? '').trim();
      await context.sendActivity(
        text === ''
          ? 'Hi! Type `help` to see what I can do.'
          : "Sorry, I didn't understand that. Type `help` to see what I can do, e.g. `incidents` or `incident 7`.",
      );
    },
  );
}

/** A sentence as the answer: a message, or for an invoke (card click) the invoke response Teams shows. */
export async function replyWithText(context: TurnContext, text: string): Promise<void> {
  if (context.activity.type === ActivityTypes.Invoke) {
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: {
        status: 200,
        body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text },
      },
    });
    return;
  }
  await context.sendActivity(text);
}

/**
 * Last line of defence: the analyst always gets an answer (an apology, or the Sentinel reason) and the
 * process keeps running. Invokes get an invoke response so Teams does not show a generic failure.
 */
async function handleTurnError(context: TurnContext, error: unknown, deps: BotDeps): Promise<void> {
  const activity = context.activity;
  log.error(
    {
      err: error,
      activityId: activity.id,
      activityType: activity.type,
      conversationId: activity.conversation?.id,
    },
    'turn failed',
  );
  const text = isSentinelError(error)
    ? sentinelErrorReply(error, { workspaceName: deps.config.sentinel.workspace.workspaceName })
    : `Sorry, something went wrong on my side while handling that (reference ${activity.id ?? 'unknown'}). Please try again.`;
  try {
    await replyWithText(context, text);
  } catch (sendError) {
    log.error({ err: sendError, activityId: activity.id }, 'could not send the error reply');
  }
}
