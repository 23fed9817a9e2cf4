import type { Subject } from './subjects';
import { refang } from './subjects';
import { findMentions, sentences, type Mention } from './text';
import type { ActionKind } from './types';

/**
 * The response actions a sentence talks about, each bound to what it acts on: "Block 185.220.101.45 and
 * reset adele's password" → block-ip 185.220.101.45, reset-password adele. One reader for task titles,
 * comments, alert remediation steps and model output, so done-detection, de-duplication and the
 * must-not guard all agree on what a piece of text would do.
 */

export interface TextTarget {
  /** Entity key when the text names an incident entity; undefined for a bare indicator. */
  key?: string;
  kind: string;
  value: string;
  /** How the text named it ("svchost.exe" for C:\Users\x\svchost.exe): a bare name acts on every copy. */
  said?: string;
}

export interface TextAction {
  action: ActionKind;
  target?: TextTarget;
  /** The sentence it was read from. */
  sentence: string;
  /** The verb as written ("isolated", "reset"), for tense. */
  verb: string;
}

interface Phrase {
  action: ActionKind;
  /** Named group `v` is the verb when the phrase has one. */
  re: RegExp;
  /** Entity kinds the action binds to (first match after the verb, else before it). */
  kinds: readonly string[];
}

const W = '(?:\\s+\\S+){0,4}?\\s+';

