import type { Application, TurnState } from '@microsoft/teams-ai';
import { MessageFactory, type TurnContext } from 'botbuilder';
import { VERBS } from '../../adaptive-cards/verbs';
import { isSentinelError } from '../sentinel/errors';
import { renderIncidentCard, renderIncidentCardJson, type IncidentCardActions } from './cards/incidentCard';
import type { BotDeps } from './deps';
import { incidentNotFoundText, loadIncidentView } from './incidentViews';
import { sentinelErrorReply } from './sentinelErrorReplies';

const NOTES: Record<string, string> = {
  [VERBS.selectIncident]: "This is now the conversation's current incident.",
  [VERBS.askAboutThis]: "This is now the conversation's current incident: ask your question here.",
};

/**
 * Card buttons that pick an incident: "Open #n" on the incidents list and "Ask about this" on an
 * incident card. Both set the conversation's current incident and answer with the incident card.
 * Action.Execute replaces the clicked card for the clicker; the Action.Submit fallback (clients without
 * Universal Actions) posts the card as a new message instead.
 */
export function registerIncidentSelection(
  app: Application<TurnState>,
  deps: BotDeps,
  options: { cardActions: IncidentCardActions },
): void {
  const verbs = [VERBS.selectIncident, VERBS.askAboutThis];

  app.adaptiveCards.actionExecute<unknown>(verbs, async (context, _state, data) => {
    const result = await selectIncident(context, deps, data, options.cardActions);
    return typeof result === 'string' ? result : renderIncidentCardJson(result.view, result.render);
  });

  app.adaptiveCards.actionSubmit<unknown>(verbs, async (context, _state, data) => {
    const result = await selectIncident(context, deps, data, options.cardActions);
    await context.sendActivity(
      typeof result === 'string'
        ? result
        : MessageFactory.attachment(renderIncidentCard(result.view, result.render)),
    );
  });
}

type Selection =
  | string
  | {
      view: NonNullable<Awaited<ReturnType<typeof loadIncidentView>>>;
      render: { actions: IncidentCardActions };
    };

async function selectIncident(
  context: TurnContext,
  deps: BotDeps,
  data: unknown,
  cardActions: IncidentCardActions,
): Promise<Selection> {
  const workspaceName = deps.config.sentinel.workspace.workspaceName;
  const incidentNumber = incidentNumberFrom(data);
  if (incidentNumber === undefined) {
    return 'That button did not say which incident it is for. Type `incidents` to get a fresh list.';
  }
  try {
    const view = await loadIncidentView(deps.sentinel, incidentNumber);
    if (!view) return incidentNotFoundText(incidentNumber, workspaceName);
    await deps.incidentContext.set(context.activity.conversation.id, incidentNumber);
    const verb = verbFrom(data);
    return {
      view: { ...view, note: NOTES[verb] ?? NOTES[VERBS.selectIncident] },
      render: { actions: cardActions },
    };
  } catch (e) {
    if (!isSentinelError(e)) throw e;
    return sentinelErrorReply(e, { workspaceName, operation: 'read' });
  }
}

/** Card data is client-supplied: accept a positive integer (or its string form), nothing else. */
export function incidentNumberFrom(data: unknown): number | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const raw: unknown = (data as Record<string, unknown>).incidentNumber;
  const n = typeof raw === 'string' && /^\d{1,12}$/.test(raw) ? Number(raw) : raw;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function verbFrom(data: unknown): string {
  if (data === null || typeof data !== 'object') return '';
  const verb: unknown = (data as Record<string, unknown>).verb;
  return typeof verb === 'string' ? verb : '';
}
