import type { ActionKind, Evidence } from '../understanding/types';

/**
 * Remediation as typed actions: what to do, to what, how urgently, and why — not prose per entity
 * type. The built-in plan and a model's tasks both become these, and both pass the same must-not
 * guard before anyone sees them.
 */

/** Contain an active threat first, then the rest, in this order. */
export const URGENCIES = ['contain-now', 'high', 'normal', 'follow-up'] as const;
export type Urgency = (typeof URGENCIES)[number];

export interface ActionTarget {
  /** Entity key in the understanding; undefined for a value only the text named. */
  key?: string;
  kind: string;
  /** The real value the action needs: refanged URL, full hash, UPN, address, resource id. */
  value: string;
  /** Display name (URLs defanged). */
  name: string;
}

export interface RemediationAction {
  action: ActionKind;
  /** First target (most actions have one); `targets` holds all for grouped actions. */
  target?: ActionTarget;
  targets: ActionTarget[];
  urgency: Urgency;
  /** Task title as written to Sentinel (≤ 150 characters, real values). */
  title: string;
  /** One line: why this task, citing the evidence ("adele.vance signed in from 185.220.101.45 (SigninLogs)"). */
  why: string;
  steps: string[];
  evidence: Evidence[];
  source: 'builtin' | 'alert' | 'model';
}

/** A proposed action the guard refused, with the rule and the reason (shown to analysts, logged). */
export interface RefusedAction {
  title: string;
  rule: GuardRule;
  reason: string;
}

export const GUARD_RULES = [
  'closed-incident',
  'legitimate-target',
  'victim-as-attacker',
  'system-binary',
  'first-party-or-own',
  'no-host',
  'already-done',
  'unknown-indicator',
] as const;
export type GuardRule = (typeof GUARD_RULES)[number];

export interface RemediationPlan {
  actions: RemediationAction[];
  refused: RefusedAction[];
  /** Proposed but already on the incident as a task (any status): not proposed again. */
  alreadyTasked: { title: string; existing: string }[];
  engine: string;
}

export const MAX_TASK_TITLE = 150;
