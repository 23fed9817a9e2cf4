import type { AdaptiveCard } from '@microsoft/teams-ai';
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { renderSafeMarkdown } from '../ai/safeText';
import { actorOf, deniedText } from '../authz/responders';
import { sentinelErrorReply } from '../bot/sentinelErrorReplies';
import type { QueryResult } from '../domain/types';
import { applyRowCap, validateKql } from '../kql/validator';
import { getLogger } from '../logger';
import { isSentinelError, type SentinelError } from '../sentinel/errors';
import { describeDiagnostics, refusalText } from './proposals';
import { renderHuntQueryCard } from './queryCard';
import type { StoredHuntQuery } from './queryStore';
import { renderHuntResultsCard } from './resultsCard';
import { authorize, clockTime, type HuntingRuntime } from './runtime';

const log = getLogger('hunting.run');

/** What a hunt card button answers: the refreshed query card, or a sentence. */
export type HuntClickOutcome = { kind: 'card'; card: AdaptiveCard } | { kind: 'message'; text: string };

export const UNKNOWN_QUERY_TEXT =
  'That query is no longer available (it expired or was never saved here), so nothing was run. Type `hunt for …` to write a new one.';

/** The stored query a click names, after the checks every click needs; a sentence when it fails them. */
export async function loadClickedQuery(
  rt: HuntingRuntime,
  context: TurnContext,
  data: unknown,
  write: boolean,
): Promise<StoredHuntQuery | string> {
  const decision = await authorize(rt, context, write);
  if (!decision.allowed)
    return deniedText(decision, write ? 'add tasks to incidents' : 'run hunting queries');
  const queryId =
    data !== null && typeof data === 'object' ? (data as Record<string, unknown>).queryId : undefined;
  return (await rt.store.get(queryId)) ?? UNKNOWN_QUERY_TEXT;
}

/**
 * Run: the stored query is checked again (read-only, valid against today's schema) because the store
 * is the only thing trusted, then run with the row cap, the server timeout and the incident window.
 * The results go to the conversation as their own message; the clicked card gets a "Ran at" note.
 */
export async function runHuntQuery(
  rt: HuntingRuntime,
  context: TurnContext,
  data: unknown,
): Promise<HuntClickOutcome> {
  const stored = await loadClickedQuery(rt, context, data, false);
  if (typeof stored === 'string') return { kind: 'message', text: stored };
  const { rowCap, timeoutSeconds } = rt.deps.config.kql;
  const schema = await rt.schema.getSchema();
  const checked = await validateKql(stored.query, schema, { rowCap });
  if (!checked.valid) {
    const refused = checked.errors[0];
    if (checked.refusal !== undefined && refused) {
      log.warn(
        { queryId: stored.id, code: refused.code },
        'stored hunt query refused by the read-only check',
      );
      return { kind: 'message', text: refusalText({ code: refused.code, reason: checked.refusal }) };
    }
    const lines = describeDiagnostics(checked.errors).map((d) => `- ${d}`);
    return {
      kind: 'message',
      text: [
        'This query no longer validates against the workspace schema, so nothing was run:',
        ...lines,
      ].join('\n'),
    };
  }
  const query = checked.cappedQuery ?? applyRowCap(stored.query, rowCap);
  const actor = actorOf(context.activity);
  const ranAt = rt.now();
  const startedAt = performance.now();
  let result: QueryResult;
  try {
    result = await rt.deps.sentinel.runQuery(query, {
      timespan: timespanFor(stored, ranAt),
      serverTimeoutSeconds: timeoutSeconds,
    });
  } catch (err) {
    if (!isSentinelError(err)) throw err;
    const reason = queryErrorText(err, rt.deps.config.sentinel.workspace.workspaceName);
    log.info({ queryId: stored.id, kind: err.kind }, 'hunt query failed');
    // Template titles hold entity values and the service's error may quote the query: both attacker text.
    await context.sendActivity(
      `The hunt “${renderSafeMarkdown(stored.title)}” (incident #${stored.incidentNumber}) did not run: ${renderSafeMarkdown(reason)}`,
    );
    return queryCard(
      rt,
      stored,
      schema,
      checked.tables,
      `Run at ${clockTime(ranAt)} by ${actor.name} failed: ${reason}`,
    );
  }
  const ms = Math.round(performance.now() - startedAt);
  const table = result.tables[0];
  const rows = table?.rows.length ?? 0;
  log.info({ queryId: stored.id, rows, ms, status: result.status }, 'hunt query ran');
  const rendered = renderHuntResultsCard({
    incidentNumber: stored.incidentNumber,
    title: stored.title,
    summary: `${rows} ${rows === 1 ? 'row' : 'rows'}${rows >= rowCap ? ` (the row cap of ${rowCap} was reached)` : ''} · ran at ${clockTime(ranAt)} by ${actor.name} in ${(ms / 1000).toFixed(1)} s`,
    table,
    partialError: result.status === 'PartialFailure' ? result.error : undefined,
  });
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(rendered.card)));
  const partial = result.status === 'PartialFailure' ? ' (partial results)' : '';
  return queryCard(
    rt,
    stored,
    schema,
    checked.tables,
    `Ran at ${clockTime(ranAt)} by ${actor.name}: ${rows} ${rows === 1 ? 'row' : 'rows'}${partial}`,
  );
}

export function queryCard(
  rt: HuntingRuntime,
  stored: StoredHuntQuery,
  schema: Record<string, unknown>,
  readTables: string[],
  note: string,
): HuntClickOutcome {
  return {
    kind: 'card',
    card: renderHuntQueryCard({
      stored,
      schemaTables: Object.keys(schema).length,
      readTables,
      rowCap: rt.deps.config.kql.rowCap,
      timeoutSeconds: rt.deps.config.kql.timeoutSeconds,
      note,
    }),
  };
}

/** The incident window up to now at the latest, so follow-on activity after the incident shows too. */
function timespanFor(stored: StoredHuntQuery, now: Date): string {
  const end = Date.parse(stored.windowEnd);
  const until = Number.isNaN(end) ? now : new Date(Math.max(end, now.getTime()));
  return `${stored.windowStart}/${until.toISOString()}`;
}

function queryErrorText(err: SentinelError, workspaceName: string): string {
  if (err.kind === 'BadRequest') {
    const message = err.message.replace(/\s+/g, ' ').trim();
    return `Log Analytics rejected the query: ${message.length > 400 ? `${message.slice(0, 399)}…` : message}`;
  }
  return sentinelErrorReply(err, { workspaceName, operation: 'read' });
}
