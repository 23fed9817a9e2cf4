/**
 * The one sanitiser for text that reaches Teams (messages, card text, invoke answers) and for the plain
 * text we write to Sentinel. Incident data and model output are attacker-controlled, so:
 *  - one control-character policy (`normaliseText`): NFKC (full-width and other lookalikes of `!`, `[`,
 *    `/`, `.`, `:` become the ASCII they imitate, so the checks below see what a renderer would), every
 *    C0/C1 control but tab and newline, every invisible format character, lone surrogates;
 *  - no remote images and no live foreign links: links survive only as https to the documentation and
 *    portal hosts an analyst expects; every other URL form (scheme, protocol-relative `//host`, `www.`,
 *    bare `host.tld/path`) is defanged (hxxps://evil[.]com) and markdown image/link/reference syntax is
 *    broken apart, so neither a markdown renderer nor a linkifier can turn it into an image or a link;
 *  - HTML escaped in messages (Teams renders an HTML subset there); markdown escaped in card text.
 * Every function here is idempotent on its own output, so a text made safe by a renderer passes the
 * final outbound check (src/bot/teamsOutput.ts) unchanged.
 */
export const LINK_ALLOWLIST = [
  'portal.azure.com',
  'portal.azure.us',
  'portal.azure.cn',
  'security.microsoft.com',
  'security.microsoft.us',
  'learn.microsoft.com',
  'attack.mitre.org',
] as const;

// eslint-disable-next-line no-control-regex -- the control-character policy: C0 except \t and \n, DEL, C1
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Invisible format characters (zero-width, bidi controls, soft hyphen, BOM, tag characters…). */
const INVISIBLE = /\p{Cf}/gu;
/** Our own placeholder range (private use) never passes through from input. */
const PRIVATE_USE = /[\uE000-\uF8FF]/g;

/**
 * Look-alikes that URL parsers (IDNA) and renderers fold into ASCII: full-width and small forms
 * (`！［／．`), the one-dot leader, enclosed, letter-like and mathematical letters, super/subscripts.
 * Only these are NFKC-folded; the rest of the text (e.g. "…") stays as written.
 */
const LOOKALIKE =
  /[\uFE50-\uFE6F\uFF00-\uFFEF\u2024\u2070-\u209F\u2100-\u214F\u2460-\u24FF\u{1D400}-\u{1D7FF}]/gu;

/** The one control-character policy for everything we pass on (Teams, Sentinel, the model prompt). */
export function normaliseText(text: string): string {
  return text
    .replace(/\p{Cs}/gu, '')
    .replace(LOOKALIKE, (c) => c.normalize('NFKC'))
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(CONTROL, '')
    .replace(INVISIBLE, '')
    .replace(PRIVATE_USE, '');
}

/** Characters after the host that make a link open somewhere other than the host it names. */
const DECEPTIVE_PATH = /\/\/|\\|%2f|%5c|@/i;

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
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '')
    return false;
  // A redirect on an allowed host ("…/redirect?to=https://evil") would make the live link go elsewhere.
  if (DECEPTIVE_PATH.test(raw.slice(url.origin.length).split('#')[0] ?? '')) return false;
  const host = url.hostname.toLowerCase();
  return LINK_ALLOWLIST.some((h) => host === h || host.endsWith(`.${h}`));
}

