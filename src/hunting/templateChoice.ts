import { isIP } from 'node:net';
import type { Entity, Incident } from '../domain/types';
import { buildHuntingQueries, type HuntingQuery } from '../kql/huntingTemplates';
import type { WorkspaceSchema } from '../kql/schema';

/** Most template queries offered for one question. */
export const MAX_TEMPLATE_QUERIES = 3;

export interface TemplateQuery extends HuntingQuery {
  table: string;
  /** Kind and value of the entity the template searches for. */
  entityKind: string;
  entityValues: string[];
}

const TABLE_WORDS: [RegExp, string[]][] = [
  [/sign[- ]?ins?\b|log[- ]?ins?\b|logons?\b|authenticat/i, ['SigninLogs']],
  [/process|command|powershell|executable/i, ['DeviceProcessEvents']],
  [/e-?mail|\bmail|phish|sender|recipient|\burls?\b|links?\b|clicks?\b/i, ['EmailEvents', 'UrlClickEvents']],
  [/network|connection|traffic|beacon/i, ['DeviceNetworkEvents']],
  [/firewall|proxy|perimeter/i, ['CommonSecurityLog']],
  [/\bfiles?\b|hash|download/i, ['DeviceFileEvents']],
  [/audit|directory|role|consent/i, ['AuditLogs']],
  [/windows event|security event|event ?id/i, ['SecurityEvent']],
];

const KIND_WORDS: [RegExp, string[]][] = [
  [/\bips?\b|address|attacker|source/i, ['ip']],
  [/\busers?\b|accounts?\b|upn|identity|identities/i, ['account']],
  [/\bhosts?\b|device|machine|computer|server|endpoint/i, ['host']],
  [/mailbox|sender|recipient/i, ['mailbox', 'mailmessage']],
  [/\burls?\b|links?\b|domain/i, ['url']],
  [/\bfiles?\b|hash/i, ['file', 'filehash']],
];

/** Values an entity contributes to template queries (a template quoting one of them came from it). */
function entityValues(entity: Entity): string[] {
  return [entity.friendlyName, ...Object.values(entity.properties)]
    .filter((v): v is string => typeof v === 'string' && v.trim().length >= 3)
    .map((v) => v.trim());
}

const URL_TEXT = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const EMAIL = /\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b/gi;
const HASH = /\b(?:[0-9a-f]{64}|[0-9a-f]{40}|[0-9a-f]{32})\b/gi;
const DOMAIN =
  /\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|io|ru|cn|info|biz|xyz|top|co|uk|de|fr|nl|onion|example|local|us|me|app|dev|online|site)\b/gi;

/**
 * Indicators the analyst typed ("hunt for 185.220.101.4"), as entities the templates understand:
 * IPs, URLs, e-mail addresses (as accounts and mailboxes), file hashes and domains (as URLs).
 */
export function typedIndicators(question: string): Entity[] {
  const found: Entity[] = [];
  const add = (kind: string, properties: Record<string, unknown>, value: string): void => {
    if (found.some((e) => e.kind === kind && e.friendlyName.toLowerCase() === value.toLowerCase())) return;
    found.push({ id: `typed-${kind}-${found.length}`, kind, friendlyName: value, properties });
  };
  const urls = question.match(URL_TEXT) ?? [];
  for (const url of urls) add('Url', { url }, url);
  const withoutUrls = urls.reduce((text, url) => text.replace(url, ' '), question);
  for (const word of withoutUrls.split(/[\s,;()"'<>[\]]+/)) {
    const ip = word.replace(/[.?!:]+$/, '');
    if (isIP(ip) !== 0) add('Ip', { address: ip }, ip);
  }
  for (const email of withoutUrls.match(EMAIL) ?? []) {
    const [name, suffix] = email.split('@');
    add('Account', { accountName: name, upnSuffix: suffix }, email);
    add('Mailbox', { mailboxPrimaryAddress: email }, email);
  }
  for (const hash of withoutUrls.match(HASH) ?? []) add('FileHash', { hashValue: hash }, hash);
  const withoutEmails = (withoutUrls.match(EMAIL) ?? []).reduce(
    (text, email) => text.replace(email, ' '),
    withoutUrls,
  );
  for (const domain of withoutEmails.match(DOMAIN) ?? []) add('Url', { url: `https://${domain}/` }, domain);
  return found.slice(0, 2 * MAX_TEMPLATE_QUERIES);
}

/**
 * Every template for the incident, each tagged with the entity it searches for. Indicators typed in
 * `question` come first: the analyst asked about them, whether or not the incident names them.
 */
export function templatesForIncident(
  incident: Incident,
  entities: Entity[],
  schema: WorkspaceSchema,
  question = '',
): TemplateQuery[] {
  const seen = new Set<string>();
  const tagged: TemplateQuery[] = [];
  // One entity at a time, so each query is known to belong to that entity's kind and values.
  for (const entity of [...typedIndicators(question), ...entities]) {
    for (const q of buildHuntingQueries(incident, [entity], { schema })) {
      if (seen.has(q.query)) continue;
      seen.add(q.query);
      tagged.push({
        ...q,
        table: q.query.split('\n')[0]?.trim() ?? '',
        entityKind: entity.kind.toLowerCase(),
        entityValues: entityValues(entity),
      });
    }
  }
  return tagged;
}

/**
 * The templates best matching the question: table words ("sign-ins" → SigninLogs), entity words ("IP"
 * → IP templates) and entity values named in the question. No match at all → the first templates.
 */
export function chooseTemplates(
  question: string,
  templates: TemplateQuery[],
  max = MAX_TEMPLATE_QUERIES,
): TemplateQuery[] {
  const tables = new Set(TABLE_WORDS.filter(([re]) => re.test(question)).flatMap(([, t]) => t));
  const kinds = new Set(KIND_WORDS.filter(([re]) => re.test(question)).flatMap(([, k]) => k));
  const lowered = question.toLowerCase();
  const scored = templates.map((t, index) => {
    let score = 0;
    if (tables.has(t.table)) score += 2;
    if (kinds.has(t.entityKind)) score += 2;
    if (t.entityValues.some((v) => lowered.includes(v.toLowerCase()))) score += 3;
    return { t, index, score };
  });
  const best = Math.max(0, ...scored.map((s) => s.score));
  if (best === 0) return templates.slice(0, max);
  return scored
    .filter((s) => s.score === best)
    .sort((a, b) => a.index - b.index)
    .slice(0, max)
    .map((s) => s.t);
}
