/**
 * The incident as an analyst understands it: who is the attacker, who was hit, what is done, what is
 * open, what the numbers are, and — for every claim — the evidence an analyst can check. Built once per
 * incident version (`understandIncident`) and used by every path: the built-in analyst, the model's
 * context, the remediation plan and its must-not guard, Analyze and the task cards. Queue features and
 * automatic triage read the same object (see `verdict`).
 */

/**
 * What an entity is in this incident.
 * - attacker: attacker infrastructure or tooling (source IPs, phishing URLs and senders, C2 domains,
 *   malicious files and processes, accounts and resources the attacker created).
 * - compromised: an identity or machine the attacker controlled (successful sign-in, code executed).
 * - targeted: attacked but not shown to be compromised (sprayed accounts, phishing recipients, a host
 *   that was brute-forced without success). Never a sender or source to block.
 * - insider: acted with their own legitimate access (insider risk); not an outside compromise.
 * - affected: an asset involved or harmed (the site data was taken from, a subscription in scope).
 * - legitimate: benign by evidence (a user's routine IP, the corporate VPN egress, a Windows binary,
 *   anything in an incident closed as benign or false positive).
 * - context: involved, role not established by the data.
 */
export const ENTITY_ROLES = [
  'attacker',
  'compromised',
  'targeted',
  'insider',
  'affected',
  'legitimate',
  'context',
] as const;
export type EntityRole = (typeof ENTITY_ROLES)[number];

export type Confidence = 'high' | 'medium' | 'low';

/** Where a piece of evidence comes from, so an analyst knows where to check it. */
export type EvidenceKind =
  'alert' | 'entity' | 'comment' | 'task' | 'classification' | 'logs' | 'description';

export interface Evidence {
  kind: EvidenceKind;
  /** One line: what the evidence says ("8 accounts failed from 185.220.101.45, 1 succeeded"). */
  text: string;
  /** Where to check it: `alert "Password Spray"`, `comment by Marcus Chen, 2026-11-17 01:24 UTC`, `SigninLogs`. */
  ref: string;
}

/** Properties that make an entity unsafe to act on destructively, whatever its role. */
export interface EntityFlags {
  /** A Windows system binary (by path under the Windows folder, or by name when no path is known). */
  systemBinary?: boolean;
  /** A system binary's name in a non-system folder: masquerading. */
  masquerading?: boolean;
  /** A Microsoft first-party application or service. */
  firstParty?: boolean;
  /** The organisation's own domain, site or tenant. */
  orgOwned?: boolean;
  /** RFC 1918 / loopback / link-local address: inside the network. */
  privateAddress?: boolean;
  /** A mailbox or message recipient: a victim of mail, never its sender. */
  recipient?: boolean;
  /** The user clicked a malicious link or opened a malicious file: credentials may be exposed. */
  clicked?: boolean;
  /** A subscription or management-group scope, never a resource to delete. */
  scope?: boolean;
  /** A service principal / application identity rather than a person. */
  servicePrincipal?: boolean;
}

export interface EntityUnderstanding {
  /** Entity id from Sentinel, or `logs:<value>` for a subject only the logs named (a sprayed account). */
  key: string;
  kind: string;
  /** Display name: one line, URLs defanged. */
  name: string;
  /** The real value an action needs (refanged URL, full hash, UPN, address); undefined when unknown. */
  value?: string;
  /** Lower-case identifying strings for matching text (UPN, account name, address, host name, …). */
  aliases: string[];
  role: EntityRole;
  confidence: Confidence;
  /** Evidence for the chosen role first. */
  evidence: Evidence[];
  flags: EntityFlags;
  /** Keys of entities that are the same subject (Account ↔ Mailbox, Host ↔ AzureResource VM). */
  sameAs: string[];
  /** True when the subject is not in the entity list and was found in the logs. */
  fromLogs?: boolean;
}

