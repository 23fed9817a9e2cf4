import { clip, oneLine } from '../spotlight';
import type { ActionKind, EntityUnderstanding, Evidence } from '../understanding/types';
import { evidenceLine } from './text';
import { MAX_TASK_TITLE, type ActionTarget, type RemediationAction, type Urgency } from './types';

/** A plan entry before the guard: built by the rules in planIdentity.ts and planInfrastructure.ts. */
export interface Draft {
  action: ActionKind;
  targets: EntityUnderstanding[];
  urgency: Urgency;
  title: string;
  why: string;
  steps: string[];
  evidence: Evidence[];
  source?: RemediationAction['source'];
}

/** A draft about one or more entities, its why taken from the first entity's strongest evidence. */
export function about(
  action: ActionKind,
  targets: EntityUnderstanding[],
  urgency: Urgency,
  title: string,
  steps: string[],
  why?: string,
): Draft {
  const first = targets[0];
  return {
    action,
    targets,
    urgency,
    title,
    why: why ?? (first ? whyOf(first) : ''),
    steps,
    evidence: targets.flatMap((e) => e.evidence.slice(0, targets.length > 1 ? 1 : 3)).slice(0, 4),
  };
}

export function whyOf(e: EntityUnderstanding): string {
  return evidenceLine(e.evidence[0], `${e.name} is ${e.role}`);
}

export function valueOf(e: EntityUnderstanding): string {
  return e.value ?? e.name;
}

/** "a, b, c +2 more": resources by name, everything else by the value an analyst acts on. */
export function listNames(entities: readonly EntityUnderstanding[], max = 4): string {
  const names = entities.map((e) => (e.kind === 'AzureResource' ? e.name : valueOf(e)));
  return names.length > max
    ? `${names.slice(0, max).join(', ')} +${names.length - max} more`
    : names.join(', ');
}

export function by(role: string, ...kinds: string[]) {
  return (e: EntityUnderstanding) => e.role === role && (kinds.length === 0 || kinds.includes(e.kind));
}

function target(e: EntityUnderstanding): ActionTarget {
  return { key: e.key, kind: e.kind, value: valueOf(e), name: e.name };
}

export function finish(d: Draft): RemediationAction {
  const targets = d.targets.map(target);
  return {
    action: d.action,
    target: targets[0],
    targets,
    urgency: d.urgency,
    title: clip(oneLine(d.title, 400), MAX_TASK_TITLE),
    why: clip(oneLine(d.why, 300), 240),
    steps: d.steps.map((s) => oneLine(s, 600)),
    evidence: d.evidence.slice(0, 4),
    source: d.source ?? 'builtin',
  };
}
