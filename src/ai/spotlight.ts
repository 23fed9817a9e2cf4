/**
 * Spotlighting: incident titles, descriptions, entity names, command lines and comments are written (or
 * influenced) by attackers. They reach the model only inside one delimited block that the instructions
 * declare to be data, and nothing inside the data can close that block or forge one.
 */
import { normaliseText } from './safeText';

export const DATA_OPEN = '<incident_data>';
export const DATA_CLOSE = '</incident_data>';

// Any spelling of the tag (case, spaces, any dash, full-width brackets, missing ">") is neutralised,
// not only the exact delimiter.
const DELIMITER_LIKE =
  /[<\uff1c\ufe64]\s*[/\uff0f]?\s*incident[_\s\p{Pd}]*data\b[^>\uff1e\ufe65]*[>\uff1e\ufe65]?/giu;

/**
 * Makes a value safe to place inside the data block: no delimiters, no control characters. The shared
 * control-character policy runs first (invisible characters and controls would otherwise split a forged
 * tag so the pattern misses what the model still reads as one; NFKC folds look-alike brackets).
 */
export function neutralise(value: string): string {
  return normaliseText(value).replace(DELIMITER_LIKE, '[tag removed]');
}

/** One-line form for names and titles: newlines cannot start a line that looks like our own structure. */
export function oneLine(value: string, maxChars: number): string {
  return clip(neutralise(value).replace(/\s+/g, ' ').trim(), maxChars);
}

/** Multi-line fields (descriptions, comments) flattened with a visible separator, then clipped. */
export function flatten(value: string, maxChars: number): string {
  return clip(
    neutralise(value)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length > 0)
      .join(' / ')
      .replace(/[ \t]+/g, ' '),
    maxChars,
  );
}

export function clip(value: string, maxChars: number): string {
  if (value.length <= maxChars) return value;
  return `${value.slice(0, Math.max(0, maxChars - 1)).trimEnd()}…`;
}

export function wrapAsData(body: string): string {
  return `${DATA_OPEN}\n${body}\n${DATA_CLOSE}`;
}
