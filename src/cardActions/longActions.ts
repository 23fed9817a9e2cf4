import { TurnContext, type ConversationReference } from 'botbuilder';
import { ModelCallError } from '../ai/model';
import { RemediationTasksError } from '../ai/remediationTasks';
import { enrichIncident } from '../bot/incidentViews';
import type { IncidentCardView } from '../bot/cards/incidentCard';
import { sentinelErrorReply } from '../bot/sentinelErrorReplies';
import type { Incident } from '../domain/types';
import { getLogger } from '../logger';
import { isSentinelError, SentinelError } from '../sentinel/errors';
import type { JobRecord, LongAction } from './actionJobs';
import { analysisMessageText, analyzeIncident, type IncidentAnalysis } from './analysis';
import { auditCardAction, type AuditEntry } from './audit';
import { clockText, loadCardView, renderActionCard } from './cardRefresh';
import { commentMessages } from './commentText';
import { commentId } from './ids';
import type { StoredPlan } from './planStore';
import { addPlannedTasks, PlanNotFoundError, planMarkdown, proposeTasks } from './taskProposals';
import { message, type CardActionsRuntime, type Click, type Outcome } from './runtime';

const log = getLogger('cardActions.long');

const WORKING: Record<LongAction, string> = {
  analyze: 'Analyzing the incident…',
  addTasks: 'Proposing remediation tasks…',
  postComment: 'Posting the analysis as a Sentinel comment…',
  addPlannedTasks: 'Adding the proposed tasks…',
};

const FAILED: Record<LongAction, string> = {
  analyze: 'Could not analyze the incident',
  addTasks: 'Could not propose remediation tasks',
  postComment: 'Could not post the analysis as a comment',
  addPlannedTasks: 'Could not add the proposed tasks',
};

interface Finished {
  note: string;
  tasksAdded?: string[];
  tasksSkipped?: { title: string; existing: string }[];
  plan?: StoredPlan;
  result: Record<string, unknown>;
}

/** The plan an "Add these N tasks" click names (only the id comes from the card). */
function planIdOf(click: Pick<Click, 'data'>): string | undefined {
  const id = click.data.planId;
  return typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) ? id.toLowerCase() : undefined;
}

/**
 * Model calls and several writes can outlast Teams' ~15 s invoke timeout, after which Teams retries.
 * So the click is answered at once with the "working" card (buttons hidden) and the work finishes in the
 * background, updating the card through the conversation reference. A retry or a second click while the
 * work runs joins it; a click on a card whose work already finished gets that result.
 */
export async function startLongAction(
  rt: CardActionsRuntime,
  click: Click,
  incident: Incident,
  action: LongAction,
): Promise<Outcome> {
  const cardId = click.cardActivityId ?? click.context.activity.id ?? '';
  const planId = action === 'addPlannedTasks' ? planIdOf(click) : undefined;
  if (action === 'addPlannedTasks' && planId === undefined)
    return message(
      'That button did not say which proposed tasks to add. Press **Add tasks** for a new proposal.',
    );
  if (!rt.jobs.running(incident.name, action, planId)) {
    const record = await rt.jobs.read(incident.name, action, cardId, planId);
    if (record?.state === 'done') return repeatOfFinished(rt, click, incident, record);
  }
  const viewPromise = enrichIncident(rt.deps.sentinel, incident);
  // Replies (the analysis) go to the card's thread; the card's activity is what gets updated.
  const reference: Partial<ConversationReference> = {
    ...TurnContext.getConversationReference(click.context.activity),
    activityId: click.cardActivityId,
  };
  const started = rt.jobs.startOnce(
    incident.name,
    action,
    click.actor.name,
    () => runInBackground(rt, { ...click, planId }, incident, action, cardId, reference, viewPromise),
    planId,
  );
  if (started.joined) {
    auditClick(click, incident, action, 'unchanged', { joined: true, startedBy: started.startedBy });
  }
  const view = await viewPromise.catch((): IncidentCardView => ({ incident }));
  return { kind: 'card', card: workingCard(view, action, started.startedBy), audience: 'progress' };
}

function workingCard(view: IncidentCardView, action: LongAction, startedBy: string) {
  return renderActionCard(view, { actions: {}, note: `${WORKING[action]} (${startedBy})` });
}

