import { CardFactory, MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import type { Entity, Incident } from '../domain/types';
import { renderSafeMarkdown } from '../ai/safeText';
import { actorOf, deniedText } from '../authz/responders';
import { huntWindow } from '../kql/huntingTemplates';
import { getLogger } from '../logger';
import {
  checkAnalystQuery,
  describeDiagnostics,
  proposeHunt,
  type HuntProposal,
  type ProposalOutcome,
} from './proposals';
import { renderHuntQueryCard } from './queryCard';
import { authorize, resolveIncident, type HuntingRuntime } from './runtime';
import { MAX_KQL_CHARS, type HuntRequest } from './triggers';

const log = getLogger('hunting.start');

/** A hunt that passed the quick checks: who asked, about which incident. */
export interface PreparedHunt {
  request: HuntRequest;
  incident: Incident;
  entities: Entity[];
  actor: { name: string; aadObjectId?: string };
}

/**
 * The quick part of a hunt, done inside the turn: authorisation, input limits, which incident.
 * Returns the sentence to answer with when the hunt cannot go on.
 */
export async function prepareHunt(
  rt: HuntingRuntime,
  context: TurnContext,
  request: HuntRequest,
): Promise<PreparedHunt | { message: string }> {
  const decision = await authorize(rt, context, false);
  if (!decision.allowed) return { message: deniedText(decision, 'hunt in this workspace') };
  if (request.kind === 'kql' && request.query === '') {
    return {
      message: 'Type your query after `kql:`, e.g. `kql: SigninLogs | where ResultType != "0" | take 10`.',
    };
  }
  if (request.kind === 'kql' && request.query.length > MAX_KQL_CHARS) {
    return {
      message: `That query is ${request.query.length} characters long; I check queries up to ${MAX_KQL_CHARS}.`,
    };
  }
  const target = await resolveIncident(rt, context, request.incidentNumber);
  if ('message' in target) return { message: target.message };
  const actor = actorOf(context.activity);
  return {
    request,
    incident: target.incident,
    entities: target.entities,
    actor: { name: actor.name, aadObjectId: actor.aadObjectId },
  };
}

/**
 * The slow part: schema, generation (a model call with up to two repairs), validation, one query card
 * per query posted with `send`. Needs no turn of its own, so the Hunt button can run it after answering.
 * Returns one sentence saying what happened; failures worth telling are posted as well.
 */
export async function completeHunt(
  rt: HuntingRuntime,
  prepared: PreparedHunt,
  send: (activity: Partial<Activity> | string) => Promise<void>,
): Promise<string> {
  const { request, incident, entities, actor } = prepared;
  const reply = async (text: string): Promise<string> => {
    await send(text);
    return text;
  };
  const startedAt = performance.now();
  const schema = await rt.schema.getSchema();
  const outcome: ProposalOutcome =
    request.kind === 'kql'
      ? await checkAnalystQuery(request.query, schema, actor.name)
      : await proposeHunt({ question: request.question, incident, entities, schema }, rt.model);
  log.info(
    {
      incident: incident.number,
      kind: request.kind,
      outcome: outcome.kind,
      ms: Math.round(performance.now() - startedAt),
    },
    'hunt proposed',
  );

  switch (outcome.kind) {
    case 'refused':
      return reply(outcome.reason);
    case 'empty':
      return reply(`I have no query to offer for incident #${incident.number}: ${outcome.reason}.`);
    case 'invalid':
      return reply(invalidText(outcome, request));
    case 'queries': {
      const window = huntWindow(incident);
      const schemaTables = Object.keys(schema).length;
      if (outcome.note) await send(outcome.note);
      for (const proposal of outcome.proposals) {
        await postQueryCard(rt, send, proposal, actor, {
          incidentName: incident.name,
          incidentNumber: incident.number,
          windowStart: window.start.toISOString(),
          windowEnd: window.end.toISOString(),
          schemaTables,
        });
      }
      const n = outcome.proposals.length;
      return `Hunting in incident #${incident.number}: ${n} validated ${n === 1 ? 'query' : 'queries'} posted.`;
    }
  }
}

/** A typed hunt: both parts inside the turn, every answer posted. */
export async function startHunt(
  rt: HuntingRuntime,
  context: TurnContext,
  request: HuntRequest,
): Promise<string> {
  const prepared = await prepareHunt(rt, context, request);
  if ('message' in prepared) {
    await context.sendActivity(prepared.message);
    return prepared.message;
  }
  return completeHunt(rt, prepared, async (activity) => {
    await context.sendActivity(activity);
  });
}

async function postQueryCard(
  rt: HuntingRuntime,
  send: (activity: Partial<Activity>) => Promise<void>,
  proposal: HuntProposal,
  actor: PreparedHunt['actor'],
  where: {
    incidentName: string;
    incidentNumber: number;
    windowStart: string;
    windowEnd: string;
    schemaTables: number;
  },
): Promise<void> {
  const stored = await rt.store.save({
    query: proposal.query,
    title: proposal.title,
    why: proposal.why,
    engine: proposal.engine,
    incidentName: where.incidentName,
    incidentNumber: where.incidentNumber,
    windowStart: where.windowStart,
    windowEnd: where.windowEnd,
    createdBy: { name: actor.name, aadObjectId: actor.aadObjectId },
  });
  const card = renderHuntQueryCard({
    stored,
    schemaTables: where.schemaTables,
    readTables: proposal.tables,
    rowCap: rt.deps.config.kql.rowCap,
    timeoutSeconds: rt.deps.config.kql.timeoutSeconds,
  });
  await send(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}

function invalidText(outcome: Extract<ProposalOutcome, { kind: 'invalid' }>, request: HuntRequest): string {
  const head =
    request.kind === 'kql'
      ? "Your query doesn't validate against the workspace schema, so I won't offer to run it:"
      : `I couldn't produce a valid query (${renderSafeMarkdown(outcome.engine)}): ${renderSafeMarkdown(outcome.reason)}`;
  const diagnostics = describeDiagnostics(outcome.diagnostics).map((d) => `- ${renderSafeMarkdown(d)}`);
  const query = outcome.query.trim().slice(0, 4000);
  const shown =
    query === ''
      ? []
      : [
          '',
          request.kind === 'kql' ? 'Your query:' : 'Last attempt (not runnable):',
          fenceFor(query),
          query,
          fenceFor(query),
        ];
  const advice =
    request.kind === 'kql'
      ? 'Fix the lines above and send it again with `kql:`.'
      : 'Try rephrasing, name the table (e.g. SigninLogs), or write the query yourself with `kql: …`.';
  return [head, ...diagnostics, ...shown, '', advice].join('\n');
}

/**
 * A code fence longer than any backtick run in the query, so nothing in it can close the fence and turn
 * the rest into markdown (invisible characters would not do: the outbound sanitiser removes them).
 */
function fenceFor(query: string): string {
  const longest = Math.max(0, ...(query.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}
