/**
 * Sentinel renders comments, task titles and descriptions and the close comment as HTML, and the text
 * we write quotes attacker-shaped data (entity values, titles, model output, what an analyst typed).
 * Every free-text field the gateway writes is escaped here, once, at the boundary; callers pass plain
 * text and never escape themselves.
 */
const HTML_SPECIAL = /[&<>"']/g;
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function toSentinelHtml(text: string): string {
  return text.replace(HTML_SPECIAL, (c) => ENTITIES[c] ?? c);
}

/** The length of `text` once escaped: what Sentinel's size limits apply to. */
export function sentinelHtmlLength(text: string): number {
  let length = text.length;
  for (const c of text.match(HTML_SPECIAL) ?? []) length += (ENTITIES[c] ?? c).length - 1;
  return length;
}

/** How many leading characters of `text` fit in `size` once escaped. */
export function prefixFittingEscaped(text: string, size: number): number {
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    used += (ENTITIES[text.charAt(i)] ?? 'x').length;
    if (used > size) return i;
  }
  return text.length;
}