async function repeatOfFinished(
  rt: CardActionsRuntime,
  click: Click,
  incident: Incident,
  record: JobRecord,
): Promise<Outcome> {
  auditClick(click, incident, record.action, 'unchanged', {
    repeatOf: record.startedAt,
    startedBy: record.startedBy.name,
  });
  const view = (await loadCardView(rt.deps.sentinel, incident.number)) ?? { incident };
  const added = record.result?.added;
  const tasksAdded = Array.isArray(added)
    ? added.filter((t): t is string => typeof t === 'string')
    : undefined;
  const skipped = record.result?.skipped;
  const tasksSkipped = Array.isArray(skipped)
    ? (skipped as { title: string; existing: string }[])
    : undefined;
  // A proposal shown again: the same stored plan and its button (a new proposal needs a new click).
  const plan = record.action === 'addTasks' ? await rt.plans.get(record.result?.planId) : undefined;
  return {
    kind: 'card',
    card: renderActionCard(view, { actions: rt.buttons, note: record.note, tasksAdded, tasksSkipped, plan }),
    audience: 'all',
  };
}

/** One audit line per click outcome: who, tenant, action, incident, result, duration. */
function auditClick(
  click: BackgroundClick,
  incident: Incident,
  action: LongAction,
  result: AuditEntry['result'],
  detail: Record<string, unknown>,
): void {
  auditCardAction({
    actor: click.actor,
    tenantId: click.tenantId,
    action,
    incidentNumber: incident.number,
    incidentName: incident.name,
    result,
    durationMs: performance.now() - click.startedAt,
    detail,
  });
}

/** What background work needs of a click; a restarted bot rebuilds it from the job record. */
type BackgroundClick = Pick<Click, 'actor' | 'tenantId' | 'cardActivityId' | 'startedAt'> & {
  planId?: string;
};

/**
 * Finishes card actions a previous process left half done (it stopped between the click and the
 * result): the deterministic task and comment ids make the redo write nothing twice, and the card that
 * still says "working…" gets its result and its buttons back.
 */
export async function resumeInterruptedActions(rt: CardActionsRuntime): Promise<number> {
  const records = await rt.jobs.interrupted();
  for (const record of records) {
    const resume = record.resume;
    if (resume === undefined) continue;
    const click: BackgroundClick = {
      actor: resume.actor,
      tenantId: resume.tenantId,
      cardActivityId: record.cardActivityId === '' ? undefined : record.cardActivityId,
      startedAt: performance.now(),
      planId: record.planId,
    };
    log.info(
      { incident: record.incidentNumber, action: record.action, startedBy: record.startedBy.name },
      'resuming a card action interrupted by a restart',
    );
    rt.jobs.startOnce(record.incidentName, record.action, resume.actor.name, async () => {
      const incident = await rt.deps.sentinel.getIncident(record.incidentName);
      if (incident === undefined) {
        await rt.jobs.write({ ...record, state: 'failed', finishedAt: rt.now().toISOString() });
        return;
      }
      const viewPromise = enrichIncident(rt.deps.sentinel, incident);
      await runInBackground(
        rt,
        click,
        incident,
        record.action,
        record.cardActivityId,
        resume.reference,
        viewPromise,
      );
    });
  }
  return records.length;
}

async function runInBackground(
  rt: CardActionsRuntime,
  click: BackgroundClick,
  incident: Incident,
  action: LongAction,
  cardId: string,
  reference: Partial<ConversationReference>,
  viewPromise: Promise<IncidentCardView>,
): Promise<void> {
  const record: JobRecord = {
    state: 'running',
    action,
    incidentName: incident.name,
    incidentNumber: incident.number,
    cardActivityId: cardId,
    planId: click.planId,
    startedBy: { name: click.actor.name, aadObjectId: click.actor.aadObjectId },
    startedAt: rt.now().toISOString(),
    resume: { reference, actor: click.actor, tenantId: click.tenantId },
  };
  await rt.jobs.write(record);
  if (click.cardActivityId) {
    const view = await viewPromise.catch((): IncidentCardView => ({ incident }));
    await rt.cards
      .updateLater(reference, click.cardActivityId, workingCard(view, action, click.actor.name))
      .catch((err: unknown) =>
        log.warn({ err, incident: incident.number }, 'working card not shown to everyone'),
      );
  }

  let finished: Finished;
  try {
    finished = await perform(rt, click, incident, action, reference);
    await rt.jobs.write({
      ...record,
      state: 'done',
      finishedAt: rt.now().toISOString(),
      note: finished.note,
      result: finished.result,
    });
    auditClick(
      click,
      incident,
      action,
      wroteSomething(finished.result) ? 'written' : 'unchanged',
      finished.result,
    );
  } catch (err) {
    finished = { note: `${FAILED[action]}: ${failureText(rt, err)}`, result: {} };
    // A failed record lets the next click try again (nothing was done, or the ids make a redo harmless).
    await rt.jobs.write({
      ...record,
      state: 'failed',
      finishedAt: rt.now().toISOString(),
      note: finished.note,
    });
    auditClick(click, incident, action, 'failed', {
      error: err instanceof Error ? err.message : String(err),
    });
  }
  const view = (await loadCardView(rt.deps.sentinel, incident.number).catch(() => undefined)) ?? { incident };
  const card = renderActionCard(view, {
    actions: rt.buttons,
    note: finished.note,
    tasksAdded: finished.tasksAdded,
    tasksSkipped: finished.tasksSkipped,
    plan: finished.plan,
  });
  await rt.cards.updateLater(reference, click.cardActivityId, card);
}

