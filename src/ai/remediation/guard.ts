import { actionsInText } from '../understanding/actions';
import {
  hostOfUrl,
  isFirstPartyHost,
  isOrgHost,
  isPrivateAddress,
  isWindowsBinaryName,
  isWindowsFolder,
  refang,
  type Subject,
} from '../understanding/subjects';
import {
  actionTraits,
  type ActionKind,
  type EntityUnderstanding,
  type IncidentUnderstanding,
} from '../understanding/types';
import { subjectsOf } from '../understanding/understand';
import type { ActionTarget, GuardRule } from './types';

/**
 * The must-not guard. Every proposed action passes it, whatever wrote it (the built-in plan, an alert's
 * remediation steps, a language model): an action that would block a legitimate or victim address,
 * block or delete a Windows binary, delete a first-party app or the organisation's own site, act on a
 * host when the incident has none, treat a victim as the attacker, contain anything in an incident
 * closed as benign or false positive, or redo what is already done — is refused, with the reason.
 */

export type GuardVerdict = { ok: true } | { ok: false; rule: GuardRule; reason: string };

const BLOCKS: ReadonlySet<ActionKind> = new Set(['block-ip', 'block-url', 'block-sender', 'block-hash']);
const isHost = (a: ActionKind) => actionTraits(a).host === true;
const isContainment = (a: ActionKind) => actionTraits(a).contain === true;
const isDestructive = (a: ActionKind) => actionTraits(a).destructive === true;
const CREDENTIAL_ACTIONS: ReadonlySet<ActionKind> = new Set([
  'reset-password',
  'revoke-sessions',
  'disable-account',
]);

/** The understanding's entity a target refers to: by key, else by its value or name. */
export function resolveTarget(
  target: ActionTarget,
  u: IncidentUnderstanding,
): EntityUnderstanding | undefined {
  if (target.key) {
    const byKey = u.entities.find((e) => e.key === target.key);
    if (byKey) return byKey;
  }
  const v = refang(target.value).trim().toLowerCase();
  return (
    u.entities.find((e) => e.value !== undefined && e.value.toLowerCase() === v) ??
    u.entities.find((e) => e.aliases.includes(v))
  );
}

const refuse = (rule: GuardRule, reason: string): GuardVerdict => ({ ok: false, rule, reason });

function fileTargetProblem(
  t: ActionTarget,
  e: EntityUnderstanding | undefined,
  u: IncidentUnderstanding,
): GuardVerdict | undefined {
  // A hash nothing ties to a file, in an incident that lists a Windows binary, may be that binary's.
  const unattributed =
    e?.kind === 'FileHash' && !e.sameAs.some((k) => u.entities.some((x) => x.key === k && x.kind === 'File'));
  if (
    unattributed &&
    u.entities.some((x) => x.kind === 'File' && x.flags.systemBinary && !x.flags.masquerading)
  )
    return refuse(
      'system-binary',
      `nothing in the data ties ${e.name} to a file, and the incident lists a Windows binary: confirm whose hash it is before blocking it`,
    );
  if (e?.flags.systemBinary && !e.flags.masquerading)
    return refuse(
      'system-binary',
      `${e.name} is a Windows system binary: restrict its misuse instead of blocking it`,
    );
  const value = refang(t.value).trim();
  const name = value.split(/[\\/]/).pop() ?? value;
  const folder = value.includes('\\') ? value.slice(0, value.lastIndexOf('\\')) : undefined;
  if (folder !== undefined && isWindowsFolder(folder))
    return refuse(
      'system-binary',
      `${value} is in the Windows folder: blocking or deleting it breaks Windows`,
    );
  if (folder === undefined && isWindowsBinaryName(name) && !/^[0-9a-f]{32,64}$/i.test(name))
    return refuse(
      'system-binary',
      `${name} is the name of a Windows binary: act on the exact path or hash of the malicious copy`,
    );
  return undefined;
}

function networkTargetProblem(
  action: ActionKind,
  t: ActionTarget,
  e: EntityUnderstanding | undefined,
  u: IncidentUnderstanding,
): GuardVerdict | undefined {
  const value = refang(t.value).trim().toLowerCase();
  if (t.kind === 'Ip' || /^\d{1,3}(\.\d{1,3}){3}$/.test(value)) {
    if (isPrivateAddress(value)) return refuse('legitimate-target', `${value} is an internal address`);
  }
  const host =
    t.kind === 'Url' || /^[a-z]+:\/\//.test(value)
      ? hostOfUrl(value)
      : t.kind === 'Email'
        ? value.split('@')[1]
        : value;
  if (host && /[a-z]/.test(host) && (e?.flags.orgOwned || isOrgHost(host, u.orgDomains)))
    return refuse('first-party-or-own', `${host} is the organisation's own domain or site`);
  if (
    host &&
    /[a-z]/.test(host) &&
    (e?.flags.firstParty || isFirstPartyHost(host)) &&
    action !== 'block-sender'
  )
    return refuse('first-party-or-own', `${host} is a Microsoft service domain`);
  return undefined;
}