const PHRASES: readonly Phrase[] = [
  {
    action: 'isolate-host',
    re: /\b(?<v>isolat\w*)|\bnetwork containment|\b(?<v2>contain\w*) (?:the )?(?:host|device|machine|server|endpoint)/gi,
    kinds: ['Host'],
  },
  {
    action: 'scan-host',
    re: /\b(?:anti-?virus|av|malware|full|defender) (?<v>scan\w*)|\b(?<v2>scan(?:s|ned|ning)?)\b(?! ?\w*@)/gi,
    kinds: ['Host'],
  },
  {
    action: 'collect-evidence',
    re: /investigation package|memory (?:image|dump)|forensic\w*|\b(?<v>collect\w*)\b(?:\s+\S+){0,2}\s+evidence/gi,
    kinds: ['Host'],
  },
  { action: 'reimage-host', re: /\b(?<v>re-?imag\w*|rebuil[dt]\w*|wip(?:e|ed|ing))\b/gi, kinds: ['Host'] },
  { action: 'rotate-local-admin', re: /\blaps\b|local admin\w* passwords?/gi, kinds: ['Host'] },
  {
    action: 'reset-password',
    re: new RegExp(
      `\\b(?<v>reset\\w*|chang\\w*|rotat\\w*|expir\\w*)${W}passwords?\\b|\\bpasswords? (?:\\w+ ){0,2}(?<v2>reset|changed|rotated)\\b|\\bpassword (?:reset|change)|\\b(?<v3>reset\\w*)${W}credentials?\\b`,
      'gi',
    ),
    kinds: ['Account', 'Mailbox'],
  },
  {
    action: 'revoke-sessions',
    re: new RegExp(
      `\\b(?<v>revok\\w*|invalidat\\w*|terminat\\w*|kill\\w*)${W}(?:sessions?|tokens?|refresh)|\\b(?<v2>sign(?:ed|s)?) \\w+ out\\b|\\brevoke-\\w+|\\b(?:sessions?|tokens?)\\b(?:\\s+\\S+){0,3}?\\s+(?<v3>revoked|invalidated|terminated)\\b`,
      'gi',
    ),
    kinds: ['Account', 'Mailbox'],
  },
  {
    action: 'disable-account',
    re: /\b(?<v>disabl\w*|suspend\w*|deactivat\w*)\b|\b(?<v2>block\w*) sign-?ins?\b/gi,
    kinds: ['Account', 'Mailbox'],
  },
  {
    action: 'require-mfa',
    re: /\b(?<v>requir\w*|enforc\w*|enabl\w*)\b(?:\s+\S+){0,3}?\s+(?:mfa|multi-?factor)|legacy auth\w*/gi,
    kinds: [],
  },
  {
    action: 'review-mfa-methods',
    re: /(?:mfa|authentication|security info)(?: \w+)? methods?|registered (?:mfa|devices?|phone|security info)|security info/gi,
    kinds: ['Account', 'Mailbox'],
  },
  {
    action: 'remove-inbox-rule',
    re: new RegExp(
      `\\b(?<v>remov\\w*|delet\\w*|disabl\\w*)${W}(?:inbox |mailbox |forwarding |mail |the |malicious |suspicious )*rules?\\b|\\brules? (?:was |were |has been )?(?<v2>removed|deleted|disabled)`,
      'gi',
    ),
    kinds: ['Account', 'Mailbox'],
  },
  {
    action: 'block-forwarding',
    re: /\b(?<v>block\w*|disabl\w*|prevent\w*|stop\w*)\b(?:\s+\S+){0,3}?\s+(?:external |auto-?|automatic )?forwarding/gi,
    kinds: [],
  },
  {
    action: 'purge-mail',
    re: /\b(?<v>purg\w*|soft-?delet\w*|hard-?delet\w*)\b|\bzero-hour auto purge|\b(?<v2>delet\w*|remov\w*)\b(?:\s+\S+){0,3}?\s+(?:messages?|e-?mails?|mails?|copies)\b/gi,
    kinds: ['MailMessage', 'Url'],
  },
  {
    action: 'remove-role',
    re: new RegExp(
      `\\b(?<v>remov\\w*|revok\\w*|delet\\w*)${W}(?:\\S+ )?(?:roles?|role assignments?|privileges?|admin rights|owner(?:ship)?)\\b|\\brole (?:assignment )?(?:was |has been )?(?<v2>removed|revoked)`,
      'gi',
    ),
    kinds: ['Account'],
  },
  {
    action: 'rotate-credentials',
    re: new RegExp(
      `\\b(?<v>rotat\\w*|regenerat\\w*|renew\\w*|roll\\w*)${W}(?:\\S+ )?(?:secrets?|keys?|certificates?|credentials?)\\b`,
      'gi',
    ),
    kinds: ['Account', 'CloudApplication', 'AzureResource'],
  },
  {
    action: 'restrict-access',
    re: /\b(?<v>restrict\w*|clos(?:e|ed|ing))\b(?:\s+\S+){0,4}?\s+(?:tcp|port|rdp|3389|ssh|access|exposure)|just-in-time|\bjit\b|\bnsg\b/gi,
    kinds: ['Host'],
  },
  {
    action: 'legal-hold',
    re: /\blegal hold|\blitigation hold|\b(?<v>preserv\w*)\b(?:\s+\S+){0,3}?\s+(?:evidence|mailbox|data)/gi,
    kinds: ['Account', 'Mailbox'],
  },
  {
    action: 'notify',
    re: /\b(?<v>notif\w*|inform\w*|warn\w*)\b|\b(?<v2>contact\w*) (?:the )?(?:user|users|manager|hr|owner)/gi,
    kinds: ['Account', 'Mailbox'],
  },
  { action: 'verify-backups', re: /\bbackups?\b/gi, kinds: [] },
  {
    action: 'restrict-binary',
    re: /attack surface reduction|\basr\b|application control|applocker|\bwdac\b/gi,
    kinds: ['File', 'Process'],
  },
  {
    action: 'tune-rule',
    re: /\b(?<v>exclud\w*|exclusion|tun(?:e|ed|ing)|suppress\w*)\b|named location|trusted (?:ip|location|range|network)/gi,
    kinds: [],
  },
  { action: 'document', re: /\b(?<v>document\w*|classif\w*)\b/gi, kinds: [] },
  { action: 'escalate', re: /\b(?<v>escalat\w*)/gi, kinds: [] },
  {
    action: 'hunt',
    re: /\b(?<v>hunt\w*)\b|\b(?<v2>search\w*)\b(?:\s+\S+){0,3}?\s+(?:all|other|for|devices|hosts|mailboxes)|\bfind (?:other|all)\b/gi,
    kinds: [],
  },
  {
    action: 'review-activity',
    re: /\b(?<v>review\w*|investigat\w*|check\w*|examin\w*|analy[sz]\w*|audit\w*)\b|\blook (?:for|at|into)\b/gi,
    kinds: [
      'Account',
      'Host',
      'Ip',
      'Mailbox',
      'CloudApplication',
      'AzureResource',
      'File',
      'Process',
      'Url',
      'DnsResolution',
    ],
  },
];

