import type { Alert, Incident } from '../../domain/types';
import { groupAlerts } from '../incidentFacts';
import { flatten, oneLine } from '../spotlight';
import type { Ballot } from './ballot';
import { maliciousProcess } from './logEndpointVotes';
import type { Statements } from './statements';
import type { Subject } from './subjects';
import { addressesInCity, findMentions, isNegatedOrPending, sentences } from './text';
import type { Evidence } from './types';

/**
 * Votes from what Sentinel and the analysts wrote: entity enrichment (Tor exit, threat intelligence,
 * a Windows binary's folder), alert names and descriptions, the incident description, comments and
 * tasks, and the closing classification. Every rule reads general wording, never a particular incident.
 */

/** Words that make a network address, URL, domain, file or process hostile when a sentence names it. */
const STRONG_HOSTILE =
  /\b(anonymi[sz]\w*|anonymous (?:ip|proxy)|tor\b|exit node|spray\w*|brute[- ]?forc\w*|malicious|malware|phish\w*|c2\b|command[- ]and[- ]control|staging|tunnel\w*|attacker\w*|known bad|botnet|credential[- ]harvest\w*|masquerad\w*|download cradle|mining pool|\bminer\b|impersonat\w*|lookalike|ransom\w*|encrypted (?:many |the |all )?files|wip(?:e|ed|es|ing) free space|failed (?:\w+ ){0,2}(?:logons?|logins?|sign-?ins?|attempts))/i;
const WEAK_HOSTILE =
  /\b(unverified publisher|unfamiliar|not previously (?:used|seen)|never (?:been )?(?:seen|used)|not seen|suspicious|unusual|new region|rare)\b/i;
const HOST_TARGETED =
  /\b(failed (?:\w+ )?logons?|brute[- ]?forc\w*|dictionary attack|none of them succeeded|no successful|password guessing|failed (?:rdp|ssh|sign-?in)|received \d+ failed)/i;
const HOST_COMPROMISED =
  /\b(deleted|cleared|disabled|encoded|encrypt\w*|spawned|launched|executed|ran\b|connected to|queried|queries|mining|masquerad\w*|ransom\w*|malicious|download\w*|persistence|shadow cop\w*|tampering|inhibit|exploit\w*|implant|backdoor|beacon\w*)/i;
const ACCOUNT_ATTACK_CONTEXT =
  /\b(same address|attacker|anonymi\w*|tor\b|spray\w*|malicious|compromis\w*|brute|credentials? (?:were|was) (?:stolen|used)|impossible travel|atypical travel|unfamiliar|not previously used)\b/i;
const ACCOUNT_SIGNED_IN =
  /\b(successful(?:ly)? sign(?:ed)?[- ]?in|successful (?:logon|login)|signed in|signing in as|sign-?ins? from|logged on)\b/i;
