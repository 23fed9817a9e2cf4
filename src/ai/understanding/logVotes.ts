import { oneLine } from '../spotlight';
import type { Ballot } from './ballot';
import { linkHashes, maliciousProcess, voteFromEndpoints } from './logEndpointVotes';
import type { LogEvidence } from './logEvidence';
import { ipOf, logSubject, sameName, subjectFor, type LogFacts } from './logMatch';
import { isPrivateAddress, type Subject } from './subjects';
import type { ActionKind, ActionRecord, Evidence } from './types';

/**
 * Votes and facts from the logs: who failed and who succeeded from a suspect address (targeted versus
 * compromised, and how many were targeted), whose routine address an IP is (home, office, shared
 * egress), what an identity did from an address new to it (inbox rules, role grants, new resources),
 * and who received a message (endpoint votes: logEndpointVotes.ts). Thresholds are general, never per incident.
 */

/** Failed accounts from one address that make it a spray source. */
const SPRAY_ACCOUNTS = 3;

/** Operations that give an attacker persistence or reach, worth flagging from an address new to the actor. */
const PERSISTENCE_OPS =
  /inboxrule|forwarding|set-mailbox|transportrule|add member to role|add user|roleassignments\/write|registered security info|consent to application|add service principal|add app role|certificates and secrets|add owner|virtualmachines\/write|add-mailboxpermission/i;
const RESOURCE_CREATION = /\/write$/i;

export function voteFromLogs(ballot: Ballot, subjects: Subject[], logs: LogEvidence): LogFacts {
  const facts: LogFacts = { counts: [], findings: [], added: [], done: [] };
  const ev = (table: string, text: string): Evidence => ({ kind: 'logs', text, ref: table });
  const ensureAccount = (upn: string): Subject => {
    const found = subjectFor(subjects, upn, ['Account', 'Mailbox']);
    if (found) return found;
    const s = logSubject('Account', upn);
    subjects.push(s);
    facts.added.push(s);
    return s;
  };

  // Routine addresses: successful MFA sign-ins on more than one day.
  const routine = new Map<string, Set<string>>();
  for (const h of logs.history) {
    if (h.mfaSuccesses >= 2 && h.days >= 2) routine.set(h.ip, (routine.get(h.ip) ?? new Set()).add(h.user));
  }
  const isRoutine = (ip: string, user: string) => routine.get(ip)?.has(user.toLowerCase()) ?? false;

  // Addresses: spray sources and routine addresses.
  const byIp = new Map<string, typeof logs.signins>();
  for (const r of logs.signins) byIp.set(r.ip, [...(byIp.get(r.ip) ?? []), r]);
  for (const [ip, rows] of byIp) {
    const subject = subjectFor(subjects, ip, ['Ip']);
    const failed = rows.filter((r) => r.failures > 0);
    const succeeded = rows.filter((r) => r.successes > 0);
    const failures = rows.reduce((n, r) => n + r.failures, 0);
    if (failed.length >= SPRAY_ACCOUNTS) {
      const text = `${failed.length} accounts failed to sign in from ${ip} (${failures} failures)${succeeded.length ? `; ${succeeded.length} signed in successfully (${succeeded.map((r) => r.user).join(', ')})` : ''}`;
      if (subject) ballot.add(subject.key, 'attacker', 3, ev('SigninLogs', text));
      facts.counts.push({ what: 'accounts targeted', value: failed.length, source: ev('SigninLogs', text) });
      facts.counts.push({ what: 'failed sign-ins', value: failures, source: ev('SigninLogs', text) });
    }
  }
  for (const [ip, users] of routine) {
    const subject = subjectFor(subjects, ip, ['Ip']);
    if (!subject) continue;
    const rows = logs.history.filter((h) => h.ip === ip && users.has(h.user));
    if (users.size >= 3)
      ballot.add(
        subject.key,
        'legitimate',
        3,
        ev(
          'SigninLogs',
          `shared address: ${users.size} users sign in from it routinely with MFA (corporate or shared egress)`,
        ),
      );
    else
      for (const r of rows)
        ballot.add(
          subject.key,
          'legitimate',
          3,
          ev(
            'SigninLogs',
            `routine sign-in address of ${r.user}: ${r.successes} MFA sign-ins over ${r.days} days`,
          ),
        );
  }

  // Operations first: an address can turn out hostile by what was done from it (an inbox rule, a role grant).
  voteFromOperations(ballot, subjects, logs, facts, isRoutine);
  // Accounts: who succeeded from an attacker address (compromised) and who only failed (targeted).
  const attackerIp = (ip: string) => {
    const s = subjectFor(subjects, ip, ['Ip']);
    return s !== undefined && ballot.leader(s.key) === 'attacker';
  };
  const compromised = new Set<string>();
  const targeted = new Set<string>();
  for (const r of logs.signins) {
    if (!attackerIp(r.ip) || r.user === '') continue;
    if (r.successes > 0 && !isRoutine(r.ip, r.user)) {
      const s = ensureAccount(r.user);
      // An account the attacker created or promoted signing in from its address is still the attacker's.
      const attackers = ballot.leader(s.key) === 'attacker';
      ballot.add(
        s.key,
        attackers ? 'attacker' : 'compromised',
        3,
        ev(
          'SigninLogs',
          `signed in successfully from attacker address ${r.ip} (${r.successes}x${r.failures ? ` after ${r.failures} failures` : ''}); not one of the user's routine addresses`,
        ),
      );
      if (!attackers) compromised.add(r.user);
    } else if (r.failures > 0 && r.successes === 0) {
      const s = ensureAccount(r.user);
      ballot.add(
        s.key,
        'targeted',
        3,
        ev('SigninLogs', `${r.failures} failed sign-ins from ${r.ip}, none succeeded`),
      );
      targeted.add(r.user);
    }
  }
  if (targeted.size > 0 && !facts.counts.some((c) => c.what === 'accounts targeted')) {
    facts.counts.push({
      what: 'accounts targeted',
      value: compromised.size + targeted.size,
      source: ev(
        'SigninLogs',
        `sign-ins from attacker addresses: ${compromised.size} succeeded, ${targeted.size} only failed`,
      ),
    });
  }
  if (compromised.size > 0) {
    facts.counts.push({
      what: 'accounts compromised',
      value: compromised.size,
      source: ev(
        'SigninLogs',
        `successful sign-ins from attacker addresses: ${[...compromised].join(', ') || 'none'}`,
      ),
    });
  }

  linkHashes(ballot, subjects, logs);
  voteFromEndpoints(ballot, subjects, logs, facts);
  voteFromMail(ballot, logs, facts, ensureAccount);
  attackerActivity(ballot, subjects, logs, facts);
  facts.done.push(...responseSteps(ballot, subjects, logs));
  return facts;
}

