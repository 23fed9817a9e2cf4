import type { IncidentData } from '../incidentData';
import { oneLine } from '../spotlight';
import type { EntityUnderstanding, IncidentUnderstanding } from '../understanding/types';
import { about, by, listNames, valueOf, type Draft } from './draft';

/**
 * Steps for what the attacker used and touched: block its addresses, URLs, domains and senders (real
 * values, never a legitimate or victim address — the guard checks again), purge its mail, remove its
 * inbox rules and forwarding, isolate and investigate compromised hosts, quarantine malicious files by
 * path or hash (never a Windows binary), and delete resources it created (never a scope).
 */
export function networkActions(u: IncidentUnderstanding, out: Draft[]): void {
  const compromiseSucceeded = u.entities.some((e) => e.role === 'compromised');
  const ips = u.entities.filter((e) => e.kind === 'Ip' && e.role === 'attacker' && !e.flags.privateAddress);
  if (ips.length > 0) {
    const tor = ips.some((e) => e.evidence.some((x) => /\btor\b|anonymi/i.test(x.text)));
    const what = ips.length === 1 ? 'the attacker address' : `${ips.length} attacker addresses`;
    out.push(
      about(
        'block-ip',
        ips,
        compromiseSucceeded ? 'contain-now' : 'high',
        `Block ${what} ${listNames(ips)}`,
        [
          `Block ${listNames(ips, 10)} at the firewall and in a Conditional Access blocked location.`,
          ...(tor ? ['Block sign-ins from anonymising proxies (Tor) with Conditional Access.'] : []),
        ],
      ),
    );
  }
  for (const e of u.entities.filter(
    (x) => (x.kind === 'Url' || x.kind === 'DnsResolution') && x.role === 'attacker',
  )) {
    const value = valueOf(e);
    out.push(
      about(
        'block-url',
        [e],
        'contain-now',
        `Block ${e.kind === 'Url' ? 'the URL' : 'the domain'} ${value}`,
        [`Add ${value} as a block indicator (Defender indicators / Tenant Allow/Block List).`],
      ),
    );
  }
  for (const m of u.entities.filter(by('attacker', 'MailMessage'))) {
    if (m.value)
      out.push(
        about('block-sender', [m], 'contain-now', `Block the sender ${m.value}`, [
          `Add ${m.value} (and its domain if it is a lookalike) to the Tenant Allow/Block List.`,
        ]),
      );
    out.push(
      about('purge-mail', [m], 'high', `Find and purge every copy of the message "${oneLine(m.name, 60)}"`, [
        'Search all mailboxes for the message (sender, subject, URL) and soft-delete the copies.',
      ]),
    );
  }
  const ruleEvidence = (e: EntityUnderstanding) =>
    [...u.findings, ...e.evidence].some(
      (f) => /inbox ?rule|forward/i.test(f.text) && f.text.toLowerCase().includes(valueOf(e).toLowerCase()),
    );
  for (const e of u.entities.filter(
    (x) => x.kind === 'Account' && x.role === 'compromised' && ruleEvidence(x),
  )) {
    out.push(
      about('remove-inbox-rule', [e], 'contain-now', `Remove the malicious inbox rules of ${valueOf(e)}`, [
        'Remove forwarding and hiding rules created during the incident (Get-InboxRule / Remove-InboxRule).',
      ]),
    );
  }
  for (const e of u.entities.filter(by('attacker', 'Email'))) {
    out.push(
      about('block-forwarding', [e], 'contain-now', `Block mail forwarding to ${valueOf(e)}`, [
        'Block automatic external forwarding (outbound anti-spam policy) and add the address to the block list.',
      ]),
    );
    out.push(
      about(
        'review-activity',
        [e],
        'high',
        `Review the messages already forwarded to ${valueOf(e)} and warn finance`,
        ['List messages the rule matched and warn the people involved in any payments they mention.'],
      ),
    );
  }
}

