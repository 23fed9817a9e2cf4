import type { Application, TurnState } from '@microsoft/teams-ai';
import { TurnContext, type Activity } from 'botbuilder';
import { actorOf, deniedText, tenantIdsOf, type ResponderAuthorizer } from '../authz/responders';
import { rosterIdentity } from '../authz/roster';
import { commandSelector, normalizeCommandText } from '../bot/commandParsing';
import type { CommandInfo } from '../bot/commands';
import type { Severity } from '../domain/types';
import { getLogger } from '../logger';
import {
  DEFAULT_MIN_SEVERITY,
  SubscriptionError,
  parseSeverity,
  type Subscription,
  type SubscriptionStore,
} from './subscriptions';

const log = getLogger('notifications.commands');

export const SUBSCRIPTION_COMMANDS: readonly CommandInfo[] = [
  {
    name: 'subscribe',
    usage: 'subscribe [high|medium|low|informational]',
    description: 'Post a card here for every new incident of at least that severity (default Medium).',
  },
  { name: 'unsubscribe', usage: 'unsubscribe', description: 'Stop posting new-incident cards here.' },
  {
    name: 'subscriptions',
    usage: 'subscriptions',
    description: 'Show which conversations get new-incident cards.',
  },
];

export interface SubscriptionCommandDeps {
  subscriptions: SubscriptionStore;
  /**
   * Who may subscribe or unsubscribe a conversation: the same responders who may write to incidents
   * (an unsubscribe silently stops a SOC channel's alerts). Without one, anyone in the conversation may.
   */
  authorizer?: ResponderAuthorizer;
}

/** The refusal for a user who may not change subscriptions, or undefined when they may. */
async function refusal(
  context: TurnContext,
  authorizer: ResponderAuthorizer | undefined,
  what: string,
): Promise<string | undefined> {
  if (authorizer === undefined) return undefined;
  const decision = await authorizer.authorize({
    actor: actorOf(context.activity),
    tenantIds: tenantIdsOf(context.activity),
    write: true,
    userPrincipalName: async () => (await rosterIdentity(context)).userPrincipalName,
  });
  return decision.allowed ? undefined : deniedText(decision, what);
}

/** Shown when the bot is added to a team: channels are not subscribed until someone asks. */
export function teamInstallText(): string {
  return (
    'To get a card in a channel for every new Sentinel incident, go to that channel and send ' +
    '`@Sentinel subscribe` (Medium and above) or `@Sentinel subscribe high`. ' +
    '`@Sentinel unsubscribe` stops it; `@Sentinel subscriptions` shows what is subscribed.'
  );
}

/**
 * What `subscriptions` tells anyone in a conversation: this conversation's own subscription and how many
 * conversations get cards in all, by kind. Never other conversations' ids (issue #16, item 8): anyone
 * who can message the bot could otherwise map every subscribed chat and channel.
 */
function subscriptionsText(subs: readonly Subscription[], here: Subscription | undefined): string {
  const own = here
    ? `This conversation gets new-incident cards for **${here.minSeverity} and above** (since ${here.createdAt.slice(0, 16).replace('T', ' ')} UTC)${here.disabled ? ` — **disabled** (${here.disabled.reason.slice(0, 120)})` : ''}. Type \`unsubscribe\` to stop.`
    : 'This conversation does not get new-incident cards. Type `subscribe` here to start.';
  if (subs.length === 0) return own;
  const count = (type: Subscription['conversationType']) =>
    subs.filter((s) => s.conversationType === type).length;
  const kinds = [
    [count('channel'), 'channel'],
    [count('groupChat'), 'group chat'],
    [count('personal'), 'personal chat'],
  ] as const;
  const parts = kinds.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}${n === 1 ? '' : 's'}`);
  return `${own}\n\n${subs.length} subscribed conversation(s) in all: ${parts.join(', ')}.`;
}

export function parseSubscribeArgument(text: string | undefined): { severity: Severity } | { error: string } {
  const words = normalizeCommandText(text)
    .split(' ')
    .slice(1)
    .filter((w) => w !== '' && w !== 'to' && w !== 'and' && w !== 'above');
  if (words.length === 0) return { severity: DEFAULT_MIN_SEVERITY };
  const severity = parseSeverity(words[0]);
  if (severity === undefined || words.length > 1) {
    return {
      error: `"${words.join(' ').slice(0, 40)}" is not a severity. Use \`subscribe\`, \`subscribe high\`, \`subscribe medium\`, \`subscribe low\` or \`subscribe informational\`.`,
    };
  }
  return { severity };
}

/** Routes subscribe / unsubscribe / subscriptions. Each selector matches only its own word. */
export function registerSubscriptionCommands<TState extends TurnState>(
  app: Application<TState>,
  deps: SubscriptionCommandDeps,
): void {
  app.message(commandSelector('subscribe'), async (context) => {
    const denied = await refusal(context, deps.authorizer, 'subscribe conversations to new incidents');
    if (denied !== undefined) {
      await context.sendActivity(denied);
      return;
    }
    const parsed = parseSubscribeArgument(context.activity.text);
    if ('error' in parsed) {
      await context.sendActivity(parsed.error);
      return;
    }
    const ref = TurnContext.getConversationReference(context.activity as Activity);
    try {
      const sub = await deps.subscriptions.subscribe(ref, parsed.severity, {
        createdBy: context.activity.from?.name,
      });
      const where = sub.conversationType === 'channel' ? 'this channel (each as a new thread)' : 'this chat';
      await context.sendActivity(
        `Subscribed: new incidents of severity **${sub.minSeverity}** and above will be posted to ${where}. ` +
          'Type `unsubscribe` to stop.',
      );
    } catch (err) {
      if (!(err instanceof SubscriptionError)) throw err;
      log.warn({ err: err.message, conversationId: ref.conversation?.id }, 'subscription refused');
      await context.sendActivity(`I can't subscribe this conversation: ${err.message}.`);
    }
  });

  app.message(commandSelector('unsubscribe'), async (context) => {
    const denied = await refusal(context, deps.authorizer, 'unsubscribe conversations from new incidents');
    if (denied !== undefined) {
      await context.sendActivity(denied);
      return;
    }
    const removed = await deps.subscriptions.unsubscribe(context.activity.conversation.id);
    await context.sendActivity(
      removed ? 'Unsubscribed: no more new-incident cards here.' : 'This conversation was not subscribed.',
    );
  });

  app.message(commandSelector('subscriptions'), async (context) => {
    const subs = await deps.subscriptions.list();
    const here = await deps.subscriptions.get(context.activity.conversation.id);
    await context.sendActivity(subscriptionsText(subs, here));
  });
}
