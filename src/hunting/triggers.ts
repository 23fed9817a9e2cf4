/**
 * Which messages start a hunt. Two shapes:
 *   - `hunt for <what>`, `hunt <what>`, `hunt in incident 1 for <what>`: the bot writes the query;
 *   - `kql: <query>`: the analyst's own KQL, validated and shown, never rewritten.
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

export function parseHuntRequest(raw: string | undefined): HuntRequest | undefined {
  const text = messageText(raw);
  const kql = KQL_PREFIX.exec(text);
  if (kql) return { kind: 'kql', query: text.slice(kql[0].length).trim() };
  const hunt = HUNT_PREFIX.exec(text);
  if (!hunt) return undefined;
  let rest = text.slice(hunt[0].length).replace(/\s+/g, ' ').trim();
  let incidentNumber: number | undefined;
  const named = NAMED_INCIDENT.exec(rest) ?? HASH_INCIDENT.exec(rest);
  if (named?.[1]) {
    incidentNumber = Number(named[1]);
    rest = `${rest.slice(0, named.index)} ${rest.slice(named.index + named[0].length)}`.trim();
  }
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
