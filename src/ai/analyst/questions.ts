import type { IncidentData } from '../incidentData';
import { groupAlerts } from '../incidentFacts';
import { guardAction } from '../remediation/guard';
import type { RemediationPlan } from '../remediation/types';
import { flatten, oneLine } from '../spotlight';
import { actionsInText } from '../understanding/actions';
import { sentences } from '../understanding/text';
import type { EntityUnderstanding, Evidence } from '../understanding/types';
import { entitiesNamedIn, subjectsOf } from '../understanding/understand';
import { byRole, cite, countLine, entityLine, orderedCounts, roleLabel, type Say } from './describe';
import { doneAndOpen } from './summary';

/**
 * Answers to the questions analysts ask about one incident: what someone said, what is done or open,
 * whether a step was already taken, how many, whether something is malicious or legitimate, who did or
 * suffered what, what the attacker did, whether a step is safe to take — from the understanding.
 */

const STOP = new Set(
  'the a an is are was were be been did do does done what which who whom whose where when why how of to in on at by for from with and or not no any this that these those it its their there here about into after before than then so as has have had i we you me my our your please tell show give say said'.split(
    ' ',
  ),
);

function stem(w: string): string {
  return w.replace(/(ing|ed|es|s|ful)$/i, '');
}

function keywords(question: string): string[] {
  return [
    ...new Set(
      question
        .toLowerCase()
        .split(/[^a-z0-9@._-]+/)
        .filter((w) => w.length > 2 && !STOP.has(w))
        .map(stem),
    ),
  ];
}

export function comments(say: Say, question: string): string {
  const u = say.u;
  if (u.comments.length === 0) return 'The incident has no comments from analysts.';
  const q = question.toLowerCase();
  const byAuthor = u.comments.filter((c) =>
    c.author
      .split(/\s+/)
      .some((part) => part.length > 2 && new RegExp(`\\b${part.toLowerCase()}\\b`).test(q)),
  );
  const chosen = byAuthor.length > 0 ? byAuthor : u.comments;
  const intro =
    byAuthor.length > 0
      ? `What ${byAuthor[0]?.author ?? ''} wrote on the incident:`
      : `Comments on the incident (${u.comments.length}):`;
  return [
    intro,
    ...chosen.map(
      (c) =>
        `- ${c.author}${c.when ? ` (${c.when.slice(0, 16).replace('T', ' ')} UTC)` : ''}: "${say.text(c.text)}"`,
    ),
  ].join('\n');
}

export function status(say: Say): string {
  return doneAndOpen(say).join('\n\n');
}

/** "Was adele's password already reset?": the action and target the question names, done or not. */
export function doneCheck(say: Say, question: string): string | undefined {
  const u = say.u;
  const asked = actionsInText(question, subjectsOf(u));
  if (asked.length === 0) return undefined;
  const lines: string[] = [];
  for (const a of asked) {
    const matches = (r: (typeof u.done)[number]) =>
      r.action === a.action &&
      (a.target?.key === undefined || r.targetKey === undefined || r.targetKey === a.target.key);
    const done = u.done.find(matches);
    const open = u.open.find(matches);
    const what = `${a.action.replace(/-/g, ' ')}${a.target ? ` for ${say.text(a.target.value)}` : ''}`;
    if (done) lines.push(`**Yes** — ${what} is already done: ${cite(say, done.evidence)}.`);
    else if (open) lines.push(`**Not yet** — ${what} is still open: ${cite(say, open.evidence)}.`);
    else lines.push(`**No record** — no task or comment says ${what} was done.`);
  }
  return [...new Set(lines)].join('\n\n');
}

/** "Should I isolate X?": the must-not guard's verdict and whether the plan proposes it. */
export function advice(say: Say, question: string, plan: RemediationPlan): string | undefined {
  const u = say.u;
  const asked = actionsInText(question, subjectsOf(u));
  if (asked.length === 0) return undefined;
  const lines = asked.map((a) => {
    const targets = a.target
      ? [{ key: a.target.key, kind: a.target.kind, value: a.target.value, name: a.target.value }]
      : [];
    const verdict = guardAction(a.action, targets, u);
    const what = `${a.action.replace(/-/g, ' ')}${a.target ? ` ${say.text(a.target.value)}` : ''}`;
    if (!verdict.ok) return `**No** — do not ${what}: ${say.text(verdict.reason)}.`;
    const planned = plan.actions.find(
      (p) =>
        p.action === a.action &&
        (a.target?.key === undefined || p.targets.some((t) => t.key === a.target?.key)),
    );
    return planned
      ? `**Yes** — it is in the proposed plan: ${say.text(planned.title)} (${planned.urgency}) — why: ${say.text(planned.why)}.`
      : `**Not proposed** — nothing forbids ${what}, but the evidence does not call for it; the proposed plan is under "remediation steps".`;
  });
  return [...new Set(lines)].join('\n\n');
}

