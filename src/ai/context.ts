import { countTokens } from 'gpt-tokenizer';
import type { Alert } from '../domain/types';
import type { IncidentData } from './incidentData';
import {
  activityWindow,
  type AlertGroup,
  cmp,
  groupAlerts,
  isString,
  rankEntities,
  type RankedEntity,
  uniqSorted,
} from './incidentFacts';
import { renderUnderstanding, UNDERSTANDING_LEVELS, type UnderstandingDetail } from './contextUnderstanding';
import { sortTactics } from './mitre';
import type { IncidentUnderstanding } from './understanding/types';
import { flatten, oneLine, wrapAsData } from './spotlight';

/**
 * Turns an incident's data into prompt text within a token budget. Large incidents (hundreds of alerts,
 * thousands of entities) are compacted by collapsing duplicates and then lowering detail step by step;
 * what analysts ask about most is never dropped: every tactic and technique, every distinct alert name
 * with its count, first/last activity, and the most frequent entities of each kind.
 */

export const DEFAULT_PROMPT_TOKEN_BUDGET = 6000;

export interface ContextEvidence {
  alertIds: Set<string>;
  alertNames: Set<string>;
  entityNames: Set<string>;
}

export interface BuiltIncidentContext {
  /** The incident data wrapped in the data delimiters (see spotlight.ts). */
  text: string;
  /** o200k tokens of `text` (gpt-4o family). */
  tokens: number;
  /** What the prompt shows, so answers citing anything else can be flagged. */
  evidence: ContextEvidence;
  /** 0 = full detail; higher = more compacted. */
  detailLevel: number;
}

export interface BuildContextOptions {
  budgetTokens?: number;
  /** Roles, counts, log findings, done/open items: included when given (every caller should give it). */
  understanding?: IncidentUnderstanding;
}

/** o200k_base token count (gpt-tokenizer's default encoding is o200k_base, the gpt-4o family's). */
export function countPromptTokens(text: string): number {
  return countTokens(text);
}

interface Detail {
  incidentDescription: number;
  alertDescription: number;
  idsPerAlertName: number;
  entitiesPerKind: number;
  entityProperties: boolean;
  comments: number;
  commentChars: number;
  tasks: number;
}

const LEVELS: readonly Detail[] = [
  {
    incidentDescription: 1500,
    alertDescription: 400,
    idsPerAlertName: 5,
    entitiesPerKind: 25,
    entityProperties: true,
    comments: 10,
    commentChars: 500,
    tasks: 20,
  },
  {
    incidentDescription: 800,
    alertDescription: 200,
    idsPerAlertName: 3,
    entitiesPerKind: 15,
    entityProperties: true,
    comments: 6,
    commentChars: 300,
    tasks: 12,
  },
  {
    incidentDescription: 500,
    alertDescription: 120,
    idsPerAlertName: 2,
    entitiesPerKind: 10,
    entityProperties: false,
    comments: 4,
    commentChars: 200,
    tasks: 8,
  },
  {
    incidentDescription: 300,
    alertDescription: 60,
    idsPerAlertName: 1,
    entitiesPerKind: 6,
    entityProperties: false,
    comments: 3,
    commentChars: 120,
    tasks: 5,
  },
  {
    incidentDescription: 150,
    alertDescription: 0,
    idsPerAlertName: 1,
    entitiesPerKind: 4,
    entityProperties: false,
    comments: 2,
    commentChars: 80,
    tasks: 3,
  },
  {
    incidentDescription: 0,
    alertDescription: 0,
    idsPerAlertName: 0,
    entitiesPerKind: 2,
    entityProperties: false,
    comments: 0,
    commentChars: 0,
    tasks: 0,
  },
  {
    incidentDescription: 0,
    alertDescription: 0,
    idsPerAlertName: 0,
    entitiesPerKind: 1,
    entityProperties: false,
    comments: 0,
    commentChars: 0,
    tasks: 0,
  },
];

// Follow-up questions reuse the cached alert list (same array) while the incident is unchanged; building
// a large incident's context costs tens of milliseconds, so the result is memoised on that array.
const memo = new WeakMap<readonly Alert[], Map<string, BuiltIncidentContext>>();

export function buildIncidentContext(
  data: IncidentData,
  options: BuildContextOptions = {},
): BuiltIncidentContext {
  const budget = options.budgetTokens ?? DEFAULT_PROMPT_TOKEN_BUDGET;
  const i = data.incident;
  const key = [
    budget,
    i.name,
    i.etag ?? '',
    i.lastModifiedTimeUtc,
    i.status,
    i.severity,
    data.entities.length,
    data.comments.length,
    data.tasks.length,
    options.understanding?.version ?? '',
    options.understanding ? options.understanding.logStatus.ran.length : '',
  ].join('|');
  const byKey = memo.get(data.alerts) ?? new Map<string, BuiltIncidentContext>();
  memo.set(data.alerts, byKey);
  const hit = byKey.get(key);
  if (hit) return cloneBuilt(hit);
  const built = buildUncached(data, budget, options.understanding);
  if (byKey.size >= 4) byKey.clear();
  byKey.set(key, built);
  return cloneBuilt(built);
}

