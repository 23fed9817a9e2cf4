/**
 * Which messages start a hunt. Three shapes:
 *   - `hunt for <what>`, `hunt <what>`, `hunt in incident 1 for <what>`: the bot writes the query;
 *   - `kql: <query>`: the analyst's own KQL, validated and shown, never rewritten;
 *   - a question only the logs can answer ("were there other sign-ins from the attacker IP?"): answered
 *     with a validated query to run, because the incident's own data cannot answer it and guessing would
 *     be worse. Questions about the incident itself ("what happened?") stay with incident Q&A.
 */
export type HuntRequest =
  | { kind: 'hunt'; question: string; incidentNumber?: number }
  | { kind: 'kql'; query: string; incidentNumber?: number };

/** The question the Hunt button (and a bare `hunt`) asks. */
export const DEFAULT_HUNT_QUESTION = "hunt for related activity of this incident's entities";

/** Longer pastes are refused with a message rather than analysed. */
export const MAX_KQL_CHARS = 10_000;

const ENTITIES: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&apos;': "'",
  '&nbsp;': ' ',
  '&amp;': '&',
};

/** Message text without @mentions; Teams may send `<`, `>` and `&` as HTML entities. */
export function messageText(raw: string | undefined): string {
  if (typeof raw !== 'string') return '';
  return raw
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/&(?:lt|gt|quot|#39|apos|nbsp|amp);/gi, (m) => ENTITIES[m.toLowerCase()] ?? m)
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .trim();
}

const KQL_PREFIX = /^[/!]?kql\s*:\s*/i;
const HUNT_PREFIX = /^[/!]?hunt\b[\s,:;-]*/i;
const NAMED_INCIDENT = /\b(?:in|on|for)?\s*incident\s*(?:number\s*)?#?\s*(\d{1,9})\b[\s,:;-]*/i;
const HASH_INCIDENT = /(?:^|\s)(?:in|on|for)?\s*#(\d{1,9})\b[\s,:;-]*/i;

/** Asking to search: a verb of looking, or "other/any/were there" that reaches beyond the incident. */
const LOOK_FOR =
  /\b(?:search|find|look (?:for|up)|query|list|show me|any other|were there|was there|other|how many|did (?:\S+ )?(?:anyone|any\w*|they|the (?:attacker|user|account|host))\b)/i;
/** Something only the logs hold. */
const LOG_RECORDS =
  /\b(?:sign-?ins?|logins?|log-?ons?|logs?|events|connections|network traffic|processes|process executions|e-?mails|mails|messages sent|url clicks|clicks|dns (?:queries|lookups)|audit (?:logs?|events)|file (?:writes|downloads|events))\b/i;

/** A question that needs the logs rather than the incident's own data. */
export function needsLogs(text: string): boolean {
  return text.length <= 500 && LOOK_FOR.test(text) && LOG_RECORDS.test(text);
}

export function parseHuntRequest(raw: string | undefined): HuntRequest | undefined {
  const text = messageText(raw);
  const kql = KQL_PREFIX.exec(text);
  if (kql) return { kind: 'kql', query: text.slice(kql[0].length).trim() };
  const hunt = HUNT_PREFIX.exec(text);
  if (!hunt) {
    if (!needsLogs(text)) return undefined;
    const { rest, incidentNumber } = withoutIncident(text.replace(/\s+/g, ' ').trim());
    return { kind: 'hunt', question: rest.replace(/^(?:in|on|for)\b\s*/i, ''), incidentNumber };
  }
  const { rest, incidentNumber } = withoutIncident(text.slice(hunt[0].length).replace(/\s+/g, ' ').trim());
  const question = rest
    .replace(/^for\b\s*/i, '')
    .replace(/[\s,:;-]+$/, '')
    .trim();
  return {
    kind: 'hunt',
    question: question === '' ? DEFAULT_HUNT_QUESTION : `hunt for ${question}`,
    incidentNumber,
  };
}

function withoutIncident(text: string): { rest: string; incidentNumber?: number } {
  let rest = text;
  let incidentNumber: number | undefined;
  const named = NAMED_INCIDENT.exec(rest) ?? HASH_INCIDENT.exec(rest);
  if (named?.[1]) {
    incidentNumber = Number(named[1]);
    rest = `${rest.slice(0, named.index)} ${rest.slice(named.index + named[0].length)}`.trim();
  }
  return incidentNumber === undefined ? { rest } : { rest, incidentNumber };
}
