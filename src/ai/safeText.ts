/**
 * Makes answer text safe to post in Teams. Answers quote attacker-controlled data (URLs, names) and model
 * output, so: HTML is escaped, remote images are removed (an image URL is a beacon to the attacker), and
 * links survive only to the documentation and portal hosts an analyst expects; every other URL is
 * defanged (hxxps://evil[.]com) so Teams does not auto-link it.
 */
export const LINK_ALLOWLIST = [
  'portal.azure.com',
  'security.microsoft.com',
  'learn.microsoft.com',
  'attack.mitre.org',
] as const;

export function isAllowedLink(raw: string): boolean {
  // Markdown unescapes `\@`, `\.` in a link destination after we checked it, but the URL parser reads
  // `\` as `/`: "https://portal.azure.com\@evil.example" passes here and opens evil.example.
  // eslint-disable-next-line no-control-regex -- whitespace and control characters are never in a link we keep
  if (/[\\\u0000-\u0020\u007f]/.test(raw)) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:') return false;
  const host = url.hostname.toLowerCase();
  return LINK_ALLOWLIST.some((h) => host === h || host.endsWith(`.${h}`));
}

export function defang(url: string): string {
  return url.replace(/^http(s?):\/\//i, 'hxxp$1://').replace(/\./g, '[.]');
}

const MD_IMAGE = /!\[([^\]]*)\]\(([^)\s]*)(?:\s+"[^"]*")?\)/g;
const MD_LINK = /\[([^\]]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
const BARE_URL = /\b(?:https?|ftp):\/\/[^\s<>()[\]"'`]+/gi;
const PLACEHOLDER = /\uE000(\d+)\uE000/g;

/** Sanitises one or more complete lines; line-local, so streamed lines can be sanitised as they arrive. */
export function renderSafeMarkdown(text: string): string {
  const kept: string[] = [];
  const keep = (s: string): string => `\uE000${kept.push(s) - 1}\uE000`;
  let out = text.replace(/\uE000/g, '');
  out = out.replace(MD_IMAGE, (_m, alt: string) => `[image removed${alt.trim() ? `: ${alt.trim()}` : ''}]`);
  out = out.replace(MD_LINK, (_m, label: string, href: string) =>
    isAllowedLink(href) ? keep(`[${escapeHtml(label)}](${href})`) : `${label} (${defang(href)})`,
  );
  out = out.replace(BARE_URL, (url) => (isAllowedLink(url) ? keep(url) : defang(url)));
  out = escapeHtml(out);
  return out.replace(PLACEHOLDER, (_m, i: string) => kept[Number(i)] ?? '');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
