import type { IncidentTask } from '../../domain/types';
import { actionsInText } from '../understanding/actions';
import type { Subject } from '../understanding/subjects';
import { decodeEntities, stripMarkup } from '../understanding/text';
import type { ActionKind } from '../understanding/types';
import type { RemediationAction } from './types';

/** Same task whatever the case, spacing, trailing punctuation or HTML escaping of its title. */
export function normaliseTaskTitle(title: string): string {
  return decodeEntities(title)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s.!;:]+$/, '')
    .trim();
}

/** Generic steps match an existing task only on the same target (two different reviews are two tasks). */
const GENERIC: ReadonlySet<ActionKind> = new Set([
  'review-activity',
  'notify',
  'hunt',
  'document',
  'escalate',
]);

/**
 * The existing task (any status) a proposed action repeats: the same normalised title, or the same
 * action on the same target ("Reset password and revoke sessions for adele.vance" covers "Reset the
 * password of adele.vance@contoso.com"). An existing task that names no target covers the action when
 * the action kind matches and the kind is not a generic review.
 */
export function matchExistingTask(
  action: Pick<RemediationAction, 'action' | 'title' | 'targets'>,
  tasks: readonly IncidentTask[],
  subjects: readonly Subject[],
): IncidentTask | undefined {
  const title = normaliseTaskTitle(action.title);
  const keys = new Set(action.targets.map((t) => t.key).filter((k): k is string => k !== undefined));
  for (const task of tasks) {
    if (normaliseTaskTitle(task.title) === title) return task;
    const fromTitle = actionsInText(decodeEntities(task.title), subjects);
    const existing =
      fromTitle.length > 0 ? fromTitle : actionsInText(stripMarkup(task.description ?? ''), subjects);
    for (const e of existing) {
      if (e.action !== action.action) continue;
      if (e.target?.key !== undefined && keys.has(e.target.key)) return task;
      if (GENERIC.has(e.action)) continue;
      if (e.target === undefined || keys.size === 0) return task;
    }
  }
  return undefined;
}
