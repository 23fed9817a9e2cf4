import type { Attachment } from 'botbuilder';
import { BOT_FEATURES } from '../../src/bot/compose';
import type { QueryOptions, SentinelGateway } from '../../src/sentinel/gateway';
import type { QueryResult } from '../../src/domain/types';
import { createHuntingFeature, type HuntingOptions } from '../../src/hunting';
import { HUNT_QUERY_PREFIX } from '../../src/hunting/queryStore';
import { collectActions, textsOf } from '../support/cardInspection';
import type { RecordedActivity } from '../support/teams';
import { startBotHarness, type BotHarness, type BotHarnessOverrides } from '../support/botHarness';

/** The production feature list with hunting placed first (its routes match only its own words and verbs). */
export function startHuntHarness(
  overrides: BotHarnessOverrides = {},
  options: HuntingOptions = {},
): Promise<BotHarness> {
  const others = BOT_FEATURES.filter((f) => f.name !== 'hunting');
  return startBotHarness({ ...overrides, features: [createHuntingFeature(options), ...others] });
}

export type Card = Record<string, unknown>;

/** Adaptive cards attached to recorded activities, in order. */
export function cardsIn(activities: RecordedActivity[]): Card[] {
  return activities.flatMap((a) =>
    ((a.activity.attachments ?? []) as Attachment[])
      .filter((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')
      .map((x) => x.content as Card),
  );
}

/** The query text a hunt card shows (its monospace lines, markdown escapes removed). */
export function queryShown(card: Card): string {
  const lines: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if (obj.type === 'TextBlock' && obj.fontType === 'Monospace' && typeof obj.text === 'string')
      lines.push(obj.text.replace(/\\(.)/g, '$1'));
    Object.values(obj).forEach(visit);
  };
  visit(card);
  return lines.join('\n');
}

/** Every text of the card, markdown escapes removed (cardText escapes parentheses, brackets, ...). */
export function cardText(card: unknown): string {
  return textsOf(card)
    .map((t) => t.replace(/\\(.)/g, '$1'))
    .join('\n');
}

/** The queryId the card's Run button carries; throws when the card has no Run button. */
export function runQueryId(card: Card): string {
  const run = collectActions(card).find((a) => a.title === 'Run');
  const data = run?.data as { queryId?: unknown } | undefined;
  if (typeof data?.queryId !== 'string') throw new Error('card has no Run button with a queryId');
  return data.queryId;
}

export interface InvokeBody {
  statusCode: number;
  type: string;
  value: unknown;
}

export function invokeBody(body: unknown): InvokeBody {
  if (body === null || typeof body !== 'object') throw new Error(`not an invoke response: ${String(body)}`);
  return body as InvokeBody;
}

/** The card of an invoke response; throws when the bot answered a message instead. */
export function invokeCard(body: unknown): Card {
  const b = invokeBody(body);
  if (b.type !== 'application/vnd.microsoft.card.adaptive')
    throw new Error(`expected a card, got ${b.type}: ${JSON.stringify(b.value)}`);
  return b.value as Card;
}

export function invokeMessage(body: unknown): string {
  const b = invokeBody(body);
  if (b.type !== 'application/vnd.microsoft.activity.message')
    throw new Error(`expected a message, got ${b.type}`);
  return String(b.value);
}

/** Table rows of a results card (header row included). */
export function tableRows(card: Card): string[][] {
  const body = (card.body ?? []) as Record<string, unknown>[];
  const table = body.find((b) => b.type === 'Table');
  const rows = (table?.rows ?? []) as { cells: { items: { text: string }[] }[] }[];
  return rows.map((r) => r.cells.map((c) => c.items[0]?.text ?? ''));
}

export interface RecordedRun {
  query: string;
  options: QueryOptions | undefined;
  result?: QueryResult;
}

/**
 * Wraps a gateway to see what the bot asked Log Analytics (schema reads excluded) and to script a
 * run's failure or partial result.
 */
export function recordingGateway(inner: SentinelGateway): {
  gateway: SentinelGateway;
  runs: RecordedRun[];
  nextRun: { fail?: Error; partial?: string };
} {
  const runs: RecordedRun[] = [];
  const nextRun: { fail?: Error; partial?: string } = {};
  const gateway = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'runQuery') {
        return async (query: string, options?: QueryOptions): Promise<QueryResult> => {
          if (/^\w+ \| getschema$/.test(query)) return target.runQuery(query, options);
          const run: RecordedRun = { query, options };
          runs.push(run);
          if (nextRun.fail) {
            const fail = nextRun.fail;
            delete nextRun.fail;
            throw fail;
          }
          const result = await target.runQuery(query, options);
          const partial = nextRun.partial;
          delete nextRun.partial;
          run.result = partial ? { status: 'PartialFailure', tables: result.tables, error: partial } : result;
          return run.result;
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { gateway, runs, nextRun };
}

/** Writes a stored hunt query directly, as if the bot had saved it (forged or hostile records in tests). */
export async function storeHuntQuery(
  h: BotHarness,
  id: string,
  fields: { query: string; title: string; engine: string; incidentName: string },
): Promise<void> {
  await h.bot.deps.storage.write({
    [`${HUNT_QUERY_PREFIX}${id}`]: {
      id,
      ...fields,
      why: 'x',
      incidentNumber: 1,
      windowStart: new Date(Date.now() - 86_400_000).toISOString(),
      windowEnd: new Date().toISOString(),
      createdBy: { name: 'x' },
      createdAt: new Date().toISOString(),
      eTag: '*',
    },
  });
}