/** One URL as inert text: "https://evil.com/x" → "hxxps://evil[.]com/x". */
export function defang(url: string): string {
  return defangForeignLinks(url);
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

let keptInstances = 0;

/** Holds kept (allowlisted) links out of the way of the rewriting, then puts them back. */
class Kept {
  private readonly items: string[] = [];
  // Unique per instance: the rewriting functions nest, and each must restore only its own placeholders.
  private readonly id = (keptInstances = (keptInstances + 1) % 1_000_000);
  keep = (s: string): string => `\uE000${this.id}\uE001${this.items.push(s) - 1}\uE000`;
  restore(text: string): string {
    return text.replace(
      new RegExp(`\uE000${this.id}\uE001(\\d+)\uE000`, 'g'),
      (_m, i: string) => this.items[Number(i)] ?? '',
    );
  }
}

/** An absolute URL as it appears in text (stops at whitespace and markdown/HTML punctuation). */
const BARE_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s<>()[\]"'`]+/gi;
/** Schemes a renderer or linkifier turns into something that fetches or navigates. */
const LINK_SCHEME = /\b(https?|ftps?|wss?|file|javascript|vbscript|data)(:)(?=\S)/gi;
/** `//host` or `\\host` (protocol-relative; the URL parser reads `\` as `/`) where a link could start. */
const PROTOCOL_RELATIVE = /(^|[\s(<>"'=;|{},\\])([/\\]{2})(?=[^\s/\\\][])/g;
const WWW = /\bwww\./gi;
/** A scheme-less host (labels joined by dots), not part of a longer word, path or e-mail address. */
const HOST_TOKEN = /(?<![\w@.\-\\/:])([a-z0-9](?:[a-z0-9-]{0,62}[.\u3002])+[a-z0-9-]{1,63})(?=(\/|:\d)?)/gi;
const IPV4 = /^\d{1,3}(?:[.\u3002]\d{1,3}){3}$/;
/**
 * Bare "host.tld" with no path is defanged for the TLDs linkifiers recognise (linkify's generic ones and
 * the country codes) and the new ones attackers use — except country codes that are everyday field
 * names and file types ("alert.id", "README.md", "main.py"), which a linkifier may still link.
 */
const CODE_LIKE_TLDS = new Set('id is it in at to as be do no so us me my md py rs pl'.split(' '));
const LINKIFIED_TLDS = new Set(
  [
    'com net org info biz pro web xxx aero asia coop museum name shop gov edu mil int',
    'io co xyz top app dev online site club live icu tech cloud link click zip mov onion',
    'example test invalid localhost',
    'ac ad ae af ag ai al am ao aq ar at au aw ax az ba bb bd bf bg bh bi bj bm bn bo br bs bt bw by bz',
    'ca cc cd cf cg ch ci ck cl cm cn cr cu cv cw cx cy cz de dj dk dm dz ec ee eg er es et eu fi fj fk',
    'fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu ie il im iq ir',
    'je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc mg mh mk ml mm',
    'mn mo mp mq mr ms mt mu mv mw mx mz na nc ne nf ng ni nl np nr nu nz om pa pe pf pg ph pk pm pn pr',
    'ps pt pw qa re ro ru rw sa sb sc sd se sg sh si sk sl sm sn sr ss st su sv sx sy sz tc td tf tg th',
    'tj tk tl tm tn tr tt tv tw tz ua ug uk uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw',
  ]
    .join(' ')
    .split(' ')
    .filter((tld) => !CODE_LIKE_TLDS.has(tld)),
);

function defangHost(host: string): string {
  return host.replace(/(?<!\[)[.\u3002](?!\])/g, '[.]');
}

function defangScheme(scheme: string, colon: string): string {
  const lower = scheme.toLowerCase();
  return lower.startsWith('http') || lower.startsWith('ftp')
    ? `${scheme.replace(/t/gi, 'x')}${colon}`
    : `${scheme}[${colon}]`;
}

/** Every "scheme://authority" in a URL token, including ones nested in its query ("?u=https://…"). */
const URL_HEAD = /([a-z][a-z0-9+.-]*)(:\/\/)([^/?#\s]*)/gi;

/** "https://evil.com/x" → "hxxps://evil[.]com/x": the scheme and the host's dots. */
function defangUrl(url: string): string {
  return url.replace(URL_HEAD, (_m, scheme: string, sep: string, authority: string) => {
    const known = /^(https?|ftps?|wss?|file)$/i.test(scheme);
    return `${known ? defangScheme(scheme, '') : scheme}${sep}${defangHost(authority)}`;
  });
}

/**
 * A bare URL: kept when allowed, else defanged. Backslashes ending the match escape the character after
 * it (card text), so they are not part of the address that is checked.
 */
function keepOrDefang(kept: Kept, url: string): string {
  const tail = /\\+$/.exec(url)?.[0] ?? '';
  const core = url.slice(0, url.length - tail.length);
  return isAllowedLink(core) ? kept.keep(core) + tail : kept.keep(defangUrl(url));
}

/**
 * Every URL form that is not an allowed link becomes inert text. Idempotent: `hxxps`, `[.]` and `[//]`
 * are not URL syntax, so a second pass finds nothing.
 */
export function defangForeignLinks(text: string): string {
  const kept = new Kept();
  let out = text.replace(BARE_URL, (url) => keepOrDefang(kept, url));
  out = out.replace(LINK_SCHEME, (_m, scheme: string, colon: string) => defangScheme(scheme, colon));
  out = out.replace(PROTOCOL_RELATIVE, (_m, before: string, slashes: string) =>
    slashes === '\\\\' ? `${before}[\\\\]` : `${before}[//]`,
  );
  out = out.replace(WWW, (m) => `${m.slice(0, 3)}[.]`);
  out = out.replace(HOST_TOKEN, (host: string, _h: string, next: string | undefined) => {
    if (next !== undefined) return IPV4.test(host) || /[a-z]/i.test(host.slice(-1)) ? defangHost(host) : host;
    const tld =
      host
        .split(/[.\u3002]/)
        .pop()
        ?.toLowerCase() ?? '';
    return LINKIFIED_TLDS.has(tld) ? defangHost(host) : host;
  });
  return kept.restore(out);
}

/**
 * Breaks markdown image, link and reference syntax apart (`![` `](` `][` `]:`) so no renderer forms an
 * image or a link from what is left; a space is the smallest change that CommonMark and its lax
 * ancestors agree is no longer syntax. Allowed inline links are held back by the caller.
 */
export function breakLinkSyntax(text: string): string {
  return text.replace(/!\[/g, '! [').replace(/(?<!\\)\](?=[([:])/g, '] ');
}

/** `<` that would open a tag (`<img`, `</td>`, `<!--`, `<?`) as the entity; idempotent. */
function escapeTagOpeners(text: string): string {
  return text.replace(/<(?=[a-z/!?])/gi, '&lt;');
}

/** An inline link whose label has no brackets and whose destination is an allowed https URL. */
const ALLOWED_INLINE_LINK = /(?<!!\s*)\[([^\][\n]{1,300})\]\((https:\/\/[^\s()<>]+)\)/g;

function keepAllowedLinks(text: string, kept: Kept, label: (s: string) => string): string {
  return text
    .replace(ALLOWED_INLINE_LINK, (m, text: string, href: string) =>
      isAllowedLink(href) ? kept.keep(`[${label(text)}](${href})`) : m,
    )
    .replace(BARE_URL, (url) => (isAllowedLink(url) ? kept.keep(url) : url));
}

/**
 * The final check on any text posted to Teams as a message (markdown). Idempotent, and a no-op on the
 * output of renderSafeMarkdown. Tag openers become entities; already escaped text is left as it is.
 */
export function safeMessageText(text: string): string {
  const kept = new Kept();
  const inner = (s: string): string => breakLinkSyntax(defangForeignLinks(escapeTagOpeners(s)));
  const out = keepAllowedLinks(normaliseText(text), kept, inner);
  return kept.restore(inner(out));
}

/** The final check on a text shown inside an Adaptive Card (TextBlock markdown subset, no HTML). */
export function safeCardString(text: string): string {
  const kept = new Kept();
  const inner = (s: string): string => breakLinkSyntax(defangForeignLinks(s));
  const out = keepAllowedLinks(normaliseText(text), kept, inner);
  return kept.restore(inner(out));
}

const MD_IMAGE = /!\[([^\]\n]*)\]\(([^)\n]*)\)/g;
const MD_LINK = /\[([^\]\n]+)\]\(([^)\s]+)(?:\s+"[^"\n]*")?\)/g;

/**
 * Model answers and built-in analyses as a Teams message: HTML escaped, images replaced by a note,
 * foreign links turned into "label (hxxps://defanged)", allowed https links kept. Line-local, so
 * streamed lines can be sanitised as they arrive.
 */
export function renderSafeMarkdown(text: string): string {
  const kept = new Kept();
  let out = normaliseText(text);
  out = out.replace(MD_IMAGE, (_m, alt: string) => `[image removed${alt.trim() ? `: ${alt.trim()}` : ''}]`);
  out = out.replace(MD_LINK, (_m, label: string, href: string) =>
    isAllowedLink(href)
      ? kept.keep(`[${safeMessageText(escapeHtml(label))}](${href})`)
      : `${label} (${href})`,
  );
  out = out.replace(BARE_URL, (url) => (isAllowedLink(url) ? kept.keep(url) : url));
  out = breakLinkSyntax(defangForeignLinks(escapeHtml(out)));
  return kept.restore(out);
}

/**
 * Plain text for a field written to Sentinel (comments, task text): the same control policy, images
 * removed, foreign links defanged. HTML escaping happens once, at the gateway (src/sentinel).
 */
export function safePlainText(text: string): string {
  let out = normaliseText(text);
  out = out.replace(MD_IMAGE, (_m, alt: string) => `[image removed${alt.trim() ? `: ${alt.trim()}` : ''}]`);
  out = out.replace(/<img\b[^>]*>/gi, '[image removed]');
  out = out.replace(MD_LINK, (_m, label: string, href: string) => `${label} (${href})`);
  return breakLinkSyntax(defangForeignLinks(out));
}

/** Markdown punctuation a TextBlock would interpret. */
const CARD_MARKDOWN_SPECIAL = /[\\[\]()!<>*_`~]/g;

/**
 * A value shown in an Adaptive Card: one control policy, foreign links defanged, markdown punctuation
 * backslash-escaped, template syntax defused, length capped (in characters, not UTF-16 units).
 */
export function safeCardText(
  value: unknown,
  maxChars: number,
  options: { multiline?: boolean } = {},
): string {
  if (typeof value !== 'string' || value.length === 0) return '';
  let text = normaliseText(value);
  text = options.multiline ? text.replace(/\n{3,}/g, '\n\n') : text.replace(/\s*\n\s*/g, ' ');
  text = text.replace(/[ \t]+/g, ' ').trim();
  const chars = Array.from(text);
  if (chars.length > maxChars)
    text = `${chars
      .slice(0, Math.max(1, maxChars - 1))
      .join('')
      .trimEnd()}…`;
  const kept = new Kept();
  text = text.replace(BARE_URL, (url) => (isAllowedLink(url) ? kept.keep(url) : url));
  text = defangForeignLinks(text.replace(CARD_MARKDOWN_SPECIAL, (c) => `\\${c}`));
  return kept.restore(text).replace(/\$\{/g, '$\\{');
}
