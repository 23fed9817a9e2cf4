/**
 * Spotlighting: incident titles, descriptions, entity names, command lines and comments are written (or
 * influenced) by attackers. They reach the model only inside one delimited block that the instructions
 * declare to be data, and nothing inside the data can close that block or forge one.
 */
export const DATA_OPEN = '<incident_data>';
export const DATA_CLOSE = '</incident_data>';

// Any spelling of the tag (case, spaces, any dash, full-width brackets, missing ">") is neutralised,
// not only the exact delimiter.
const DELIMITER_LIKE =
  /[<\uff1c\ufe64]\s*[/\uff0f]?\s*incident[_\s\p{Pd}]*data\b[^>\uff1e\ufe65]*[>\uff1e\ufe65]?/giu;
// Invisible format characters (zero-width space/joiners, soft hyphen, word joiner, BOM, bidi controls)
// would otherwise split a forged tag so the pattern above misses what the model still reads as one.
const INVISIBLE = /\p{Cf}/gu;

/** Makes a value safe to place inside the data block: no delimiters, no control characters. */
export function neutralise(value: string): string {
  return (
    value
      // Stripped first: removing them after the match would join "<\u0001/incident_data>" into a tag.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '')
      .replace(INVISIBLE, '')
      .replace(DELIMITER_LIKE, '[tag removed]')
  );
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
