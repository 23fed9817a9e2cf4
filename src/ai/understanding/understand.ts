import type { IncidentData } from '../incidentData';
import { flatten, oneLine } from '../spotlight';
import { Ballot } from './ballot';
import { countsFromText } from './counts';
import type { LogEvidence } from './logEvidence';
import { voteFromLogs } from './logVotes';
import {
  commentAuthor,
  conversationalAliases,
  isBotComment,
  readClassificationComment,
  readStatements,
} from './statements';
import { describeEntity, hostOfUrl, orgDomainsOf, type Subject } from './subjects';
import { findMentions } from './text';
import {
  clickedSubjects,
  voteForInsider,
  voteFromAlerts,
  voteFromClassification,
  voteFromDescription,
  voteFromProperties,
  voteFromStatements,
} from './textVotes';
import type { EntityUnderstanding, IncidentUnderstanding } from './types';
import { verdictHint } from './verdict';

export interface UnderstandOptions {
  /** Log evidence gathered for this incident (gatherLogEvidence); without it, roles rest on the text. */
  logs?: LogEvidence;
}

/** Changes whenever anything the understanding reads changes (incident, comments, tasks, alerts, entities). */
export function understandingVersion(data: IncidentData): string {
  const i = data.incident;
  return [
    i.name,
    i.etag ?? '',
    i.lastModifiedTimeUtc,
    i.status,
    i.classification ?? '',
    data.alerts.length,
    data.entities.length,
    data.comments.map((c) => c.name + (c.etag ?? '')).join(','),
    data.tasks.map((t) => `${t.name}:${t.status}:${t.etag ?? ''}`).join(','),
  ].join('|');
}

const FORWARD_TO = /\bforward\w*\b[^.]{0,120}?\bto\b[^.]{0,40}?\b([a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,})\b/gi;

/** External addresses the text says mail is forwarded to: the attacker's collection mailbox. */
function forwardingTargets(data: IncidentData, orgDomains: readonly string[]): Subject[] {
  const texts = [data.incident.description, ...data.alerts.map((a) => a.description)];
  const found = new Map<string, Subject>();
  for (const text of texts) {
    for (const m of text.matchAll(FORWARD_TO)) {
      const address = (m[1] ?? '').toLowerCase();
      const domain = address.split('@')[1] ?? '';
      if (address === '' || orgDomains.includes(domain) || found.has(address)) continue;
      found.set(address, {
        key: `text:${address}`,
        kind: 'Email',
        name: address,
        value: address,
        aliases: [address],
        flags: {},
        details: {},
        sameAs: [],
        fromLogs: true,
      });
    }
  }
  return [...found.values()];
}

/** Same subject under two entities: Account ↔ Mailbox, Host ↔ Azure VM, File ↔ its hash, URL ↔ its host. */
function link(subjects: Subject[]): void {
  const pair = (a: Subject, b: Subject) => {
    if (!a.sameAs.includes(b.key)) a.sameAs.push(b.key);
    if (!b.sameAs.includes(a.key)) b.sameAs.push(a.key);
  };
  const files = subjects.filter((s) => s.kind === 'File');
  const hashes = subjects.filter((s) => s.kind === 'FileHash');
  for (const a of subjects) {
    for (const b of subjects) {
      if (a === b) continue;
      if (
        a.kind === 'Account' &&
        b.kind === 'Mailbox' &&
        a.details.upn &&
        a.details.upn.toLowerCase() === b.details.upn?.toLowerCase()
      )
        pair(a, b);
      if (
        a.kind === 'Host' &&
        b.kind === 'AzureResource' &&
        !b.flags.scope &&
        b.details.resourceName &&
        a.aliases.includes(b.details.resourceName.toLowerCase())
      )
        pair(a, b);
      if (a.kind === 'Url' && (b.kind === 'Ip' || b.kind === 'DnsResolution')) {
        const host = hostOfUrl(a.value ?? '');
        if (host && (host === b.value?.toLowerCase() || host.endsWith(`.${b.value?.toLowerCase() ?? '-'}`)))
          pair(a, b);
      }
    }
  }
  // A hash belongs to the file that lists it; with no such link, to the only file of the incident.
  for (const h of hashes) {
    const listed = files.filter((f) =>
      f.details.hashIds?.some(
        (id) => id.toLowerCase() === h.key.toLowerCase() || id.toLowerCase() === h.value?.toLowerCase(),
      ),
    );
    const owner = listed.length === 1 ? listed[0] : files.length === 1 ? files[0] : undefined;
    if (owner) pair(owner, h);
    // Several files and no link: if every one is a Windows binary, so is whatever the hash belongs to.
    else if (files.length > 1 && files.every((f) => f.flags.systemBinary)) h.flags.systemBinary = true;
  }
  for (const h of hashes) {
    const owner = subjects.find((s) => s.kind === 'File' && s.sameAs.includes(h.key));
    if (owner?.flags.systemBinary) h.flags.systemBinary = true;
  }
}