export function hostAndArtifactActions(u: IncidentUnderstanding, data: IncidentData, out: Draft[]): void {
  const compromisedHosts = u.entities.filter(by('compromised', 'Host'));
  for (const e of compromisedHosts) {
    out.push(
      about('isolate-host', [e], 'contain-now', `Isolate ${e.name} from the network`, [
        `Isolate ${e.name} (Defender for Endpoint: Isolate device).`,
      ]),
    );
    out.push(
      about(
        'collect-evidence',
        [e],
        'high',
        `Investigate ${e.name}: investigation package, full scan, persistence`,
        ['Collect an investigation package, run a full scan, check scheduled tasks, services and Run keys.'],
      ),
    );
  }
  const impact = [...data.incident.tactics, ...data.alerts.flatMap((a) => a.tactics)].includes('Impact');
  if (impact && compromisedHosts.length > 0) {
    out.push(
      about(
        'verify-backups',
        [],
        'contain-now',
        'Verify offline / immutable backups are intact and disconnected',
        ['Check the latest offline backups and keep them disconnected until the scope is known.'],
        'Impact tactic on a compromised host: recovery depends on the backups',
      ),
    );
  }
  for (const e of u.entities.filter(by('targeted', 'Host'))) {
    out.push(
      about(
        'restrict-access',
        [e],
        'high',
        `Restrict remote access to ${e.name} (VPN range or just-in-time only)`,
        ['Close the internet-facing port or limit it to the VPN range; use just-in-time access.'],
      ),
    );
  }
  for (const e of u.entities.filter(
    (x) => (x.kind === 'File' || x.kind === 'FileHash') && x.role === 'attacker' && !x.flags.systemBinary,
  )) {
    const value = valueOf(e);
    out.push(
      e.kind === 'FileHash'
        ? about('block-hash', [e], 'high', `Block the file hash ${value}`, [
            `Add ${value} as a block indicator in Defender and search all devices for it.`,
          ])
        : about('quarantine-file', [e], 'high', `Quarantine ${value} and search other devices for it`, [
            `Quarantine ${value}; search all devices for the same file and hash.`,
          ]),
    );
  }
  for (const e of u.entities.filter(
    (x) => x.kind === 'Process' && x.role === 'attacker' && x.flags.masquerading,
  )) {
    const path = /^"([^"]+)"/.exec(valueOf(e))?.[1] ?? valueOf(e).split(/\s+/)[0] ?? e.name;
    const file = { ...e, kind: 'File', value: path, name: path };
    out.push(
      about(
        'quarantine-file',
        [file],
        'high',
        `Quarantine ${path} (masquerading binary) and search other devices for it`,
        [`Quarantine ${path}; search all devices for the same path and hash.`],
      ),
    );
  }
  const misused = u.entities.filter(
    (x) => x.kind === 'Process' && x.role === 'attacker' && x.flags.systemBinary && !x.flags.masquerading,
  );
  if (misused.length > 0) {
    out.push(
      about(
        'restrict-binary',
        misused,
        'normal',
        'Restrict misuse of the Windows tools the attacker ran (attack surface reduction rules); do not block the binaries',
        ['Enable the relevant ASR rules; the binaries themselves are part of Windows.'],
      ),
    );
  }
  const rogue = u.entities.filter(
    (x) => x.kind === 'AzureResource' && x.role === 'attacker' && !x.flags.scope,
  );
  if (rogue.length > 0) {
    const n = rogue.length;
    out.push(
      about(
        'delete-resource',
        rogue,
        'contain-now',
        `Delete the ${n} resource${n === 1 ? '' : 's'} the attacker created: ${listNames(rogue)}`,
        [
          'Delete the resources (and their public IPs and disks) after capturing the evidence needed.',
          `Resource ids: ${rogue.map(valueOf).join(', ')}`,
        ],
      ),
    );
  }
}

export function hunts(u: IncidentUnderstanding, out: Draft[]): void {
  const indicators = u.entities.filter(
    (e) =>
      e.role === 'attacker' &&
      ['Ip', 'Url', 'DnsResolution', 'FileHash'].includes(e.kind) &&
      !e.flags.privateAddress,
  );
  if (indicators.length === 0) return;
  out.push(
    about(
      'hunt',
      [],
      'normal',
      `Hunt for other devices and accounts that contacted ${listNames(indicators, 3)}`,
      ['Search sign-in, network, DNS and mail logs for the indicators over the last 30 days.'],
      'attacker infrastructure in this incident may have touched other devices and accounts',
    ),
  );
}