/** Verbs whose meaning depends on what they act on. */
const GENERIC: readonly { verb: RegExp; map: Readonly<Record<string, ActionKind>> }[] = [
  {
    verb: /\b(?<v>block\w*|blacklist\w*|blocklist\w*|deny|denied|ban|banned|sinkhol\w*)\b/gi,
    map: {
      Ip: 'block-ip',
      Url: 'block-url',
      DnsResolution: 'block-url',
      Domain: 'block-url',
      Email: 'block-sender',
      MailMessage: 'block-sender',
      Mailbox: 'block-sender',
      FileHash: 'block-hash',
      File: 'block-hash',
      Process: 'block-hash',
      Account: 'disable-account',
      CloudApplication: 'delete-app',
      AzureResource: 'delete-resource',
      Host: 'isolate-host',
    },
  },
  {
    verb: /\b(?<v>delet\w*|remov\w*|destroy\w*|deprovision\w*|uninstall\w*|eras\w*|tear down)\b/gi,
    map: {
      AzureResource: 'delete-resource',
      CloudApplication: 'delete-app',
      Account: 'disable-account',
      File: 'quarantine-file',
      FileHash: 'quarantine-file',
      Process: 'quarantine-file',
      MailMessage: 'purge-mail',
      Mailbox: 'purge-mail',
      Host: 'reimage-host',
    },
  },
  {
    verb: /\b(?<v>quarantin\w*)\b/gi,
    map: {
      File: 'quarantine-file',
      FileHash: 'quarantine-file',
      Process: 'quarantine-file',
      Host: 'isolate-host',
      MailMessage: 'purge-mail',
      Url: 'purge-mail',
    },
  },
];

/** A generic verb with no target it can bind to still means something when the object is a word. */
const GENERIC_OBJECT_WORDS: readonly { re: RegExp; action: ActionKind }[] = [
  {
    re: /\b(?:block\w*)\b(?:\s+\S+){0,3}?\s+(?:the |this )?(?:sender|sender address|sending domain)/gi,
    action: 'block-sender',
  },
  {
    re: /\b(?:block\w*)\b(?:\s+\S+){0,3}?\s+(?:the |this |all )?(?:ip|ips|ip address(?:es)?|address(?:es)?|source)\b/gi,
    action: 'block-ip',
  },
  {
    re: /\b(?:block\w*)\b(?:\s+\S+){0,3}?\s+(?:the |this |all )?(?:url|urls|domain|domains|link|links)\b/gi,
    action: 'block-url',
  },
  {
    re: /\b(?:block\w*)\b(?:\s+\S+){0,3}?\s+(?:the |this |all )?(?:file )?(?:hash|hashes|file|files|binary|binaries)\b/gi,
    action: 'block-hash',
  },
  {
    re: /\b(?:delet\w*|remov\w*|destroy\w*)\b(?:\s+\S+){0,3}?\s+(?:the |all |any )?(?:vms?|virtual machines?|resources?|public ips?)\b/gi,
    action: 'delete-resource',
  },
  {
    re: /\b(?:delet\w*|remov\w*)\b(?:\s+\S+){0,3}?\s+(?:the |all |any )?(?:apps?|applications?|app registrations?|service principals?|oauth apps?)\b/gi,
    action: 'delete-app',
  },
  {
    re: /\b(?:delet\w*|remov\w*|quarantin\w*)\b(?:\s+\S+){0,3}?\s+(?:the |all |any )?(?:files?|binar(?:y|ies)|executables?|copies)\b/gi,
    action: 'quarantine-file',
  },
];