/**
 * Response actions and what kind of step each is: `host` needs a host to act on; `contain` changes
 * something for users or systems (never done in an incident closed as benign); `destructive` must never
 * hit a legitimate target. The must-not guard reads these traits.
 */
const H = { host: true, contain: true, destructive: true } as const;
const C = { contain: true, destructive: true } as const;
const R = {} as const;
export const ACTION_TRAITS = {
  'isolate-host': H,
  'scan-host': { host: true, contain: true },
  'collect-evidence': { host: true },
  'reimage-host': H,
  'rotate-local-admin': { host: true, contain: true },
  'reset-password': C,
  'revoke-sessions': C,
  'disable-account': C,
  'require-mfa': R,
  'review-mfa-methods': R,
  'block-ip': C,
  'block-url': C,
  'block-sender': C,
  'block-hash': C,
  'quarantine-file': C,
  'purge-mail': C,
  'remove-inbox-rule': { contain: true },
  'block-forwarding': { contain: true },
  'remove-role': { contain: true },
  'delete-resource': C,
  'delete-app': C,
  'rotate-credentials': { contain: true },
  'restrict-access': { contain: true },
  'legal-hold': R,
  notify: R,
  'review-activity': R,
  hunt: R,
  'verify-backups': R,
  'restrict-binary': R,
  'tune-rule': R,
  document: R,
  escalate: R,
} as const satisfies Record<string, { host?: boolean; contain?: boolean; destructive?: boolean }>;
export type ActionKind = keyof typeof ACTION_TRAITS;

export function actionTraits(kind: ActionKind): { host?: boolean; contain?: boolean; destructive?: boolean } {
  return ACTION_TRAITS[kind];
}

/** An action seen in a task or a comment, done or still open. */
export interface ActionRecord {
  action: ActionKind;
  /** Entity key the action applies to; undefined when the text names none. */
  targetKey?: string;
  targetName?: string;
  status: 'done' | 'open';
  evidence: Evidence;
}

/** "8 accounts targeted" with where the number comes from. Never the length of the entity list. */
export interface CountFact {
  /** What is counted, in words: "accounts targeted", "failed sign-ins", "files downloaded". */
  what: string;
  value: number;
  source: Evidence;
}

export type Verdict = 'true-positive' | 'benign-positive' | 'false-positive' | 'undetermined';

/** A triage hint (never a decision): reused by automatic triage. */
export interface VerdictHint {
  verdict: Verdict;
  confidence: Confidence;
  evidence: Evidence[];
}

/** One comment, ready to quote: who, when, what. */
export interface CommentNote {
  author: string;
  when?: string;
  text: string;
}

export interface TaskNote {
  title: string;
  status: 'New' | 'Completed';
  description?: string;
}

export interface IncidentUnderstanding {
  incidentName: string;
  incidentNumber: number;
  /** Changes whenever anything the understanding reads changes. */
  version: string;
  closed: boolean;
  classification?: string;
  entities: EntityUnderstanding[];
  done: ActionRecord[];
  open: ActionRecord[];
  counts: CountFact[];
  verdict: VerdictHint;
  comments: CommentNote[];
  tasks: TaskNote[];
  /** The organisation's own domains (from account UPN suffixes and tenant sites). */
  orgDomains: string[];
  /** Other facts the logs established ("the attacker registered new security info for adele.vance"). */
  findings: Evidence[];
  /** What the log queries did: which ran, which failed (missing evidence is said, never invented). */
  logStatus: LogStatus;
  /**
   * Set when the incident is benign: classified BenignPositive / FalsePositive, or the analysts wrote
   * that it is expected / a false positive and nothing contradicts them. No containment then.
   */
  benign?: { by: 'classification' | 'analysts'; evidence: Evidence };
}

export interface LogStatus {
  ran: string[];
  failed: { name: string; reason: string }[];
  /** True when no log evidence was requested (no gateway, or the caller passed none). */
  skipped: boolean;
}
