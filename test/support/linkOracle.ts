import MarkdownIt from 'markdown-it';
import type { Activity } from 'botbuilder';
import { LINK_ALLOWLIST } from '../../src/ai/safeText';

/**
 * An independent judge of "remote images and live foreign links" in what the bot sends to Teams. It
 * does not share code with the sanitiser: it renders text the way a permissive client would (CommonMark
 * with raw HTML, GFM-style linkify including bare domains) and resolves every image source and link
 * target against a Teams page. An image is remote when it loads from any host; a link is foreign when
 * it leads over http(s) anywhere but an https page of the allowed documentation and portal hosts.
 */
// The allowed hosts are policy, shared with the sanitiser; everything else here is independent of it.
const ALLOWED_LINK_HOSTS: readonly string[] = LINK_ALLOWLIST;
const TEAMS_PAGE = 'https://teams.microsoft.com/v2/';

const messageRenderer = new MarkdownIt({ html: true, linkify: true });
const cardRenderer = new MarkdownIt({ html: false, linkify: true });
// As eager as a chat client: bare domains are linked, and the reserved test TLDs (RFC 2606) count as
// real ones, because the corpus uses evil.example. Bare IP addresses are not linked (as in Teams and
// linkify's default), so entity IPs stay copyable for queries.
for (const md of [messageRenderer, cardRenderer]) {
  md.linkify.set({ fuzzyLink: true, fuzzyIP: false, fuzzyEmail: true });
  md.linkify.tlds(['example', 'test', 'invalid'], true);
}

export interface Finding {
  kind: 'remote image' | 'foreign link';
  target: string;
  where: string;
}

function resolve(target: string): URL | undefined {
  try {
    return new URL(target, TEAMS_PAGE);
  } catch {
    return undefined;
  }
}

function judgeImage(src: string, where: string, out: Finding[]): void {
  const url = resolve(src.trim());
  if (!url || url.protocol === 'data:') return;
  // A relative source stays on the Teams host; anything naming another host (or scheme) is remote.
  if (url.host !== new URL(TEAMS_PAGE).host || !/^https?:$/.test(url.protocol))
    out.push({ kind: 'remote image', target: src, where });
}

function judgeLink(href: string, where: string, out: Finding[]): void {
  const url = resolve(href.trim());
  if (!url || !/^https?:$/.test(url.protocol)) return;
  if (url.host === new URL(TEAMS_PAGE).host) return;
  const allowed =
    url.protocol === 'https:' &&
    ALLOWED_LINK_HOSTS.some((h) => url.hostname === h || url.hostname.endsWith(`.${h}`));
  if (!allowed) out.push({ kind: 'foreign link', target: href, where });
}

const HTML_ATTR = /\b(src|href|srcset|background|poster)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;

function judgeHtml(html: string, where: string, out: Finding[]): void {
  for (const m of html.matchAll(HTML_ATTR)) {
    const value = (m[2] ?? '').replace(/^["']|["']$/g, '');
    if (m[1]?.toLowerCase() === 'href') judgeLink(value, where, out);
    else judgeImage(value.split(/\s+/)[0] ?? '', where, out);
  }
}

type Token = ReturnType<typeof messageRenderer.parse>[number];

function walk(tokens: Token[], where: string, out: Finding[]): void {
  for (const t of tokens) {
    if (t.type === 'image') judgeImage(String(t.attrGet('src') ?? ''), where, out);
    if (t.type === 'link_open') judgeLink(String(t.attrGet('href') ?? ''), where, out);
    if (t.type === 'html_inline' || t.type === 'html_block') judgeHtml(t.content, where, out);
    if (t.children) walk(t.children, where, out);
  }
}

/** Findings in one message text (Teams renders a markdown subset plus some HTML). */
export function judgeMessageText(text: string, where = 'message'): Finding[] {
  const out: Finding[] = [];
  walk(messageRenderer.parse(text, {}), where, out);
  // HTML a client renders after decoding entities once more must not hide a tag either.
  return out;
}

/** Findings in one card text (TextBlock/FactSet markdown subset, no HTML). */
export function judgeCardText(text: string, where = 'card'): Finding[] {
  const out: Finding[] = [];
  walk(cardRenderer.parse(text, {}), where, out);
  return out;
}

/** Every text and URL of an Adaptive Card. */
export function judgeCard(card: unknown, where = 'card'): Finding[] {
  const out: Finding[] = [];
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((n, i) => visit(n, `${path}[${i}]`));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if ((obj.type === 'Image' || obj.type === 'Media') && typeof obj.url === 'string')
      judgeImage(obj.url, `${where} ${path}`, out);
    if (typeof obj.backgroundImage === 'string') judgeImage(obj.backgroundImage, `${where} ${path}`, out);
    if (obj.type === 'Action.OpenUrl' && typeof obj.url === 'string')
      judgeLink(obj.url, `${where} ${path}`, out);
    for (const [key, value] of Object.entries(obj)) {
      if (key === 'data' || key === 'verb') continue;
      // An input's `value` is what sits in an edit box (not rendered, not linked); a fact's is shown.
      const shown = key !== 'value' || !String(obj.type ?? '').startsWith('Input.');
      if (
        typeof value === 'string' &&
        shown &&
        ['text', 'title', 'value', 'label', 'placeholder'].includes(key)
      )
        out.push(...judgeCardText(value, `${where} ${path}.${key}`));
      else visit(value, `${path}.${key}`);
    }
  };
  visit(card, '');
  return out;
}

/** Everything Teams would show for one activity the bot sent: text, cards, invoke answers. */
export function judgeActivity(activity: Partial<Activity>, where = 'activity'): Finding[] {
  const out: Finding[] = [];
  if (typeof activity.text === 'string') out.push(...judgeMessageText(activity.text, where));
  for (const a of activity.attachments ?? []) out.push(...judgeCard(a.content, `${where} card`));
  return out;
}

/** An invoke response body as the harness sees it (message or card). */
export function judgeInvokeBody(body: unknown, where = 'invoke'): Finding[] {
  if (body === null || typeof body !== 'object') return [];
  const b = body as { type?: unknown; value?: unknown };
  if (typeof b.value === 'string') return judgeMessageText(b.value, where);
  return judgeCard(b.value, where);
}