function cloneBuilt(b: BuiltIncidentContext): BuiltIncidentContext {
  return {
    ...b,
    evidence: {
      alertIds: new Set(b.evidence.alertIds),
      alertNames: new Set(b.evidence.alertNames),
      entityNames: new Set(b.evidence.entityNames),
    },
  };
}

function buildUncached(
  data: IncidentData,
  budget: number,
  u: IncidentUnderstanding | undefined,
): BuiltIncidentContext {
  const groups = groupAlerts(data.alerts);
  const entities = rankEntities(data.entities, data.alerts);
  let last: BuiltIncidentContext | undefined;
  for (let level = 0; level < LEVELS.length; level++) {
    const evidence: ContextEvidence = { alertIds: new Set(), alertNames: new Set(), entityNames: new Set() };
    const body = render(
      data,
      groups,
      entities,
      LEVELS[level] as Detail,
      evidence,
      u && (UNDERSTANDING_LEVELS[level] ?? UNDERSTANDING_LEVELS[UNDERSTANDING_LEVELS.length - 1]),
      u,
    );
    const text = wrapAsData(body);
    const tokens = countPromptTokens(text);
    last = { text, tokens, evidence, detailLevel: level };
    if (tokens <= budget) return last;
  }
  // Even the most compact form is over budget (thousands of distinct alert names): return it anyway; the
  // caller logs it and the model's own max_input_tokens is the final guard.
  return last as BuiltIncidentContext;
}

