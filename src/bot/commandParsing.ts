import type { TurnContext } from 'botbuilder';

/**
 * Turns what an analyst typed into a command. Tolerant on purpose: people type "Incident #7.",
 * "/incidents", "INCIDENT 7 please", and in channels the text may still carry `<at>…</at>` or HTML.
 */
export type ParsedCommand =
  | { name: 'help' }
  | { name: 'incidents' }
  | { name: 'incident'; incidentNumber: number }
  | { name: 'incident'; incidentNumber: undefined }
  | { name: 'unknown'; text: string };

/** Only the start of a message can be a command; the rest of a 100 KB paste is not looked at. */
const MAX_COMMAND_TEXT = 300;

export function normalizeCommandText(raw: string | undefined): string {
  if (typeof raw !== 'string') return '';
  return raw
    .slice(0, MAX_COMMAND_TEXT)
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .toLowerCase()
    .replace(/^[\s/@!.,:;-]+/, '')
    .replace(/[\s.,:;!?]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first word of the normalized text, e.g. "subscribe" for "Subscribe high". */
export function commandWord(raw: string | undefined): string {
  return normalizeCommandText(raw).split(' ')[0] ?? '';
}

export function parseCommand(raw: string | undefined): ParsedCommand {
  const text = normalizeCommandText(raw);
  if (/^(help|commands|menu)$/.test(text)) return { name: 'help' };
  if (/^((list|show|open) )?incidents$/.test(text)) return { name: 'incidents' };
  // "incident 7" (or "incident #7 please") is the command; "incident 7, what happened?" is a question
  // about incident 7 and falls through to Q&A, which reads the number from the question.
  const numbered = /^(?:(?:show|open) )?(?:incident ?[:#]? ?#? ?|#)(\d{1,12})(?:,? please)?$/.exec(text);
  if (numbered) return { name: 'incident', incidentNumber: Number(numbered[1]) };
  if (/^(?:(?:show|open) )?incident ?[:#]? ?#? ?\d/.test(text)) return { name: 'unknown', text };
  if (/^incident\b/.test(text)) return { name: 'incident', incidentNumber: undefined };
  return { name: 'unknown', text };
}

/**
 * A route selector for a command word, for features adding commands (subscribe, hunt, ...):
 *   app.message(commandSelector('subscribe'), handler)
 * Matches message activities whose first word is `word` (case-insensitive, punctuation-tolerant).
 */
export function commandSelector(...words: string[]): (context: TurnContext) => Promise<boolean> {
  const wanted = new Set(words.map((w) => w.toLowerCase()));
  return async (context) =>
    context.activity.type === 'message' && wanted.has(commandWord(context.activity.text));
}