export function counts(say: Say, question: string): string {
  const all = orderedCounts(say.u);
  if (all.length === 0) return 'Neither the incident texts nor the logs state a count for this.';
  const words = keywords(question);
  const relevant = all.filter((c) =>
    words.some(
      (w) =>
        stem(c.what.toLowerCase()).includes(w) ||
        c.what
          .toLowerCase()
          .split(/\s+/)
          .some((x) => stem(x) === w),
    ),
  );
  const shown = relevant.length > 0 ? relevant : all;
  return [
    `${relevant.length > 0 ? 'Counts' : 'The counts the data states'} (logs first, then the incident texts; never the entity list):`,
    ...shown.slice(0, 6).map((c) => `- ${countLine(say, c)}`),
  ].join('\n');
}

/** Entities a question names; when none, entities whose name contains one of its words ("the powershell command"). */
function namedEntities(say: Say, question: string): EntityUnderstanding[] {
  const named = entitiesNamedIn(question, say.u);
  if (named.length > 0) return named;
  // "Was the host compromised?": the incident's only host.
  const the =
    /\bthe (host|device|machine|server|account|user|ip|address|domain|url|file)\b/i.exec(question)?.[0] ?? '';
  const kinds = WHO_BY_NOUN.find(([re]) => re.test(the))?.[1] ?? [];
  const only = say.u.entities.filter((e) => kinds.includes(e.kind) && !e.fromLogs);
  if (only.length === 1) return only;
  const words = keywords(question).filter((w) => w.length > 4);
  return say.u.entities.filter((e) => words.some((w) => e.name.toLowerCase().includes(w)));
}

export function judgement(say: Say, question: string): string | undefined {
  const named = namedEntities(say, question);
  if (named.length === 0) return undefined;
  const lines = named.slice(0, 4).map((e) => {
    const ev = e.evidence.slice(0, 3).map((x) => `  - ${cite(say, x)}`);
    const shown = new Set(e.evidence.slice(0, 3).map((x) => x.text));
    const logs = say.u.findings.filter(
      (f) => e.value && f.text.toLowerCase().includes(e.value.toLowerCase()) && !shown.has(f.text),
    );
    const also = logs.slice(0, 6).map((f) => `  - also in the logs: ${cite(say, f)}`);
    return [
      `**${say.text(e.name)}** (${e.kind}) is **${roleLabel(e)}** (${e.confidence} confidence). Evidence:`,
      ...ev,
      ...also,
    ].join('\n');
  });
  return lines.join('\n\n');
}

const WHO_BY_VERB: readonly [RegExp, EntityUnderstanding['role'][], string[]][] = [
  [
    /\b(signed in|logged in|succeeded|successful|compromised|hacked|taken over|breached)\b/i,
    ['compromised'],
    ['Account', 'Host'],
  ],
  [/\b(opened|ran|run|executed|launched|clicked)\b/i, ['compromised', 'targeted'], ['Account']],
  [
    /\b(targeted|attacked|sprayed|received|recipients?|victims?)\b/i,
    ['targeted', 'compromised'],
    ['Account', 'Mailbox', 'Host'],
  ],
  [/\b(given|granted|added|promoted|elevated)\b/i, ['attacker'], ['Account']],
  [/\b(sent|sender|send)\b/i, ['attacker'], ['MailMessage', 'Email', 'Ip']],
  [/\b(legitimate|benign|safe|trusted)\b/i, ['legitimate'], []],
  [/\b(attacker\w*|malicious|hostile|bad|threat actor|intruder)\b/i, ['attacker'], []],
];
const WHO_BY_NOUN: readonly [RegExp, string[]][] = [
  [/\b(ips?|addresses|address|source)\b/i, ['Ip']],
  [/\b(hosts?|devices?|machines?|servers?|workstations?|laptops?)\b/i, ['Host']],
  [/\b(domains?|urls?|links?|sites?)\b/i, ['Url', 'DnsResolution']],
  [/\b(process(es)?|binar(y|ies)|executables?)\b/i, ['Process', 'File']],
  [/\b(files?|documents?|hash(es)?)\b/i, ['File', 'FileHash']],
  [/\b(accounts?|users?|people|mailbox(es)?)\b/i, ['Account', 'Mailbox']],
];

