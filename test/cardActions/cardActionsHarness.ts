import type { AdaptiveCard } from '@microsoft/teams-ai';
import { VERBS } from '../../adaptive-cards/verbs';
import { createCardActionsFeature, type CardActionsOptions } from '../../src/cardActions';
import type { CardActionsRuntime } from '../../src/cardActions/runtime';
import type { SentinelGateway } from '../../src/sentinel/gateway';
import { startBotHarness, type BotHarness } from '../support/botHarness';
import { collectActions, textsOf } from '../support/cardInspection';
import type { FactoryOptions, RecordedActivity } from '../support/teams';

export interface CardActionsHarness {
  h: BotHarness;
  runtime: CardActionsRuntime;
  /** Clicks a button on the card posted as `cardId`; returns the invoke response body. */
  click(
    verb: string,
    incidentNumber: number,
    cardId: string,
    opts?: FactoryOptions & { data?: Record<string, unknown> },
  ): Promise<{ status: number; body: InvokeBody }>;
  /** Waits for the background work, then returns the last update of the card. */
  finalUpdate(cardId: string): Promise<RecordedActivity>;
  close(): Promise<void>;
}

export interface InvokeBody {
  statusCode: number;
  type: string;
  value: unknown;
}

export async function startCardActionsHarness(
  options: { env?: Record<string, string>; gateway?: SentinelGateway; feature?: CardActionsOptions } = {},
): Promise<CardActionsHarness> {
  let runtime: CardActionsRuntime | undefined;
  const feature = createCardActionsFeature({
    ...options.feature,
    onReady: (rt) => {
      runtime = rt;
    },
  });
  const h = await startBotHarness({ env: options.env, gateway: options.gateway, features: [feature] });
  if (!runtime) throw new Error('card actions feature did not register');
  const rt = runtime;
  return {
    h,
    runtime: rt,
    async click(verb, incidentNumber, cardId, opts = {}) {
      const { data, ...factory } = opts;
      const result = await h.click(
        verb,
        { verb, incidentNumber, ...data },
        { replyToId: cardId, ...factory },
      );
      return { status: result.status, body: result.body as InvokeBody };
    },
    async finalUpdate(cardId) {
      await rt.jobs.settled();
      const updates = h.teams.updates.filter((u) => u.activityId === cardId);
      const last = updates[updates.length - 1];
      if (!last) throw new Error(`no update of card ${cardId}`);
      return last;
    },
    close: () => h.close(),
  };
}

export function cardFromUpdate(update: RecordedActivity): AdaptiveCard {
  const content = update.activity.attachments?.[0]?.content as AdaptiveCard | undefined;
  if (!content) throw new Error('update carries no card');
  return content;
}

export function invokeCard(body: InvokeBody): AdaptiveCard {
  if (body.type !== 'application/vnd.microsoft.card.adaptive') {
    throw new Error(`expected a card, got ${body.type}: ${String(body.value)}`);
  }
  return body.value as AdaptiveCard;
}

/** All texts of a card with cardText's markdown escapes undone, for readable assertions. */
export function cardTexts(card: unknown): string {
  return textsOf(card).join('\n').replace(/\\(.)/g, '$1');
}

export function executeVerbs(card: unknown): string[] {
  return collectActions(card)
    .filter((a) => a.type === 'Action.Execute')
    .map((a) => a.verb ?? '');
}

/** The "Add these N tasks" button of a proposal on a card: its plan id and N. */
export function planButton(card: unknown): { planId: string; count: number } | undefined {
  const button = collectActions(card).find(
    (a) => a.type === 'Action.Execute' && a.verb === VERBS.addPlannedTasks,
  );
  const data = button?.data as { planId?: unknown } | undefined;
  const count = /Add these (\d+) tasks?/.exec(button?.title ?? '')?.[1];
  return typeof data?.planId === 'string' && count
    ? { planId: data.planId, count: Number(count) }
    : undefined;
}