function render(
  data: IncidentData,
  groups: AlertGroup[],
  entities: Map<string, RankedEntity[]>,
  d: Detail,
  evidence: ContextEvidence,
  understanding?: UnderstandingDetail,
  u?: IncidentUnderstanding,
): string {
  const i = data.incident;
  const lines: string[] = [];
  const activity = activityWindow(data);
  lines.push(`INCIDENT #${i.number}: ${oneLine(i.title, 300)}`);
  lines.push(
    `severity: ${i.severity} | status: ${i.status} | classification: ${i.classification ?? 'none'}${i.classificationReason ? ` (${i.classificationReason})` : ''} | owner: ${oneLine(i.owner.assignedTo ?? i.owner.userPrincipalName ?? i.owner.email ?? 'unassigned', 120)}`,
  );
  lines.push(
    `created: ${i.createdTimeUtc} | first activity: ${activity.first ?? 'unknown'} | last activity: ${activity.last ?? 'unknown'} | last modified: ${i.lastModifiedTimeUtc}`,
  );
  lines.push(`tactics: ${list(sortTactics([...i.tactics, ...data.alerts.flatMap((a) => a.tactics)]))}`);
  lines.push(
    `techniques: ${list(uniqSorted([...i.techniques, ...data.alerts.flatMap((a) => a.techniques)]))}`,
  );
  lines.push(
    `products: ${list(uniqSorted([...i.alertProductNames, ...data.alerts.map((a) => a.productName)].filter((p) => p.length > 0)))}`,
  );
  if (i.labels.length > 0) lines.push(`labels: ${list(i.labels.map((l) => oneLine(l, 60)))}`);
  if (i.classificationComment) lines.push(`classification comment: ${flatten(i.classificationComment, 300)}`);
  if (d.incidentDescription > 0 && i.description.trim())
    lines.push(`description: ${flatten(i.description, d.incidentDescription)}`);
  if (data.unavailable.length > 0)
    lines.push(`not available (could not be read): ${data.unavailable.join(', ')}`);
  if (understanding && u) lines.push(...renderUnderstanding(u, understanding));

  lines.push('');
  lines.push(
    `ALERTS: ${data.alerts.length} (${groups.length} distinct name${groups.length === 1 ? '' : 's'}; same-name alerts collapsed)`,
  );
  for (const g of groups) {
    evidence.alertNames.add(g.displayName);
    const ids = g.ids.slice(0, d.idsPerAlertName);
    ids.forEach((id) => evidence.alertIds.add(id));
    const more = g.ids.length - ids.length;
    const parts = [
      `- "${g.displayName}" x${g.count}`,
      g.severity,
      g.first || g.last ? `${g.first ?? '?'} .. ${g.last ?? '?'}` : 'time unknown',
    ];
    if (g.tactics.length) parts.push(`tactics ${g.tactics.join(',')}`);
    if (g.techniques.length) parts.push(`techniques ${g.techniques.join(',')}`);
    if (d.alertDescription > 0 && g.products.length)
      parts.push(`product ${g.products.map((p) => oneLine(p, 60)).join(',')}`);
    if (ids.length) parts.push(`alert ids ${ids.join(',')}${more > 0 ? ` (+${more} more)` : ''}`);
    lines.push(parts.join(' | '));
    if (d.alertDescription > 0 && g.description)
      lines.push(`  description: ${flatten(g.description, d.alertDescription)}`);
    if (d.alertDescription > 0 && g.compromisedEntities.length) {
      lines.push(
        `  compromised entity: ${g.compromisedEntities
          .slice(0, 5)
          .map((e) => oneLine(e, 120))
          .join(', ')}`,
      );
    }
  }

  const uniqueCount = [...entities.values()].reduce((n, l) => n + l.length, 0);
  lines.push('');
  lines.push(
    `ENTITIES: ${data.entities.length} (${uniqueCount} after removing duplicates; most frequent first)`,
  );
  for (const [kind, list_] of entities) {
    const shown = list_.slice(0, d.entitiesPerKind);
    const more = list_.length - shown.length;
    const items = shown.map((e) => {
      evidence.entityNames.add(e.name);
      const props = d.entityProperties ? entityDetail(kind, e.properties) : '';
      return `${e.name}${e.frequency > 1 ? ` (x${e.frequency})` : ''}${props ? ` [${props}]` : ''}`;
    });
    lines.push(`${kind} (${list_.length}): ${items.join('; ')}${more > 0 ? `; +${more} more` : ''}`);
  }

  if (d.comments > 0 && data.comments.length > 0) {
    const recent = [...data.comments].sort(
      (a, b) => cmp(b.createdTimeUtc ?? '', a.createdTimeUtc ?? '') || cmp(a.name, b.name),
    );
    lines.push('');
    lines.push(`COMMENTS: ${data.comments.length} (most recent first)`);
    for (const c of recent.slice(0, d.comments)) {
      const who = oneLine(c.author.name ?? c.author.userPrincipalName ?? c.author.email ?? 'unknown', 80);
      lines.push(`- ${c.createdTimeUtc ?? '?'} ${who}: ${flatten(stripHtml(c.message), d.commentChars)}`);
    }
  } else if (data.comments.length > 0) {
    lines.push('', `COMMENTS: ${data.comments.length} (omitted for space)`);
  }

  if (d.tasks > 0 && data.tasks.length > 0) {
    lines.push('');
    lines.push(`TASKS: ${data.tasks.length}`);
    for (const t of data.tasks.slice(0, d.tasks)) lines.push(`- [${t.status}] ${oneLine(t.title, 150)}`);
  } else if (data.tasks.length > 0) {
    lines.push('', `TASKS: ${data.tasks.length} (omitted for space)`);
  }
  return lines.join('\n');
}

const PROPERTY_KEYS: Record<string, string[]> = {
  Account: ['upnSuffix', 'ntDomain', 'aadUserId', 'isDomainJoined'],
  Host: ['hostName', 'dnsDomain', 'osFamily', 'osVersion'],
  Ip: ['address', 'location'],
  Url: ['url'],
  FileHash: ['algorithm', 'hashValue'],
  File: ['directory', 'fileName'],
  Process: ['commandLine', 'processId'],
  Mailbox: ['mailboxPrimaryAddress'],
  MailMessage: ['sender', 'subject', 'recipient'],
  CloudApplication: ['appId', 'instanceName'],
  AzureResource: ['resourceId'],
};

function entityDetail(kind: string, properties: Record<string, unknown>): string {
  const keys = PROPERTY_KEYS[kind] ?? [];
  const parts: string[] = [];
  for (const k of keys) {
    const v = properties[k];
    if (typeof v === 'string' && v.trim()) parts.push(`${k}=${oneLine(v, 160)}`);
    else if (typeof v === 'number' || typeof v === 'boolean') parts.push(`${k}=${String(v)}`);
    else if (k === 'location' && v && typeof v === 'object') {
      const loc = v as Record<string, unknown>;
      const where = [loc.city, loc.countryCode ?? loc.countryName].filter(isString).join(', ');
      if (where) parts.push(`location=${oneLine(where, 60)}`);
    }
  }
  return parts.join(', ');
}

function stripHtml(s: string): string {
  return s.replace(/<br\s*\/?>/gi, '\n').replace(/<\/?(p|div|span|b|i|strong|em|u)\b[^>]*>/gi, '');
}

function list(items: string[]): string {
  return items.length ? items.join(', ') : 'none';
}