/** One action against one target. */
function guardTarget(action: ActionKind, t: ActionTarget, u: IncidentUnderstanding): GuardVerdict {
  const e = resolveTarget(t, u);
  if (action === 'block-hash' || action === 'quarantine-file') {
    const problem = fileTargetProblem(t, e, u);
    if (problem) return problem;
  }
  if (BLOCKS.has(action)) {
    const problem = networkTargetProblem(action, t, e, u);
    if (problem) return problem;
    if (action === 'block-sender' && e && (e.kind === 'Mailbox' || e.kind === 'Account' || e.flags.recipient))
      return refuse('victim-as-attacker', `${e.name} is a recipient mailbox (the victim), not the sender`);
    if (e && (e.kind === 'Account' || e.kind === 'Mailbox') && e.role !== 'attacker')
      return refuse(
        'victim-as-attacker',
        `${e.name} is ${e.role === 'targeted' ? 'a targeted user' : `a ${e.role} account`}, not attacker infrastructure`,
      );
    if (!e) return refuse('unknown-indicator', `${t.value} is not an indicator in this incident's data`);
  }
  if ((action === 'delete-app' || action === 'delete-resource') && e) {
    if (e.flags.firstParty)
      return refuse('first-party-or-own', `${e.name} is a Microsoft first-party application`);
    if (e.flags.scope)
      return refuse(
        'first-party-or-own',
        `${e.name} is a subscription or resource group, not a resource the attacker created`,
      );
    if (e.role !== 'attacker')
      return refuse('first-party-or-own', `${e.name} was not created by the attacker (role: ${e.role})`);
  }
  if (e && isDestructive(action) && e.role === 'legitimate')
    return refuse(
      'legitimate-target',
      `${e.name} is legitimate: ${e.evidence[0]?.text ?? 'by the evidence'}`,
    );
  if (e && CREDENTIAL_ACTIONS.has(action) && e.role === 'targeted' && !e.flags.clicked)
    return refuse(
      'victim-as-attacker',
      `${e.name} was only targeted (no successful sign-in): review and notify instead of resetting`,
    );
  if (e && isHost(action) && e.kind !== 'Host') return refuse('no-host', `${e.name} is not a host`);
  const done = u.done.find(
    (d) => d.action === action && (d.targetKey === undefined ? false : d.targetKey === e?.key),
  );
  if (done) return refuse('already-done', `already done: ${done.evidence.text}`);
  return { ok: true };
}

/**
 * The verdict for one action on its targets. A target-less action is checked against the incident:
 * host steps need a host, containment needs an incident that is not closed as benign.
 */
export function guardAction(
  action: ActionKind,
  targets: readonly ActionTarget[],
  u: IncidentUnderstanding,
): GuardVerdict {
  if (u.benign !== undefined && isContainment(action))
    return refuse(
      'closed-incident',
      u.benign?.by === 'classification'
        ? `the incident is classified ${u.classification ?? 'benign'}: no containment`
        : `the analysts say the activity is expected (${u.benign?.evidence.ref ?? 'comments'}): no containment`,
    );
  if (isHost(action) && !u.entities.some((e) => e.kind === 'Host'))
    return refuse('no-host', 'the incident has no host');
  if (targets.length === 0) {
    const done = u.done.find((d) => d.action === action && d.targetKey === undefined);
    if (done && isContainment(action)) return refuse('already-done', `already done: ${done.evidence.text}`);
    return { ok: true };
  }
  for (const t of targets) {
    const verdict = guardTarget(action, t, u);
    if (!verdict.ok) return verdict;
  }
  return { ok: true };
}

/** Every action a piece of text (a task title, a step, a model's sentence) would take, checked. */
export function guardText(
  text: string,
  u: IncidentUnderstanding,
  subjects: readonly Subject[] = subjectsOf(u),
): GuardVerdict {
  for (const a of actionsInText(text, subjects)) {
    const said = a.target?.said?.trim() ?? '';
    if (
      (a.action === 'block-hash' || a.action === 'quarantine-file') &&
      !/[\\/]/.test(said) &&
      isWindowsBinaryName(said)
    )
      return refuse(
        'system-binary',
        `${said} names a Windows binary, not the malicious copy: act on its full path or hash`,
      );
    const target: ActionTarget[] = a.target
      ? [{ key: a.target.key, kind: a.target.kind, value: a.target.value, name: a.target.value }]
      : [];
    const verdict = guardAction(a.action, target, u);
    if (!verdict.ok) return verdict;
  }
  return { ok: true };
}