const ACCOUNT_COMPROMISED_TEXT =
  /\b(compromised (?:credentials|account|user)|account takeover|attacker using (?:the|their|his|her) (?:user'?s? )?credentials|using compromised credentials|stolen credentials)\b/i;
const EXTERNAL_FORWARD = /\bforward\w*\b.{0,80}\b(external|outside|to the (?:external )?address)/i;
const CLICKED =
  /\b(clicked|opened (?:the )?(?:attachment|link|file|document)|visited|entered (?:their|her|his) credentials)\b/i;
const RECIPIENT = /\b(delivered to|sent to|received by|recipient|in the inbox of|mailbox of)\b/i;
const PRIVILEGE_GRANT =
  /\b(added|assigned|granted|elevated)\b.{0,60}\b(global administrator|administrator|admin|owner|privileged|role)\b/i;
const INSIDER =
  /\b(departing|resign\w*|leaver|notice period|insider|terminated employee|last day|disgruntled|departing-employees?)\b/i;
const CONTINUATION =
  /^\s*(this|these|it|its|the (?:user|account|host|device|sign-?in|session|app|application|file|domain|address|url|message|e-?mail|process))\b/i;
/** A logon or sign-in that worked, said positively ("no successful logon" is a negation). */
const HOST_BREACHED = /\b(succeeded|successful (?:\w+ )?(?:logon|login|sign-?in)|logged on successfully)\b/i;

function alertRef(name: string): string {
  return `alert "${oneLine(name, 120)}"`;
}

/** Sentences with the subjects each one names; a sentence opening with "This …" continues the last. */
function namedSentences(
  text: string,
  subjects: readonly Subject[],
  cities = true,
): { sentence: string; keys: string[] }[] {
  const out: { sentence: string; keys: string[] }[] = [];
  let previous: string[] = [];
  for (const sentence of sentences(text)) {
    const keys = new Set(findMentions(sentence, subjects).map((m) => m.key));
    if (cities) {
      // "an unfamiliar IP in Singapore": the incident's address located there.
      for (const s of addressesInCity(sentence, subjects)) keys.add(s.key);
    }
    const list = [...keys];
    out.push({ sentence, keys: list.length === 0 && CONTINUATION.test(sentence) ? previous : list });
    if (list.length > 0) previous = list;
  }
  return out;
}

/** Alert and description sentences: what they say about each subject they name. */
function voteOnText(
  ballot: Ballot,
  text: string,
  evidenceOf: (sentence: string) => Evidence,
  subjects: readonly Subject[],
  base: number,
): void {
  const byKey = new Map(subjects.map((s) => [s.key, s]));
  const parts = namedSentences(text, subjects);
  for (const [i, { sentence, keys }] of parts.entries()) {
    const before = parts[i - 1]?.sentence ?? '';
    const evidence = evidenceOf(sentence);
    for (const key of keys) {
      const s = byKey.get(key);
      if (!s) continue;
      switch (s.kind) {
        case 'Ip':
        case 'Url':
        case 'DnsResolution':
        case 'File':
        case 'FileHash':
        case 'Process':
        case 'CloudApplication':
        case 'Email':
          if (s.flags.firstParty || s.flags.orgOwned) break;
          if (STRONG_HOSTILE.test(sentence) && !(s.kind === 'File' && s.flags.systemBinary))
            ballot.add(key, 'attacker', base, evidence);
          else if (WEAK_HOSTILE.test(sentence)) ballot.add(key, 'attacker', 1, evidence);
          break;
        case 'Host':
          if (HOST_BREACHED.test(sentence) && !isNegatedOrPending(sentence) && !/\bnone\b/i.test(sentence))
            ballot.add(key, 'compromised', base, evidence);
          else if (HOST_TARGETED.test(sentence)) ballot.add(key, 'targeted', base, evidence);
          else if (HOST_COMPROMISED.test(sentence)) ballot.add(key, 'compromised', base, evidence);
          break;
        case 'Account':
        case 'Mailbox': {
          if (ACCOUNT_COMPROMISED_TEXT.test(sentence)) ballot.add(key, 'compromised', base, evidence);
          else if (
            ACCOUNT_SIGNED_IN.test(sentence) &&
            (ACCOUNT_ATTACK_CONTEXT.test(sentence) || ACCOUNT_ATTACK_CONTEXT.test(before)) &&
            !isNegatedOrPending(sentence)
          )
            ballot.add(key, 'compromised', base, evidence);
          else if (EXTERNAL_FORWARD.test(sentence) && /\b(created|set up|added)\b/i.test(sentence))
            ballot.add(key, 'compromised', base, evidence);
          else if (CLICKED.test(sentence)) ballot.add(key, 'targeted', base, evidence);
          else if (RECIPIENT.test(sentence)) ballot.add(key, 'targeted', 1, evidence);
          break;
        }
        default:
          break;
      }
    }
    // "X added the account Y to the Global Administrator role": Y holds a privilege the attack granted.
    const grant = PRIVILEGE_GRANT.exec(sentence);
    if (grant) {
      const after = findMentions(sentence.slice(grant.index), subjects).map((m) => m.key);
      const granted = after.filter((k) => byKey.get(k)?.kind === 'Account');
      const actor = keys.find((k) => byKey.get(k)?.kind === 'Account' && !granted.includes(k));
      for (const k of granted.filter((g) => g !== actor))
        ballot.add(k, 'attacker', base, {
          ...evidence,
          text: `${evidence.text} (granted a privileged role)`,
        });
    }
  }
}

/** Flags the text sets: a user who clicked, a message recipient. */
export function clickedSubjects(texts: readonly string[], subjects: readonly Subject[]): Set<string> {
  const clicked = new Set<string>();
  for (const text of texts) {
    for (const { sentence, keys } of namedSentences(text, subjects, false)) {
      if (!CLICKED.test(sentence) || isNegatedOrPending(sentence)) continue;
      for (const k of keys) if (subjects.find((s) => s.key === k)?.kind === 'Account') clicked.add(k);
    }
  }
  return clicked;
}

export function voteFromProperties(ballot: Ballot, subjects: readonly Subject[]): void {
  for (const s of subjects) {
    const ev = (text: string): Evidence => ({ kind: 'entity', text, ref: `${s.kind} entity ${s.name}` });
    const rep = s.details.reputation ?? '';
    if (s.kind === 'Ip' && /\btor\b|exit node|anonymi[sz]|anonymous proxy/i.test(rep))
      ballot.add(s.key, 'attacker', 2, ev(`enrichment: ${oneLine(rep, 100)}`));
    if (s.kind === 'Ip' && /threatType|threatDescription|confidence/i.test(rep))
      ballot.add(s.key, 'attacker', 3, ev('threat intelligence match on the entity'));
    if (s.kind === 'Ip' && s.flags.privateAddress)
      ballot.add(s.key, 'context', 1, ev('private (internal) address'));
    if ((s.kind === 'File' || s.kind === 'FileHash') && s.flags.systemBinary)
      ballot.add(s.key, 'legitimate', 2, ev('Windows system binary (in the Windows folder)'));
    if ((s.kind === 'File' || s.kind === 'Process') && s.flags.masquerading)
      ballot.add(s.key, 'attacker', 3, ev('a Windows binary name outside the Windows folder (masquerading)'));
    if ((s.kind === 'Url' || s.kind === 'DnsResolution') && s.flags.orgOwned)
      ballot.add(s.key, 'affected', 2, ev("the organisation's own site/domain"));
    if ((s.kind === 'Url' || s.kind === 'DnsResolution') && s.flags.firstParty && !s.flags.orgOwned)
      ballot.add(s.key, 'legitimate', 1, ev('a Microsoft service'));
    if (s.kind === 'CloudApplication' && s.flags.firstParty)
      ballot.add(s.key, 'context', 2, ev('Microsoft first-party service'));
    if (s.kind === 'AzureResource' && s.flags.scope)
      ballot.add(s.key, 'affected', 1, ev('subscription / resource-group scope'));
    if (s.kind === 'Mailbox') ballot.add(s.key, 'targeted', 1, ev('recipient mailbox'));
    if (s.kind === 'Process') {
      const why = maliciousProcess({
        fileName: s.details.imageName ?? '',
        folder: s.details.imagePath ?? '',
        commandLine: s.details.commandLine ?? '',
        parent: '',
      });
      if (why) ballot.add(s.key, 'attacker', 2, ev(`command line: ${why}`));
    }
    if (s.kind === 'MailMessage' && (s.details.threats?.length ?? 0) > 0)
      ballot.add(s.key, 'attacker', 2, ev(`message flagged as ${s.details.threats?.join(', ') ?? ''}`));
  }
  // The message's sender address, sending IP and URLs are the sender's infrastructure.
  for (const m of subjects.filter((s) => s.kind === 'MailMessage' && (s.details.threats?.length ?? 0) > 0)) {
    const ev: Evidence = {
      kind: 'entity',
      text: `in a message flagged as ${m.details.threats?.join(', ') ?? ''} ("${oneLine(m.name, 80)}")`,
      ref: `MailMessage entity`,
    };
    for (const s of subjects) {
      if (s.kind === 'Ip' && s.value === m.details.senderIp)
        ballot.add(s.key, 'attacker', 2, {
          ...ev,
          text: `sending IP of a message flagged as ${m.details.threats?.join(', ') ?? ''}`,
        });
      if (s.kind === 'Url' && m.details.urls?.some((u) => u.toLowerCase() === (s.value ?? '').toLowerCase()))
        ballot.add(s.key, 'attacker', 2, ev);
      if (
        (s.kind === 'Account' || s.kind === 'Mailbox') &&
        (s.details.upn ?? '').toLowerCase() === m.details.recipient
      )
        ballot.add(s.key, 'targeted', 2, {
          ...ev,
          text: `recipient of a message flagged as ${m.details.threats?.join(', ') ?? ''}`,
        });
    }
  }
}

export function voteFromAlerts(ballot: Ballot, alerts: readonly Alert[], subjects: readonly Subject[]): void {
  for (const g of groupAlerts(alerts)) {
    const ref = alertRef(g.displayName);
    const text = `${g.displayName}. ${g.description}`;
    voteOnText(
      ballot,
      text,
      (sentence) => ({ kind: 'alert', text: flatten(sentence, 220), ref }),
      subjects,
      2,
    );
    // compromisedEntity is the provider's guess, often set on hosts and accounts that were only targeted.
    for (const name of g.compromisedEntities) {
      for (const s of subjects) {
        if ((s.kind === 'Account' || s.kind === 'Host') && s.aliases.includes(name.toLowerCase()))
          ballot.add(s.key, 'compromised', 1, {
            kind: 'alert',
            text: `named as the alert's compromised entity (a hint, not proof)`,
            ref,
          });
      }
    }
    // An anonymous-IP / spray / brute-force alert: the incident's enriched anonymiser addresses are its source.
    if (/anonymous ip|anonymi[sz]|tor\b|password spray|brute[- ]?force/i.test(g.displayName)) {
      for (const s of subjects) {
        if (s.kind === 'Ip' && /\btor\b|exit node|anonymi/i.test(s.details.reputation ?? ''))
          ballot.add(s.key, 'attacker', 2, {
            kind: 'alert',
            text: `${g.displayName}: the anonymising address in the incident`,
            ref,
          });
      }
    }
  }
}

export function voteFromDescription(ballot: Ballot, incident: Incident, subjects: readonly Subject[]): void {
  const text = `${incident.title}. ${incident.description}`;
  voteOnText(
    ballot,
    text,
    (sentence) => ({ kind: 'description', text: flatten(sentence, 220), ref: 'incident description' }),
    subjects,
    2,
  );
}

/**
 * Insider risk (a departing employee, a watchlist of leavers): the account the incident is about acted
 * with its own access. It is the subject of the title, or the alerts' compromised entity.
 */
export function voteForInsider(
  ballot: Ballot,
  incident: Incident,
  alerts: readonly Alert[],
  subjects: readonly Subject[],
): void {
  const said = [
    incident.title,
    incident.description,
    ...incident.labels,
    ...alerts.map((a) => `${a.displayName}. ${a.description}`),
  ].find((t) => INSIDER.test(t));
  if (said === undefined) return;
  const sentence = sentences(said).find((x) => INSIDER.test(x)) ?? said;
  const evidence: Evidence = {
    kind: 'description',
    text: flatten(sentence, 200),
    ref: said === incident.description || said === incident.title ? 'incident description' : 'alert text',
  };
  const named = new Set(findMentions(incident.title, subjects).map((m) => m.key));
  for (const a of alerts)
    for (const s of subjects)
      if (a.compromisedEntity && s.aliases.includes(a.compromisedEntity.toLowerCase())) named.add(s.key);
  for (const key of named)
    if (subjects.find((s) => s.key === key)?.kind === 'Account') ballot.add(key, 'insider', 2, evidence);
}

export function voteFromStatements(
  ballot: Ballot,
  statements: Pick<Statements, 'assertions' | 'done' | 'open'>,
): void {
  for (const a of statements.assertions) ballot.add(a.key, a.role, 3, a.evidence);
  // A task to reset or disable an account says someone believes it is compromised (a hint).
  for (const r of [...statements.done, ...statements.open]) {
    if (r.targetKey && ['reset-password', 'revoke-sessions', 'disable-account'].includes(r.action))
      ballot.add(r.targetKey, 'compromised', 1, r.evidence);
  }
}

/** Closed as benign or false positive: everything in it is legitimate unless an analyst said otherwise. */
export function voteFromClassification(
  ballot: Ballot,
  incident: Incident,
  subjects: readonly Subject[],
): void {
  if (incident.classification !== 'BenignPositive' && incident.classification !== 'FalsePositive') return;
  const label = incident.classification === 'BenignPositive' ? 'benign positive' : 'false positive';
  const evidence: Evidence = {
    kind: 'classification',
    text: `incident classified as ${label}${incident.classificationReason ? ` (${incident.classificationReason})` : ''}${incident.classificationComment ? `: ${flatten(incident.classificationComment, 160)}` : ''}`,
    ref: 'incident classification',
  };
  // Stronger than any alert wording: the analysts closed it after looking.
  for (const s of subjects) if (!s.flags.orgOwned) ballot.add(s.key, 'legitimate', 6, evidence);
}