const RESPONSE_OPS: readonly [RegExp, ActionKind][] = [
  [/reset (user )?password|change user password|force change user password/i, 'reset-password'],
  [/invalidate all refresh tokens|revoke.*(session|token)/i, 'revoke-sessions'],
  [/disable account|block sign-?in/i, 'disable-account'],
  [/remove member from role|remove .*role assignment/i, 'remove-role'],
];

/** Response steps an administrator took, as the directory log records them (not by the attacker). */
function responseSteps(ballot: Ballot, subjects: readonly Subject[], logs: LogEvidence): ActionRecord[] {
  const out: ActionRecord[] = [];
  for (const o of logs.audit) {
    const kind = RESPONSE_OPS.find(([re]) => re.test(o.operation))?.[1];
    if (!kind) continue;
    const actor = subjectFor(subjects, o.actor, ['Account']);
    if (actor && ['attacker', 'compromised'].includes(ballot.leader(actor.key) ?? '')) continue;
    const ip = subjectFor(subjects, ipOf(o.ip), ['Ip']);
    if (ip && ballot.leader(ip.key) === 'attacker') continue;
    const target = subjectFor(subjects, o.target, ['Account', 'Mailbox']);
    out.push({
      action: kind,
      targetKey: target?.key,
      targetName: target?.name ?? o.target,
      status: 'done',
      evidence: { kind: 'logs', text: `${o.operation} for ${o.target} by ${o.actor}`, ref: 'AuditLogs' },
    });
  }
  return out;
}

/**
 * What the attacker did: every operation from an attacker address (mail read, rules, directory and Azure
 * changes) and what malicious processes started next (discovery such as whoami or nltest).
 */
