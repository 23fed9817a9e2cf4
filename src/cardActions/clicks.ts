import type { TurnContext } from 'botbuilder';
import { VERBS } from '../../adaptive-cards/verbs';
import { actorOf, deniedText, tenantIdsOf } from '../authz/responders';
import { incidentNumberFrom } from '../bot/incidentSelection';
import { incidentNotFoundText } from '../bot/incidentViews';
import { sentinelErrorReply } from '../bot/sentinelErrorReplies';
import type { Incident } from '../domain/types';
import { isSentinelError } from '../sentinel/errors';
import type { LongAction } from './actionJobs';
import { assignToMe } from './assign';
import { auditCardAction, type AuditResult } from './audit';
import { loadCardView, renderActionCard } from './cardRefresh';
import { startLongAction } from './longActions';
import { rosterIdentity } from '../authz/roster';
import { message, type CardActionsRuntime, type Click, type Outcome } from './runtime';
import { applyStatusChange, parseStatusRequest, renderStatusForm } from './statusChange';

type ActionName = LongAction | 'assignToMe' | 'changeStatus' | 'setStatus';

interface ActionSpec {
  name: ActionName;
  /** Writes to Sentinel: needs a responder. Analyze only reads (and posts in Teams). */
  write: boolean;
  /** For "You are not allowed to <what>". */
  what: string;
}

export const CARD_ACTION_SPECS: Readonly<Record<string, ActionSpec>> = {
  [VERBS.analyze]: { name: 'analyze', write: false, what: 'analyze incidents' },
  // Proposing writes nothing, but only responders can act on the proposal, so only they may ask for one.
  [VERBS.addTasks]: { name: 'addTasks', write: true, what: 'add tasks to incidents' },
  [VERBS.addPlannedTasks]: { name: 'addPlannedTasks', write: true, what: 'add tasks to incidents' },
  [VERBS.postComment]: { name: 'postComment', write: true, what: 'comment on incidents' },
  [VERBS.assignToMe]: { name: 'assignToMe', write: true, what: 'assign incidents' },
  [VERBS.changeStatus]: { name: 'changeStatus', write: true, what: 'change the status of incidents' },
  [VERBS.setStatus]: { name: 'setStatus', write: true, what: 'change the status of incidents' },
};

export const CARD_ACTION_VERBS = Object.keys(CARD_ACTION_SPECS);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * One click, from any conversation type, through Action.Execute or the Action.Submit fallback. Only the
 * incident number is taken from the card; who clicked and from which tenant come from the activity,
 * and the incident is re-read from Sentinel before anything is decided.
 */
export async function handleClick(
  rt: CardActionsRuntime,
  context: TurnContext,
  verb: string,
  rawData: unknown,
): Promise<Outcome> {
  const startedAt = performance.now();
  const spec = CARD_ACTION_SPECS[verb];
  const data = isRecord(rawData) ? rawData : {};
  const incidentNumber = incidentNumberFrom(data);
  if (!spec || incidentNumber === undefined) {
    return message('That button did not say which incident it is for. Type `incidents` to get a fresh list.');
  }
  const activity = context.activity;
  const actor = actorOf(activity);
  const tenantIds = tenantIdsOf(activity);
  const click: Click = {
    context,
    verb,
    data,
    actor,
    tenantId: tenantIds[0],
    incidentNumber,
    cardActivityId: activity.replyToId || undefined,
    startedAt,
  };
  const audit = (result: AuditResult, incident?: Incident, detail?: Record<string, unknown>) =>
    auditCardAction({
      actor,
      tenantId: click.tenantId,
      action: spec.name,
      incidentNumber,
      incidentName: incident?.name,
      result,
      durationMs: performance.now() - startedAt,
      detail,
    });

  const decision = await rt.authorizer.authorize({
    actor,
    tenantIds,
    write: spec.write,
    userPrincipalName: async () => (await rosterIdentity(context)).userPrincipalName,
  });
  if (!decision.allowed) {
    audit('denied', undefined, { reason: decision.reason });
    return message(deniedText(decision, spec.what));
  }

  const workspaceName = rt.deps.config.sentinel.workspace.workspaceName;
  let incident: Incident | undefined;
  try {
    incident = await rt.deps.sentinel.getIncidentByNumber(incidentNumber);
    if (!incident) return message(incidentNotFoundText(incidentNumber, workspaceName));
    switch (spec.name) {
      case 'analyze':
      case 'addTasks':
      case 'addPlannedTasks':
      case 'postComment':
        return await startLongAction(rt, click, incident, spec.name);
      case 'assignToMe':
        return await assign(rt, click, incident, audit);
      case 'changeStatus':
        return { kind: 'card', card: renderStatusForm(incident), audience: 'clicker' };
      case 'setStatus':
        return await setStatus(rt, click, incident, audit);
    }
  } catch (err) {
    if (!isSentinelError(err)) throw err;
    audit('failed', incident, { error: err.message, kind: err.kind });
    return message(sentinelErrorReply(err, { workspaceName, operation: spec.write ? 'write' : 'read' }));
  }
}

type Audit = (result: AuditResult, incident?: Incident, detail?: Record<string, unknown>) => void;

async function refreshedCard(rt: CardActionsRuntime, incident: Incident, note: string): Promise<Outcome> {
  const view = (await loadCardView(rt.deps.sentinel, incident.number)) ?? { incident };
  return { kind: 'card', card: renderActionCard(view, { actions: rt.buttons, note }), audience: 'all' };
}

async function assign(
  rt: CardActionsRuntime,
  click: Click,
  incident: Incident,
  audit: Audit,
): Promise<Outcome> {
  if (!click.actor.aadObjectId) {
    audit('invalid', incident, { reason: 'no aadObjectId' });
    return message(
      'Teams did not tell me your Entra ID, so I cannot assign the incident to you. Nothing was changed.',
    );
  }
  const roster = await rosterIdentity(click.context);
  const result = await assignToMe(
    rt.deps.sentinel,
    incident,
    { aadObjectId: click.actor.aadObjectId, name: click.actor.name, ...roster },
    rt.now(),
  );
  audit(result.written ? 'written' : result.conflict ? 'conflict' : 'unchanged', incident, {
    owner: result.incident.owner.objectId,
  });
  return refreshedCard(rt, result.incident, result.note);
}

async function setStatus(
  rt: CardActionsRuntime,
  click: Click,
  incident: Incident,
  audit: Audit,
): Promise<Outcome> {
  if (click.data.cancel === true || click.data.cancel === 'true') {
    const view = (await loadCardView(rt.deps.sentinel, incident.number)) ?? { incident };
    return { kind: 'card', card: renderActionCard(view, { actions: rt.buttons }), audience: 'clicker' };
  }
  const request = parseStatusRequest(click.data, incident);
  if (!request.ok) {
    audit('invalid', incident, { error: request.error });
    return {
      kind: 'card',
      card: renderStatusForm(incident, request.error, request.values),
      audience: 'clicker',
    };
  }
  const result = await applyStatusChange(rt.deps.sentinel, incident, request, click.actor.name, rt.now());
  audit(result.written ? 'written' : result.conflict ? 'conflict' : 'unchanged', incident, {
    status: request.update.status,
    classification: request.update.classification,
    classificationReason: request.update.classificationReason,
  });
  return refreshedCard(rt, result.incident, result.note);
}