const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
const URL_RE = /\b(?:https?|hxxps?):\/\/[^\s<>"'`)\]]+/gi;
const EMAIL = /\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b/gi;
const HASH = /\b(?:[a-f0-9]{64}|[a-f0-9]{40}|[a-f0-9]{32})\b/gi;
const WIN_PATH = /\b[a-z]:\\[^\s"'<>|*?]+\.[a-z0-9]{2,4}\b/gi;
const DOMAIN = /\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,12}\b/gi;
const FILE_EXTENSIONS =
  /\.(exe|dll|sys|ps1|psm1|bat|cmd|vbs|js|jse|hta|lnk|docm?|xlsx?|xlsm|pptx?|pdf|zip|rar|7z|iso|img|msi|scr|txt|csv|log|json|xml|html?|py|sh|bin|dat|tmp|ini|cfg|local)$/i;

/** Indicators written out in the text that are not incident entities (a model may name anything). */
function bareIndicators(text: string, mentioned: readonly Mention[]): (TextTarget & { start: number })[] {
  const taken = (start: number, end: number) => mentioned.some((m) => start < m.end && end > m.start);
  const found: (TextTarget & { start: number })[] = [];
  const add = (re: RegExp, kind: string, normalise: (v: string) => string = (v) => v) => {
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken(start, end) || found.some((f) => start >= f.start && start < f.start + f.value.length))
        continue;
      found.push({ kind, value: normalise(m[0]), start });
    }
  };
  const refanged = text;
  add(URL_RE, 'Url', (v) => refang(v).replace(/[.,;:]+$/, ''));
  add(EMAIL, 'Email', (v) => v.toLowerCase());
  add(IPV4, 'Ip');
  add(HASH, 'FileHash', (v) => v.toLowerCase());
  add(WIN_PATH, 'File');
  for (const m of refanged.matchAll(DOMAIN)) {
    const start = m.index;
    const value = m[0].toLowerCase();
    if (FILE_EXTENSIONS.test(value) || /^\d+(\.\d+)+$/.test(value)) continue;
    if (
      taken(start, start + value.length) ||
      found.some((f) => start >= f.start && start < f.start + f.value.length + 1)
    )
      continue;
    found.push({ kind: 'Domain', value, start });
  }
  return found.sort((a, b) => a.start - b.start);
}

interface Located extends TextTarget {
  start: number;
  end: number;
}

function targetsOf(
  sentence: string,
  subjects: readonly Subject[],
  extra?: ReadonlyMap<string, string[]>,
): Located[] {
  const mentions = findMentions(sentence, subjects, extra);
  const byKey = new Map(subjects.map((s) => [s.key, s]));
  const named: Located[] = mentions.flatMap((m) => {
    const s = byKey.get(m.key);
    const said = sentence.slice(m.start, m.end);
    return s
      ? [{ key: s.key, kind: s.kind, value: s.value ?? s.name, said, start: m.start, end: m.end }]
      : [];
  });
  return [
    ...named,
    ...bareIndicators(sentence, mentions).map((b) => ({ ...b, end: b.start + b.value.length })),
  ].sort((a, b) => a.start - b.start);
}

function verbOf(m: RegExpMatchArray): string {
  const g = m.groups ?? {};
  return (g.v ?? g.v2 ?? g.v3 ?? m[0].split(/\s+/)[0] ?? '').toLowerCase();
}

/** A target of one of `kinds` after the verb (before the next verb), else before it in the sentence. */
function bind(
  targets: readonly Located[],
  at: number,
  nextVerbAt: number,
  kinds: readonly string[],
): Located[] {
  const fits = (t: Located) => kinds.includes(t.kind);
  const after = targets.filter((t) => t.start >= at && t.start < nextVerbAt && fits(t));
  if (after.length > 0) return after;
  const before = targets.filter((t) => t.start < at && fits(t));
  return before.length > 0 ? [before[before.length - 1] as Located] : [];
}

