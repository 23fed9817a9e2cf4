import type { AdaptiveCard } from '@microsoft/teams-ai';
import { Template } from 'adaptivecards-templating';
import {
  CardFactory,
  MessageFactory,
  TurnContext,
  type Activity,
  type ConversationReference,
} from 'botbuilder';
import planTemplate from '../../adaptive-cards/incident-plan.json';
import tasksAddedTemplate from '../../adaptive-cards/incident-tasks-added.json';
import { VERBS } from '../../adaptive-cards/verbs';
import { display } from '../ai/remediation/text';
import { cardText } from '../bot/cards/cardText';
import {
  MAX_CARD_BYTES,
  renderIncidentCardJson,
  type IncidentCardActions,
  type IncidentCardView,
} from '../bot/cards/incidentCard';
import { loadIncidentView } from '../bot/incidentViews';
import type { ContinuingAdapter } from '../notifications/teamsMessenger';
import { getLogger } from '../logger';
import type { SentinelGateway } from '../sentinel/gateway';
import type { StoredPlan } from './planStore';

const log = getLogger('cardActions.cards');
const TASKS_LISTED = 10;

export interface ActionCardOptions {
  actions: IncidentCardActions;
  note?: string;
  /** Titles of the tasks this click added, listed under the note. */
  tasksAdded?: readonly string[];
  /** Planned tasks not written because the incident already had them. */
  tasksSkipped?: readonly { title: string; existing: string }[];
  /** Proposed tasks with their why and the "Add these N tasks" button. */
  plan?: StoredPlan;
}

/** The incident as the card should show it now: re-read from Sentinel, tasks included when readable. */
export async function loadCardView(
  gateway: SentinelGateway,
  incidentNumber: number,
): Promise<IncidentCardView | undefined> {
  const view = await loadIncidentView(gateway, incidentNumber);
  if (!view) return undefined;
  try {
    return { ...view, tasks: await gateway.listTasks(view.incident.name) };
  } catch (err) {
    log.warn({ err, incidentNumber }, 'incident card refreshed without tasks');
    return view;
  }
}

export function renderActionCard(view: IncidentCardView, options: ActionCardOptions): AdaptiveCard {
  const card = renderIncidentCardJson({ ...view, note: options.note }, { actions: options.actions });
  const sections = [tasksAddedSection(options), options.plan ? planSection(options.plan) : undefined].filter(
    (s) => s !== undefined,
  );
  if (sections.length === 0) return card;
  const body: unknown = (card as { body?: unknown }).body;
  const withSections = { ...card, body: [...(Array.isArray(body) ? body : []), ...sections] } as AdaptiveCard;
  return Buffer.byteLength(JSON.stringify(withSections)) <= MAX_CARD_BYTES ? withSections : card;
}

function tasksAddedSection(options: ActionCardOptions): unknown {
  const titles = options.tasksAdded ?? [];
  const skipped = options.tasksSkipped ?? [];
  if (titles.length === 0 && skipped.length === 0) return undefined;
  const shown = titles.slice(0, TASKS_LISTED).map((t) => ({ title: cardText(t, 150) }));
  const more = titles.length - shown.length;
  return new Template(tasksAddedTemplate).expand({
    $root: {
      heading:
        titles.length === 0
          ? 'No tasks added'
          : more > 0
            ? `Tasks added (first ${shown.length} of ${titles.length})`
            : 'Tasks added',
      tasks: shown,
      skippedHeading: `Not added — already on the incident (${skipped.length})`,
      skipped: skipped
        .slice(0, TASKS_LISTED)
        .map((s) => ({ title: cardText(s.title, 150), existing: cardText(s.existing, 160) })),
    },
  });
}