/** Linked subjects share their strongest role: a hash is what its file is; a mailbox what its user is. */
function propagate(ballot: Ballot, subjects: readonly Subject[]): void {
  // Decided once, before any vote is shared, so the order of subjects cannot change the outcome.
  const decided = new Map(subjects.map((s) => [s.key, ballot.decide(s.key)]));
  for (const s of subjects) {
    for (const key of s.sameAs) {
      const other = subjects.find((x) => x.key === key);
      const d = decided.get(key);
      if (!other || !d || d.weight === 0) continue;
      if (s.kind === 'FileHash' && other.kind !== 'File') continue;
      ballot.add(s.key, d.role, Math.min(2, d.weight), {
        kind: d.evidence[0]?.kind ?? 'entity',
        text: `same subject as ${other.kind} ${other.name}: ${d.evidence[0]?.text ?? d.role}`,
        ref: d.evidence[0]?.ref ?? `${other.kind} entity`,
      });
    }
  }
}

/**
 * The incident understood: every entity's role with the evidence for it, what is done and open, the
 * counts with their sources, and a verdict hint. Pure: the same data and logs give the same result.
 */
export function understandIncident(
  data: IncidentData,
  options: UnderstandOptions = {},
): IncidentUnderstanding {
  const incident = data.incident;
  const orgDomains = orgDomainsOf(data.entities);
  // Sentinel can list one subject several times (once per alert): one subject per kind and value.
  const seen = new Set<string>();
  const subjects: Subject[] = data.entities
    .map((e) => describeEntity(e, orgDomains))
    .filter((s) => {
      const id = `${s.kind}|${(s.value ?? s.name).toLowerCase()}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  subjects.push(
    ...forwardingTargets(data, orgDomains).filter(
      (t) => !subjects.some((s) => s.aliases.includes(t.aliases[0] ?? '')),
    ),
  );
  link(subjects);
  // Names analysts write ("Adele", "the Tor address") become aliases, so every reader finds them.
  for (const [key, extra] of conversationalAliases(subjects)) {
    const s = subjects.find((x) => x.key === key);
    if (s) s.aliases = [...new Set([...s.aliases, ...extra])];
  }

  const statements = readStatements(data.comments, data.tasks, subjects);
  const closing = readClassificationComment(incident.classificationComment ?? '', subjects);
  const ballot = new Ballot();
  voteFromProperties(ballot, subjects);
  voteFromAlerts(ballot, data.alerts, subjects);
  voteFromDescription(ballot, incident, subjects);
  voteForInsider(ballot, incident, data.alerts, subjects);
  for (const s of subjects.filter((x) => x.kind === 'Email'))
    ballot.add(s.key, 'attacker', 2, {
      kind: 'description',
      text: `mail is forwarded to this external address`,
      ref: 'incident description',
    });
  voteFromStatements(ballot, statements);
  for (const a of closing.assertions) ballot.add(a.key, a.role, 3, a.evidence);
  voteFromClassification(ballot, incident, subjects);
  // "This is our SCCM deployment, expected": the analysts' word, as for a closing classification but
  // weaker, and only while no analyst says otherwise.
  const stances = [...statements.stances, ...closing.stances];
  const analystsSayBenign =
    stances.some((s) => s.stance === 'benign') && !stances.some((s) => s.stance === 'malicious');
  if (analystsSayBenign) {
    const said = stances.find((s) => s.stance === 'benign')?.evidence;
    const vouched = new Set(statements.assertions.filter((a) => a.role !== 'legitimate').map((a) => a.key));
    // Outweighs the alert's own wording (what the analysts looked at), not an analyst saying otherwise.
    for (const s of subjects)
      if (said && !vouched.has(s.key) && !s.flags.orgOwned) ballot.add(s.key, 'legitimate', 5, said);
  }
  const logFacts = options.logs
    ? voteFromLogs(ballot, subjects, options.logs)
    : { counts: [], findings: [], added: [], done: [] };
  propagate(ballot, subjects);

  const clicked = clickedSubjects([incident.description, ...data.alerts.map((a) => a.description)], subjects);
  const entities: EntityUnderstanding[] = subjects.map((s) => {
    const decided = ballot.decide(s.key, s.fromLogs ? 'targeted' : 'context');
    const flags = { ...s.flags, ...(clicked.has(s.key) ? { clicked: true } : {}) };
    return {
      key: s.key,
      kind: s.kind,
      name: s.name,
      value: s.value,
      aliases: s.aliases,
      role: decided.role,
      confidence: decided.confidence,
      evidence: decided.evidence.slice(0, 8),
      flags,
      sameAs: s.sameAs,
      fromLogs: s.fromLogs,
    };
  });

  const counts = [...logFacts.counts, ...countsFromText(incident, data.alerts)];
  const comments = data.comments
    .filter((c) => !isBotComment(c))
    .map((c) => ({
      author: commentAuthor(c),
      when: c.createdTimeUtc,
      text: flatten(c.message.replace(/<[^>]+>/g, ' '), 600),
    }));
  const understanding: IncidentUnderstanding = {
    incidentName: incident.name,
    incidentNumber: incident.number,
    version: understandingVersion(data),
    closed: incident.status === 'Closed',
    classification: incident.classification,
    entities,
    done: [...statements.done, ...logFacts.done],
    open: statements.open,
    counts,
    verdict: { verdict: 'undetermined', confidence: 'low', evidence: [] },
    comments,
    tasks: data.tasks.map((t) => ({
      title: oneLine(t.title, 150),
      status: t.status,
      description: t.description ? flatten(t.description, 300) : undefined,
    })),
    orgDomains,
    findings: logFacts.findings,
    logStatus: options.logs?.status ?? { ran: [], failed: [], skipped: true },
  };
  understanding.verdict = verdictHint(data, understanding, stances);
  const benignEvidence = understanding.verdict.evidence[0];
  if (incident.classification === 'BenignPositive' || incident.classification === 'FalsePositive')
    understanding.benign = {
      by: 'classification',
      evidence: benignEvidence ?? {
        kind: 'classification',
        text: incident.classification,
        ref: 'incident classification',
      },
    };
  else if (analystsSayBenign && understanding.verdict.verdict === 'benign-positive' && benignEvidence)
    understanding.benign = { by: 'analysts', evidence: benignEvidence };
  return understanding;
}

/** Subjects for reading free text (comments, task titles, model output) against an understanding. */
export function subjectsOf(u: IncidentUnderstanding): Subject[] {
  return u.entities.map((e) => ({
    key: e.key,
    kind: e.kind,
    name: e.name,
    value: e.value,
    aliases: e.aliases,
    flags: e.flags,
    details: {},
    sameAs: e.sameAs,
    fromLogs: e.fromLogs,
  }));
}

/** Entities a piece of text names, by key (for answers about "X"). */
export function entitiesNamedIn(text: string, u: IncidentUnderstanding): EntityUnderstanding[] {
  const keys = new Set(findMentions(text, subjectsOf(u)).map((m) => m.key));
  return u.entities.filter((e) => keys.has(e.key));
}
