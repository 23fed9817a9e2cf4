import type { Subject } from './subjects';
import { refang } from './subjects';

/**
 * Reading analyst prose: sentences, which subjects a sentence names, and whether a sentence states
 * something done or something still to do. Comments, task titles, alert texts and model output all go
 * through here, so the same words mean the same thing everywhere.
 */

/** Longest text read from one comment, task or alert (they are attacker-influenced and unbounded). */
export const MAX_TEXT_CHARS = 4000;

/** Sentences: split on . ! ? followed by a space, on ; and on line breaks (not inside 10.0.0.1 or a.com). */
export function sentences(text: string): string[] {
  return stripMarkup(text.slice(0, MAX_TEXT_CHARS))
    .split(/(?<=[.!?])\s+|[;\n\r]+|\s+-\s+|\s+—\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function stripMarkup(text: string): string {
  return decodeEntities(text.replace(/<br\s*\/?>/gi, '\n').replace(/<\/?[a-z][^>]*>/gi, ' '));
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/**
 * Text as Sentinel stored it, read back as plain text: the gateway HTML-escapes every title,
 * description and comment it writes (src/sentinel/sentinelHtml.ts) and the portal stores HTML, so
 * "Check adele's MFA" comes back as "Check adele&#39;s MFA". One pass, so "&amp;lt;" reads "&lt;".
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

export interface Mention {
  key: string;
  start: number;
  end: number;
}

const WORDISH = /[a-z0-9_@\\-]/i;

/** Where `alias` occurs in `lower` as a whole token (not inside a longer name, address or word). */
function occurrences(lower: string, alias: string): number[] {
  const found: number[] = [];
  let from = 0;
  while (from <= lower.length) {
    const at = lower.indexOf(alias, from);
    if (at < 0) break;
    const before = at > 0 ? (lower[at - 1] ?? '') : '';
    const afterIndex = at + alias.length;
    const after = lower[afterIndex] ?? '';
    const afterNext = lower[afterIndex + 1] ?? '';
    // "185.220.101.45." at a sentence end is a match; "185.220.101.452" and "adele.vance2" are not.
    const afterOk = after === '' || (!WORDISH.test(after) && !(after === '.' && /[a-z0-9]/i.test(afterNext)));
    const beforeOk =
      before === '' ||
      (!WORDISH.test(before) && !(before === '.' && at > 1 && /[a-z0-9]/i.test(lower[at - 2] ?? '')));
    if (afterOk && beforeOk) found.push(at);
    from = at + 1;
  }
  return found;
}

/** Subjects named in `text`, in order; overlapping shorter names inside a longer match are dropped. */
export function findMentions(
  text: string,
  subjects: readonly Subject[],
  extraAliases?: ReadonlyMap<string, string[]>,
): Mention[] {
  const lower = refang(text).toLowerCase();
  const all: Mention[] = [];
  for (const s of subjects) {
    const aliases = [...s.aliases, ...(extraAliases?.get(s.key) ?? [])];
    for (const alias of aliases) {
      for (const start of occurrences(lower, alias))
        all.push({ key: s.key, start, end: start + alias.length });
    }
  }
  all.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Mention[] = [];
  for (const m of all) {
    const last = kept[kept.length - 1];
    if (last && m.start < last.end) {
      if (last.key === m.key) continue;
      // Two subjects with the same name at the same place (the file vssadmin.exe and its process): both.
      const same = kept.some((k) => k.start === m.start && k.end === m.end);
      if (m.end <= last.end && !same) continue;
    }
    kept.push(m);
  }
  return kept;
}

/**
 * Not a statement that something happened: negated ("not yet isolated"), planned ("will reset",
 * "need to block", "pending"), asked ("did anyone isolate it?") or a request ("please disable").
 */
export function isNegatedOrPending(sentence: string): boolean {
  const s = sentence.toLowerCase();
  if (/\?\s*$/.test(s)) return true;
  return (
    /\b(not|never|no longer|cannot|can't|couldn't|didn't|did not|don't|do not|doesn't|hasn't|haven't|hadn't|isn't|wasn't|weren't|aren't|won't|unable|failed to|without)\b/.test(
      s,
    ) ||
    /\b(yet to|still (need|needs|to|has to|have to|pending|open|waiting)|pending|to ?do|todo|tbd|will|shall|should|must|need to|needs to|needed|going to|plan to|planning|planned|please|waiting|awaiting|next step|recommend|suggest|consider|let's|can we|could you|would you|if needed|once)\b/.test(
      s,
    )
  );
}

/** "Isolated X", "X has been isolated", "password reset done", "reset by Priya": reads as already done. */
export function readsAsDone(sentence: string, verb: string): boolean {
  const s = sentence.toLowerCase();
  if (isNegatedOrPending(s)) return false;
  if (
    /\b(done|completed?|finished|in place|confirmed|performed|executed|applied|requested|took care)\b/.test(s)
  )
    return true;
  const v = verb.toLowerCase();
  if (/(ed|en)$/.test(v) && !/^(need|seed|feed)$/.test(v)) return true;
  // Verbs whose past tense looks like the present ("reset", "put", "set", "shut"): needs a subject or auxiliary.
  return (
    new RegExp(
      `\\b(i|we|he|she|they|it|has|have|had|was|were|been|already|just|got|is|are)\\b(\\s+\\S+){0,3}\\s+${escapeRegExp(v)}\\b`,
    ).test(s) ||
    new RegExp(
      `\\b${escapeRegExp(v)}\\b(\\s+\\S+){0,4}\\s+(by|at|on|via|yesterday|today|earlier|already)\\b`,
    ).test(s)
  );
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The incident's addresses whose geolocation city the text names ("an unfamiliar IP in Singapore"). */
export function addressesInCity(text: string, subjects: readonly Subject[]): Subject[] {
  const lower = text.toLowerCase();
  return subjects.filter((s) => {
    const city = s.details.city?.toLowerCase();
    return (
      s.kind === 'Ip' &&
      city !== undefined &&
      city.length >= 3 &&
      new RegExp(`\\b${escapeRegExp(city)}\\b`).test(lower)
    );
  });
}