/**
 * Every action `text` talks about, bound to its targets. `extraAliases` adds names per subject key
 * (first names of accounts, for comments that say "Adele").
 */
export function actionsInText(
  text: string,
  subjects: readonly Subject[],
  extraAliases?: ReadonlyMap<string, string[]>,
): TextAction[] {
  const out: TextAction[] = [];
  for (const sentence of sentences(refang(text))) {
    const targets = targetsOf(sentence, subjects, extraAliases);
    const inName = (at: number, end: number) => targets.some((t) => at >= t.start && end <= t.end);
    const hits: {
      at: number;
      end: number;
      verb: string;
      kinds: readonly string[];
      resolve: (kind: string) => ActionKind | undefined;
      fallback?: ActionKind;
      /** A verb whose meaning depends on its object ("block", "delete"), not a whole phrase. */
      generic: boolean;
    }[] = [];
    for (const p of PHRASES) {
      for (const m of sentence.matchAll(p.re)) {
        hits.push({
          at: m.index,
          end: m.index + m[0].length,
          verb: verbOf(m),
          kinds: p.kinds,
          resolve: () => p.action,
          fallback: p.action,
          generic: false,
        });
      }
    }
    for (const g of GENERIC) {
      for (const m of sentence.matchAll(g.verb)) {
        const word = GENERIC_OBJECT_WORDS.find((w) => {
          w.re.lastIndex = 0;
          const hit = w.re.exec(sentence.slice(m.index));
          return hit !== null && hit.index === 0;
        });
        hits.push({
          at: m.index,
          end: m.index + m[0].length,
          verb: verbOf(m),
          kinds: Object.keys(g.map),
          resolve: (kind) => g.map[kind],
          fallback: word?.action,
          generic: true,
        });
      }
    }
    hits.sort((a, b) => a.at - b.at);
    for (const [i, h] of hits.entries()) {
      // A generic verb inside a phrase ("block" in "block sign-in") is that phrase, and one phrase found
      // twice at the same place is one action; two different phrases overlapping are two actions
      // ("rotate the local administrator (LAPS) passwords" is a password step and a host step).
      const covered = hits.some(
        (o, j) =>
          j !== i &&
          o.at <= h.at &&
          o.end >= h.end &&
          ((h.generic && !o.generic) || (o.resolve === h.resolve && (o.end - o.at > h.end - h.at || j < i))),
      );
      if (covered) continue;
      if (inName(h.at, h.end)) continue;
      const next = hits.find((o) => o.at >= h.end)?.at ?? sentence.length;
      let bound = bind(targets, h.end, next, h.kinds);
      // A generic verb acts on its object: "delete X from HOST-1" deletes X, not the host.
      if (h.generic && bound.length > 1) bound = bound.filter((t) => t.kind === bound[0]?.kind);
      // "Reset password and revoke sessions for X": coordinated verbs share the object after the last one.
      if (bound.length === 0 && /^\s*(?:\S+\s+){0,3}?(?:and|&|,|\/)\s*$/i.test(sentence.slice(h.end, next)))
        bound = bind(targets, next, sentence.length, h.kinds).slice(0, 1);
      if (bound.length === 0) {
        if (h.fallback) out.push({ action: h.fallback, sentence, verb: h.verb });
        continue;
      }
      for (const t of bound) {
        const action = h.resolve(t.kind);
        if (action)
          out.push({
            action,
            target: { key: t.key, kind: t.kind, value: t.value, ...(t.said ? { said: t.said } : {}) },
            sentence,
            verb: h.verb,
          });
      }
    }
  }
  return dedupe(out);
}

function dedupe(actions: TextAction[]): TextAction[] {
  const seen = new Set<string>();
  return actions.filter((a) => {
    const k = `${a.action}|${a.target?.key ?? a.target?.value ?? ''}|${a.sentence}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