/** "Which accounts signed in from the attacker IP?", "who received the email?", "which IPs attacked?". */
export function who(say: Say, question: string, data: IncidentData): string {
  const u = say.u;
  const verb = WHO_BY_VERB.find(([re]) => re.test(question));
  const noun = WHO_BY_NOUN.find(([re]) => re.test(question));
  const kinds = noun?.[1] ?? verb?.[2] ?? [];
  const network = kinds.some((k) => ['Ip', 'Url', 'DnsResolution'].includes(k));
  // "Which IPs attacked?" asks for the attacker's addresses, not for targets.
  const roles =
    network && !verb?.[1].includes('legitimate')
      ? ['attacker']
      : (verb?.[1] ?? (noun ? ['attacker', 'compromised'] : []));
  const picked = u.entities.filter(
    (e) => roles.includes(e.role) && (kinds.length === 0 || kinds.includes(e.kind)),
  );
  const lines: string[] = [];
  if (picked.length > 0) {
    const sender = /\b(sent|sender|send)\b/i.test(question);
    lines.push(
      ...picked
        .slice(0, 10)
        .map(
          (e) =>
            `- ${sender && e.kind === 'MailMessage' ? `sender ${say.text(e.value ?? e.name)} of "${say.text(e.name)}"` : entityLine(say, e)}`,
        ),
    );
  }
  const related = search(say, question, data, 2);
  if (lines.length === 0)
    return related.length ? related.map((r) => `- ${r}`).join('\n') : 'The incident data does not say.';
  return [lines.join('\n'), related.length ? `Related:\n${related.map((r) => `- ${r}`).join('\n')}` : '']
    .filter(Boolean)
    .join('\n\n');
}

export function attackerActions(say: Say): string {
  const u = say.u;
  const lines: string[] = [];
  if (u.findings.length)
    lines.push(
      `From the logs:\n${u.findings
        .slice(0, 10)
        .map((f) => `- ${cite(say, f)}`)
        .join('\n')}`,
    );
  const compromised = byRole(u, 'compromised');
  if (compromised.length) lines.push(`Compromised: ${compromised.map((e) => entityLine(say, e)).join('; ')}`);
  if (lines.length === 0) return 'The logs the bot can read show nothing the attacker did beyond the alerts.';
  return lines.join('\n\n');
}

/** The sentences in the incident that share the most words with the question, with where they are. */
export function search(say: Say, question: string, data: IncidentData, max = 3): string[] {
  const words = keywords(question);
  if (words.length === 0) return [];
  const candidates: Evidence[] = [
    ...sentences(data.incident.description).map((t) => ({
      kind: 'description' as const,
      text: t,
      ref: 'incident description',
    })),
    ...groupAlerts(data.alerts).flatMap((g) =>
      sentences(g.description).map((t) => ({
        kind: 'alert' as const,
        text: t,
        ref: `alert "${oneLine(g.displayName, 100)}"`,
      })),
    ),
    ...say.u.comments.flatMap((c) =>
      sentences(c.text).map((t) => ({ kind: 'comment' as const, text: t, ref: `comment by ${c.author}` })),
    ),
    ...sentences(data.incident.classificationComment ?? '').map((t) => ({
      kind: 'classification' as const,
      text: t,
      ref: 'classification comment',
    })),
    ...say.u.findings,
    ...say.u.entities.map((e) => ({
      kind: 'entity' as const,
      text: `${e.kind} ${e.name}`,
      ref: `${e.kind} entity`,
    })),
  ];
  const scored = candidates
    .map((c) => {
      const text = c.text.toLowerCase();
      const hits = words.filter((w) => text.includes(w)).length;
      return { c, hits };
    })
    .filter((x) => x.hits > 0)
    .sort((a, b) => b.hits - a.hits);
  if (scored.length === 0) return [];
  const best = scored[0]?.hits ?? 0;
  return scored
    .filter((x) => x.hits >= Math.max(1, best - 1))
    .slice(0, max)
    .map((x) => `${say.text(flatten(x.c.text, 300))} (${x.c.ref})`);
}
