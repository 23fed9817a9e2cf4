import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, MessageFactory, type TurnContext } from 'botbuilder';
import type { Incident } from '../domain/types';
import { HUNT_COMMANDS } from '../hunting/commands';
import { SUBSCRIPTION_COMMANDS } from '../notifications/commands';
import { isSentinelError } from '../sentinel/errors';
import { renderIncidentCard, type IncidentCardActions } from './cards/incidentCard';
import { renderIncidentListCard } from './cards/incidentListCard';
import { parseCommand } from './commandParsing';
import type { BotDeps } from './deps';
import { incidentNotFoundText, loadIncidentView } from './incidentViews';
import { sentinelErrorReply } from './sentinelErrorReplies';

export interface CommandInfo {
  /** The word that starts the command. */
  name: string;
  /** How to type it, shown in help and in the Teams manifest command list. */
  usage: string;
  description: string;
}

export const CORE_COMMANDS: readonly CommandInfo[] = [
  { name: 'help', usage: 'help', description: 'Show what I can do.' },
  { name: 'incidents', usage: 'incidents', description: 'List the 10 newest open incidents.' },
  {
    name: 'incident',
    usage: 'incident <number>',
    description: "Show an incident and make it this conversation's current incident.",
  },
];

/**
 * Every command the bot answers, read by `help` and by the Teams manifest helper.
 *
 * To add a command (subscribe, unsubscribe, subscriptions, hunt, ...): export a `CommandInfo[]` from the
 * feature module, route it in the feature's registration with
 * `app.message(commandSelector('subscribe'), handler)` (from ./commandParsing), and append the list
 * here. Core commands stay first so `help` reads from most to least common.
 */
export const COMMANDS: readonly CommandInfo[] = [
  ...CORE_COMMANDS,
  ...SUBSCRIPTION_COMMANDS,
  ...HUNT_COMMANDS,
];

const OPEN_INCIDENTS_SHOWN = 10;

export interface CommandOptions {
  /** Buttons on incident cards; only verbs with registered handlers (see createApp). */
  cardActions: IncidentCardActions;
}

/**
 * Usage as shown in chat. Teams and the Playground treat `<number>` as an HTML tag (dropped or shown as
 * `&lt;number&gt;`), so placeholders are written `{number}` in messages; the manifest keeps `<number>`.
 */
export function usageForChat(usage: string): string {
  return usage.replace(/<([^>]+)>/g, '{$1}');
}

export function helpText(workspaceName: string): string {
  const lines = COMMANDS.map((c) => `- \`${usageForChat(c.usage)}\`: ${c.description}`);
  return [
    `I help you work Microsoft Sentinel incidents in workspace **${workspaceName}** from Teams.`,
    '',
    ...lines,
    '',
    'In a channel, @mention me first.',
  ].join('\n');
}

/** Routes help, incidents and incident <n>. Matches only those, so later features still get other text. */
export function registerCommands(app: Application<TurnState>, deps: BotDeps, options: CommandOptions): void {
  const workspaceName = deps.config.sentinel.workspace.workspaceName;

  app.message(
    async (context) =>
      context.activity.type === ActivityTypes.Message &&
      parseCommand(context.activity.text).name !== 'unknown',
    async (context) => {
      const command = parseCommand(context.activity.text);
      try {
        switch (command.name) {
          case 'help':
            await context.sendActivity(helpText(workspaceName));
            return;
          case 'incidents':
            await sendOpenIncidents(context, deps);
            return;
          case 'incident':
            if (command.incidentNumber === undefined) {
              await context.sendActivity(
                'Which incident? Type `incident <number>`, e.g. `incident 7`, or `incidents` to list open ones.',
              );
              return;
            }
            await sendIncident(context, deps, command.incidentNumber, options.cardActions);
            return;
          default:
            return;
        }
      } catch (e) {
        if (!isSentinelError(e)) throw e;
        await context.sendActivity(sentinelErrorReply(e, { workspaceName, operation: 'read' }));
      }
    },
  );
}

async function sendOpenIncidents(context: TurnContext, deps: BotDeps): Promise<void> {
  const incidents = await deps.sentinel.listIncidents({
    filter: "properties/status ne 'Closed'",
    orderBy: 'properties/createdTimeUtc desc',
    top: OPEN_INCIDENTS_SHOWN,
    limit: OPEN_INCIDENTS_SHOWN,
  });
  // The gateway is asked to filter and sort; doing it again here keeps the card right if a gateway
  // (or a future Sentinel API version) ignores $filter/$orderby.
  const open = incidents
    .filter((i) => i.status !== 'Closed')
    .sort(byNewest)
    .slice(0, OPEN_INCIDENTS_SHOWN);
  const card = renderIncidentListCard({
    incidents: open,
    workspaceName: deps.config.sentinel.workspace.workspaceName,
  });
  await context.sendActivity(MessageFactory.attachment(card));
}

async function sendIncident(
  context: TurnContext,
  deps: BotDeps,
  incidentNumber: number,
  cardActions: IncidentCardActions,
): Promise<void> {
  const view = await loadIncidentView(deps.sentinel, incidentNumber);
  if (!view) {
    await context.sendActivity(
      incidentNotFoundText(incidentNumber, deps.config.sentinel.workspace.workspaceName),
    );
    return;
  }
  await deps.incidentContext.set(context.activity.conversation.id, incidentNumber);
  await context.sendActivity(MessageFactory.attachment(renderIncidentCard(view, { actions: cardActions })));
}

function byNewest(a: Incident, b: Incident): number {
  return (Date.parse(b.createdTimeUtc) || 0) - (Date.parse(a.createdTimeUtc) || 0);
}
