import type { TurnContext } from 'botbuilder';
import { rosterIdentity } from '../authz/roster';
import type { ChatCompleter } from '../ai/model';
import { actorOf, tenantIdsOf, type ResponderAuthorizer } from '../authz/responders';
import type { BotDeps } from '../bot/deps';
import { incidentNotFoundText } from '../bot/incidentViews';
import type { Entity, Incident } from '../domain/types';
import type { SchemaProvider } from '../kql/schema';
import type { HuntQueryStore } from './queryStore';

/** What every hunting handler works with, built once per bot. */
export interface HuntingRuntime {
  deps: BotDeps;
  store: HuntQueryStore;
  /** Built once per bot over deps.sentinel.runQuery, so `getschema` results are cached across turns. */
  schema: SchemaProvider;
  model: ChatCompleter | undefined;
  authorizer: ResponderAuthorizer;
  now: () => Date;
  /** Hunts being written after the Hunt button was answered. */
  background: Set<Promise<void>>;
}

export const CHOOSE_INCIDENT_TEXT =
  'Which incident should I hunt in? Open one first with `incident {number}` (e.g. `incident 1`), or name it: `hunt in incident 1 for sign-ins from the attacker IP`.';

export type IncidentTarget = { incident: Incident; entities: Entity[] } | { message: string };

/** The named incident, else the conversation's current one; a sentence when neither exists. */
export async function resolveIncident(
  rt: HuntingRuntime,
  context: TurnContext,
  named: number | undefined,
): Promise<IncidentTarget> {
  const conversationId = context.activity.conversation.id;
  const incidentNumber = named ?? (await rt.deps.incidentContext.get(conversationId));
  if (incidentNumber === undefined) return { message: CHOOSE_INCIDENT_TEXT };
  const incident = await rt.deps.sentinel.getIncidentByNumber(incidentNumber);
  if (!incident) {
    return { message: incidentNotFoundText(incidentNumber, rt.deps.config.sentinel.workspace.workspaceName) };
  }
  if (named !== undefined) await rt.deps.incidentContext.set(conversationId, incidentNumber);
  const entities = await rt.deps.sentinel.listEntities(incident.name);
  return { incident, entities };
}

/** Tenant check for reads, responder check for writes (see src/authz). */
export async function authorize(
  rt: HuntingRuntime,
  context: TurnContext,
  write: boolean,
): Promise<Awaited<ReturnType<ResponderAuthorizer['authorize']>>> {
  return rt.authorizer.authorize({
    actor: actorOf(context.activity),
    tenantIds: tenantIdsOf(context.activity),
    write,
    userPrincipalName: async () => (await rosterIdentity(context)).userPrincipalName,
  });
}

/** "10:42 UTC" */
export function clockTime(date: Date): string {
  return `${date.toISOString().slice(11, 16)} UTC`;
}
