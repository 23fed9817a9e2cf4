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

/** Every template for the incident, each tagged with the entity it searches for. */
export function templatesForIncident(
  incident: Incident,
  entities: Entity[],
  schema: WorkspaceSchema,
): TemplateQuery[] {
  const seen = new Set<string>();
  const tagged: TemplateQuery[] = [];
  // One entity at a time, so each query is known to belong to that entity's kind and values.
  for (const entity of entities) {
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