function attackerActivity(
  ballot: Ballot,
  subjects: readonly Subject[],
  logs: LogEvidence,
  facts: LogFacts,
): void {
  const known = new Set(facts.findings.map((f) => f.text));
  const add = (text: string, ref: string) => {
    if (known.has(text) || facts.findings.length >= 30) return;
    known.add(text);
    facts.findings.push({ kind: 'logs', text, ref });
  };
  const ops = [
    ...logs.office.map((o) => ({ ...o, table: 'OfficeActivity' })),
    ...logs.audit.map((o) => ({ ...o, table: 'AuditLogs' })),
    ...logs.azure.map((o) => ({ ...o, table: 'AzureActivity' })),
  ];
  for (const o of ops) {
    const ip = ipOf(o.ip);
    const s = ip === '' ? undefined : subjectFor(subjects, ip, ['Ip']);
    if (!s || ballot.leader(s.key) !== 'attacker') continue;
    if (facts.findings.some((f) => f.text.startsWith(`${o.operation}`) && f.text.includes(ip))) continue;
    add(
      `${o.operation}${o.target && o.target !== '[]' ? ` (${oneLine(o.target, 100)})` : ''} by ${o.actor} from attacker address ${ip}${o.count > 1 ? ` (${o.count}x)` : ''}`,
      o.table,
    );
  }
  const malicious = logs.processes.filter((p) => maliciousProcess(p) !== undefined);
  for (const child of logs.processes) {
    const parent = malicious.find(
      (p) => sameName(p.host, child.host) && sameName(p.fileName, child.parent) && p !== child,
    );
    if (parent && maliciousProcess(child) === undefined)
      add(
        `${child.host}: ${oneLine(child.commandLine || child.fileName, 120)} started by ${parent.fileName} (after the malicious command)`,
        'DeviceProcessEvents',
      );
  }
}

