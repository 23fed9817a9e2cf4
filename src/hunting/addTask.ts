import { createHash } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { actorOf } from '../authz/responders';
import { sentinelErrorReply } from '../bot/sentinelErrorReplies';
import { validateKql } from '../kql/validator';
import { getLogger } from '../logger';
import { isSentinelError } from '../sentinel/errors';
import { loadClickedQuery, queryCard, type HuntClickOutcome } from './runHunt';
import { clockTime, type HuntingRuntime } from './runtime';

const log = getLogger('hunting.addTask');

const MAX_TASK_TITLE = 150;
const MAX_QUERY_IN_TASK = 3_000;

/** Same incident + same query → same task id, so a double click (or a Teams retry) adds one task. */
export function huntTaskId(incidentName: string, query: string): string {
  const hex = createHash('sha256').update(`${incidentName}\n${query}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function huntTaskTitle(title: string): string {
  const full = `Hunt: ${title.replace(/\s+/g, ' ').trim()}`;
  return full.length > MAX_TASK_TITLE ? `${full.slice(0, MAX_TASK_TITLE - 1)}…` : full;
}

/** Plain text: the gateway HTML-escapes every field it writes (the query holds alert values). */
export function huntTaskDescription(why: string, query: string, addedBy: string): string {
  const shownQuery = query.length > MAX_QUERY_IN_TASK ? `${query.slice(0, MAX_QUERY_IN_TASK)}\n…` : query;
  return [why, '', 'Query:', shownQuery, '', `Added from Teams by ${addedBy}`].join('\n');
}

/** Add as task: saves the stored query into its incident as a Sentinel task (write access required). */
export async function addHuntTask(
  rt: HuntingRuntime,
  context: TurnContext,
  data: unknown,
): Promise<HuntClickOutcome> {
  const stored = await loadClickedQuery(rt, context, data, true);
  if (typeof stored === 'string') return { kind: 'message', text: stored };
  const actor = actorOf(context.activity);
  const taskId = huntTaskId(stored.incidentName, stored.query);
  const title = huntTaskTitle(stored.title);
  const workspaceName = rt.deps.config.sentinel.workspace.workspaceName;
  try {
    const existing = await rt.deps.sentinel.listTasks(stored.incidentName);
    const when = clockTime(rt.now());
    const schema = await rt.schema.getSchema();
    const { tables } = await validateKql(stored.query, schema);
    if (existing.some((t) => t.name === taskId)) {
      return queryCard(
        rt,
        stored,
        schema,
        tables,
        `Already a task in incident #${stored.incidentNumber} (“${title}”).`,
      );
    }
    await rt.deps.sentinel.upsertTask(stored.incidentName, taskId, {
      title,
      description: huntTaskDescription(stored.why, stored.query, actor.name),
      status: 'New',
    });
    log.info({ incident: stored.incidentNumber, taskId }, 'hunt query added as task');
    return queryCard(
      rt,
      stored,
      schema,
      tables,
      `Added as a task to incident #${stored.incidentNumber} at ${when} by ${actor.name}.`,
    );
  } catch (err) {
    if (!isSentinelError(err)) throw err;
    return { kind: 'message', text: sentinelErrorReply(err, { workspaceName, operation: 'write' }) };
  }
}