/** The proposal: every task with its why (defanged for display), and one button that writes exactly them. */
function planSection(plan: StoredPlan): unknown {
  const n = plan.tasks.length;
  const shown = (s: string, max: number) => cardText(display(s, plan.indicators ?? []), max);
  return new Template(planTemplate).expand({
    $root: {
      heading: n > 0 ? `Proposed tasks (${n}) — ${cardText(plan.engine, 80)}` : 'No new tasks to propose',
      tasks: plan.tasks.map((t, i) => ({
        label: `${i + 1}. ${shown(t.title, 150)} (${t.urgency})`,
        why: shown(t.why, 240),
      })),
      alreadyTasked: plan.alreadyTasked.length
        ? `Already on the incident, not proposed again: ${plan.alreadyTasked.map((t) => shown(t.existing, 100)).join('; ')}`
        : '',
      refused: plan.refused.length
        ? `Not proposed by the safety check: ${plan.refused
            .slice(0, 6)
            .map((r) => `${shown(r.title, 90)} (${shown(r.reason, 120)})`)
            .join('; ')}`
        : '',
      buttonTitle: `Add these ${n} task${n === 1 ? '' : 's'}`,
      verb: VERBS.addPlannedTasks,
      incidentNumber: String(plan.incidentNumber),
      planId: plan.id,
    },
  });
}

/** The part of botframework-connector's ConnectorClient used here (botbuilder does not re-export it). */
interface ReplyingConnector {
  conversations: {
    replyToActivity(conversationId: string, activityId: string, activity: Activity): Promise<unknown>;
  };
}

function cardActivity(card: AdaptiveCard, id: string): Partial<Activity> {
  return { ...MessageFactory.attachment(CardFactory.adaptiveCard(card)), id, type: 'message' };
}

/** "10:42 UTC": the time on notes like "5 tasks added by Dana Ruiz, 10:42 UTC". */
export function clockText(at: Date): string {
  return `${at.toISOString().slice(11, 16)} UTC`;
}

/**
 * Puts a card where everyone sees it. The invoke response only replaces the card for the person who
 * clicked; the message itself (the card's activity id = the invoke's replyToId) is updated for all.
 */
export class CardPublisher {
  constructor(
    private readonly adapter: ContinuingAdapter,
    private readonly botAppId: string,
  ) {}

  /** During the click's own turn. Failure to update for others must not fail the click. */
  async updateInTurn(
    context: TurnContext,
    cardActivityId: string | undefined,
    card: AdaptiveCard,
  ): Promise<void> {
    if (!cardActivityId) return;
    try {
      await context.updateActivity(cardActivity(card, cardActivityId));
    } catch (err) {
      log.warn({ err, cardActivityId }, 'could not update the incident card for everyone');
    }
  }

  /** After the turn (background work): update the card, or post it when there is no card to update. */
  async updateLater(
    reference: Partial<ConversationReference>,
    cardActivityId: string | undefined,
    card: AdaptiveCard,
  ): Promise<void> {
    await this.continueWith(reference, async (ctx) => {
      if (cardActivityId) await ctx.updateActivity(cardActivity(card, cardActivityId));
      else await ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
    });
  }

  /** A message in the card's conversation, as a reply to the card (in a channel: in the card's thread). */
  async postLater(
    reference: Partial<ConversationReference>,
    cardActivityId: string | undefined,
    activity: Partial<Activity>,
  ): Promise<void> {
    await this.continueWith(reference, async (ctx) => {
      // ctx.sendActivity would reply to the continuation event's random id, not to the card.
      const connector = ctx.turnState.get<ReplyingConnector | undefined>(ctx.adapter.ConnectorClientKey);
      const conversationId = reference.conversation?.id;
      if (!cardActivityId || !connector || !conversationId) {
        await ctx.sendActivity(activity);
        return;
      }
      const outgoing = TurnContext.applyConversationReference({ ...activity, type: 'message' }, reference);
      await connector.conversations.replyToActivity(conversationId, cardActivityId, outgoing as Activity);
    });
  }

  private async continueWith(
    reference: Partial<ConversationReference>,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<void> {
    await this.adapter.continueConversationAsync(this.botAppId, reference, logic);
  }
}