function voteFromOperations(
  ballot: Ballot,
  subjects: Subject[],
  logs: LogEvidence,
  facts: LogFacts,
  isRoutine: (ip: string, user: string) => boolean,
): void {
  const ops = [
    ...logs.audit.map((o) => ({ ...o, table: 'AuditLogs' })),
    ...logs.office.map((o) => ({ ...o, table: 'OfficeActivity' })),
    ...logs.azure.map((o) => ({ ...o, table: 'AzureActivity' })),
  ];
  // An address nobody uses routinely is "new": routine addresses come from the history query.
  const routineAnywhere = new Set(
    logs.history.filter((h) => h.mfaSuccesses >= 2 && h.days >= 2).map((h) => h.ip),
  );
  for (const o of ops) {
    const ip = ipOf(o.ip);
    if (ip === '' || isPrivateAddress(ip) || !PERSISTENCE_OPS.test(o.operation)) continue;
    const actor = subjectFor(subjects, o.actor, ['Account', 'Mailbox']);
    const newForActor = o.actor.includes('@')
      ? !isRoutine(ip, o.actor.toLowerCase())
      : !routineAnywhere.has(ip);
    if (!newForActor) continue;
    const ipSubject = subjectFor(subjects, ip, ['Ip']);
    const ipHostile = ipSubject !== undefined && ballot.leader(ipSubject.key) === 'attacker';
    const actorHostile =
      actor !== undefined && ['compromised', 'attacker'].includes(ballot.leader(actor.key) ?? '');
    const forward =
      /"(?:ForwardTo|RedirectTo|ForwardAsAttachmentTo|ForwardingSmtpAddress)\\?"\s*,\s*\\?"Value\\?"\s*:\s*\\?"([^"\\]+)/i.exec(
        o.detail,
      );
    const forwarding = forward?.[1] ? `, forwarding to ${forward[1].replace(/^smtp:/i, '')}` : '';
    const what = `${o.operation}${o.target && o.target !== '[]' ? ` (${oneLine(o.target, 120)})` : ''}${forwarding} by ${o.actor} from ${ip}, an address the actor does not use routinely`;
    facts.findings.push({ kind: 'logs', text: what, ref: o.table });
    if (actor)
      ballot.add(
        actor.key,
        ballot.leader(actor.key) === 'attacker' ? 'attacker' : 'compromised',
        ipHostile ? 3 : 2,
        {
          kind: 'logs',
          text: what,
          ref: o.table,
        },
      );
    // Credentials added to an application by this session: the application is now the attacker's too.
    if (/credential|certificates and secrets|add key/i.test(o.operation) && o.target !== '') {
      const app = subjectFor(subjects, o.target, ['Account', 'CloudApplication']);
      if (app && app.key !== actor?.key)
        ballot.add(app.key, 'compromised', 3, {
          kind: 'logs',
          text: `${o.operation} by ${o.actor} from ${ip}`,
          ref: o.table,
        });
    }
    if (ipSubject)
      ballot.add(ipSubject.key, 'attacker', actorHostile ? 3 : 2, { kind: 'logs', text: what, ref: o.table });
    // Accounts the session created or promoted, and resources it created, belong to the attacker.
    if (/add user|add member to role|add owner/i.test(o.operation) && o.target.includes('@')) {
      const target = subjectFor(subjects, o.target, ['Account']);
      if (target && target.key !== actor?.key)
        ballot.add(target.key, 'attacker', 2, {
          kind: 'logs',
          text: `${o.operation} by ${o.actor} from ${ip}`,
          ref: o.table,
        });
    }
    if (o.table === 'AzureActivity' && RESOURCE_CREATION.test(o.operation)) {
      for (const s of subjects.filter((x) => x.kind === 'AzureResource' || x.kind === 'Host')) {
        const name = s.details.resourceName ?? s.value ?? '';
        // Created by the attacker settles whose it is: activity on it is the attacker's, not a compromise.
        if (name !== '' && o.target.toLowerCase().includes(`"${name.toLowerCase()}"`))
          ballot.add(s.key, 'attacker', 6, {
            kind: 'logs',
            text: `created by ${o.actor} from ${ip} (${o.operation.toLowerCase()})`,
            ref: o.table,
          });
      }
    }
    if (forward?.[1]) {
      const address = forward[1].replace(/^smtp:/i, '').toLowerCase();
      let s = subjectFor(subjects, address);
      if (!s) {
        s = logSubject('Email', address);
        subjects.push(s);
        facts.added.push(s);
      }
      ballot.add(s.key, 'attacker', 3, {
        kind: 'logs',
        text: `mail is forwarded to it by a rule created from ${ip}`,
        ref: o.table,
      });
    }
  }
  // Mass download: how many files one account took.
  const downloads = logs.office.filter((o) => /filedownloaded|filesyncdownloaded/i.test(o.operation));
  const byActor = new Map<string, number>();
  for (const d of downloads) byActor.set(d.actor, (byActor.get(d.actor) ?? 0) + (d.inIncident ?? d.count));
  for (const [actor, count] of byActor) {
    const fromRoutine = downloads.some(
      (d) => d.actor === actor && isRoutine(ipOf(d.ip), actor.toLowerCase()),
    );
    const who = subjectFor(subjects, actor, ['Account']);
    if (count >= 20 && fromRoutine && who)
      ballot.add(who.key, 'insider', 1, {
        kind: 'logs',
        text: `${count} file downloads from the user's own routine address`,
        ref: 'OfficeActivity',
      });
    if (count >= 20)
      facts.counts.push({
        what: `files downloaded by ${actor}`,
        value: count,
        source: { kind: 'logs', text: `${count} file downloads by ${actor}`, ref: 'OfficeActivity' },
      });
  }
}

function voteFromMail(
  ballot: Ballot,
  logs: LogEvidence,
  facts: LogFacts,
  ensureAccount: (upn: string) => Subject,
): void {
  if (logs.mail.length === 0) return;
  const recipients = [...new Set(logs.mail.map((m) => m.recipient.toLowerCase()).filter(Boolean))];
  const delivered = logs.mail.filter((m) => /delivered/i.test(m.delivery)).map((m) => m.recipient);
  const blocked = logs.mail.filter((m) => !/delivered/i.test(m.delivery)).map((m) => m.recipient);
  const text = `the message reached ${recipients.length} recipient${recipients.length === 1 ? '' : 's'}: delivered to ${delivered.join(', ') || 'none'}${blocked.length ? `; blocked/quarantined for ${blocked.join(', ')}` : ''}`;
  facts.counts.push({
    what: 'recipients of the message',
    value: recipients.length,
    source: { kind: 'logs', text, ref: 'EmailEvents' },
  });
  facts.findings.push({ kind: 'logs', text, ref: 'EmailEvents' });
  for (const r of recipients)
    ballot.add(ensureAccount(r).key, 'targeted', 2, {
      kind: 'logs',
      text: `recipient of the message (${text})`,
      ref: 'EmailEvents',
    });
}