async function perform(
  rt: CardActionsRuntime,
  click: BackgroundClick,
  incident: Incident,
  action: LongAction,
  reference: Partial<ConversationReference>,
): Promise<Finished> {
  const by = `${click.actor.name}, ${clockText(rt.now())}`;
  const budget = rt.deps.config.promptTokenBudget;
  const data = await rt.incidentData.get(incident.name);
  if (!data) throw new SentinelError('NotFound', `Incident #${incident.number} no longer exists`);
  switch (action) {
    case 'addTasks':
      return proposeTasks(rt, incident, data, await rt.understandings.get(data), by);
    case 'addPlannedTasks':
      return addPlannedTasks(rt, incident, data, click.planId, click.actor.name, by);
    case 'analyze': {
      const understanding = await rt.understandings.get(data);
      const analysis = await analyzeIncident(data, understanding, rt.model, budget);
      await rt.analyses.save(analysis);
      // The tasks go with the analysis: shown in it with their why, and on the card with the button.
      const proposal = await proposeTasks(rt, incident, data, understanding, by).catch((err: unknown) => {
        log.warn({ err, incident: incident.number }, 'analysis posted without proposed tasks');
        return undefined;
      });
      const text = analysisMessageText(analysis, incident.number, click.actor.name);
      await rt.cards.postLater(reference, click.cardActivityId, {
        type: 'message',
        textFormat: 'markdown',
        text: proposal ? `${text}\n\n${planMarkdown(proposal.plan)}` : text,
      });
      const n = proposal?.plan.tasks.length ?? 0;
      return {
        note: `Analysis posted in this conversation by ${by}${n > 0 ? `; ${n} task${n === 1 ? '' : 's'} proposed below` : ''}`,
        plan: proposal?.plan,
        result: {
          analysisId: analysis.id,
          engine: analysis.engine,
          source: analysis.source,
          planId: proposal?.plan.id,
        },
      };
    }
    case 'postComment': {
      const analysis: IncidentAnalysis =
        (await rt.analyses.recent(incident.name)) ??
        (await analyzeIncident(data, await rt.understandings.get(data), rt.model, budget));
      await rt.analyses.save(analysis);
      const messages = commentMessages(analysis, click.actor.name);
      const ids: string[] = [];
      for (const [i, text] of messages.entries()) {
        const id = commentId(incident.name, analysis.id, messages.length > 1 ? i + 1 : 0);
        await rt.deps.sentinel.createComment(incident.name, id, text);
        ids.push(id);
      }
      rt.incidentData.invalidate(incident.name);
      const parts = messages.length > 1 ? ` in ${messages.length} parts` : '';
      return {
        note: `Analysis posted as a Sentinel comment${parts} by ${by}`,
        result: { commentIds: ids, analysisId: analysis.id, engine: analysis.engine },
      };
    }
  }
}

function wroteSomething(result: Record<string, unknown>): boolean {
  const ids = result.taskIds ?? result.commentIds;
  return Array.isArray(ids) && ids.length > 0;
}

function failureText(rt: CardActionsRuntime, err: unknown): string {
  if (err instanceof PlanNotFoundError)
    return 'those proposed tasks are no longer stored (proposals expire after 30 days). Nothing was written; press Add tasks for a new proposal.';
  if (err instanceof RemediationTasksError) {
    const what =
      err.kind === 'InvalidJson'
        ? "the model's answer was not valid JSON"
        : "the model's answer did not have the expected task list";
    return `${what}. No tasks were written; try again.`;
  }
  if (err instanceof ModelCallError) return `${err.reason}. Nothing was written; try again.`;
  if (isSentinelError(err)) {
    return sentinelErrorReply(err, {
      workspaceName: rt.deps.config.sentinel.workspace.workspaceName,
      operation: 'write',
    });
  }
  return 'something went wrong on my side. Try again.';
}
