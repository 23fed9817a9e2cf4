import { oneLine } from '../spotlight';
import type { Ballot } from './ballot';
import type { LogEvidence } from './logEvidence';
import { sameName, subjectFor, type LogFacts } from './logMatch';
import type { ProcessRow } from './logQueries';
import { classifyBinary, isWindowsFolder, type Subject } from './subjects';

/**
 * Votes from the endpoint and network logs: what ran on a host (attack commands, Office spawning a
 * shell, a Windows binary outside the Windows folder), which file a hash is, who queried a domain, and
 * who brute-forced a host. Thresholds are general, never per incident.
 */

/** Failed Windows logons from one address that make it a brute-force source. */
const BRUTE_FORCE_LOGONS = 10;
/** Distinct subdomains under one domain that look like DNS tunnelling or DGA traffic. */
const TUNNEL_SUBDOMAINS = 20;

const MALICIOUS_COMMANDS: readonly RegExp[] = [
  /\bvssadmin(?:\.exe)?\s+delete\s+shadows/i,
  /\bwmic(?:\.exe)?\s+shadowcopy\s+delete/i,
  /\bwbadmin(?:\.exe)?\s+delete\s+(?:catalog|backup|systemstatebackup)/i,
  /\bbcdedit(?:\.exe)?\b.*\b(recoveryenabled\s+no|ignoreallfailures)/i,
  /\bwevtutil(?:\.exe)?\s+(?:cl|clear-log)\b/i,
  /downloadstring|downloadfile|invoke-webrequest|\biwr\s|\biex\b|invoke-expression|net\.webclient|start-bitstransfer/i,
  /\bcertutil(?:\.exe)?\b.*-urlcache/i,
  /\bbitsadmin(?:\.exe)?\b.*\/transfer/i,
  /\bxmrig\b|stratum\+(?:tcp|ssl)|--donate-level|\bminerd\b|supportxmr|nanopool|moneroocean/i,
  /mimikatz|sekurlsa|lsadump|procdump.*lsass|comsvcs(?:\.dll)?.*minidump/i,
  /--dns\s+\S+\.\S+|dnscat|iodine/i,
  /(?:^|\s)(?:-|--|\/)encrypt\b|ransom|how_to_decrypt|readme_restore|\.locked\b|\bcipher(?:\.exe)?\s+\/w\b/i,
];
const OFFICE_PARENTS = /^(winword|excel|powerpnt|outlook|mspub|onenote)\.exe$/i;
const SHELLS = /^(powershell|pwsh|cmd|wscript|cscript|mshta|rundll32|regsvr32)\.exe$/i;
const BROWSERS = /(msedge|chrome|firefox|iexplore|safari|brave|opera)\.exe$/i;
const SYSTEM_ACCOUNTS = /^(system|local service|network service|nt authority\\.*|)$/i;

/**
 * Which file a FileHash entity is, from the hashes Defender records for each process image: a hash of
 * a binary in the Windows folder is Windows (never blocked); a hash of a binary that ran an attack
 * command is the attacker's. Without such a row the hash stays unattributed.
 */
export function linkHashes(ballot: Ballot, subjects: readonly Subject[], logs: LogEvidence): void {
  for (const h of subjects.filter((s) => s.kind === 'FileHash' && s.value)) {
    const value = (h.value ?? '').toLowerCase();
    const row = logs.processes.find((p) => p.hashes.includes(value));
    if (!row) continue;
    const file = subjects.find(
      (s) =>
        s.kind === 'File' &&
        (sameName(s.value ?? '', row.folder) || s.aliases.includes(row.fileName.toLowerCase())),
    );
    if (file) {
      if (!file.sameAs.includes(h.key)) file.sameAs.push(h.key);
      if (!h.sameAs.includes(file.key)) h.sameAs.push(file.key);
    }
    const directory = row.folder.replace(/[\\/][^\\/]*$/, '');
    const why = maliciousProcess(row);
    const text = `hash of ${row.folder} on ${row.host}${why ? ` (${why})` : ''}`;
    if (isWindowsFolder(directory)) {
      h.flags.systemBinary = true;
      ballot.add(h.key, 'legitimate', 2, {
        kind: 'logs',
        text: `${text}: a Windows binary`,
        ref: 'DeviceProcessEvents',
      });
    } else if (why) ballot.add(h.key, 'attacker', 3, { kind: 'logs', text, ref: 'DeviceProcessEvents' });
    else ballot.add(h.key, 'context', 1, { kind: 'logs', text, ref: 'DeviceProcessEvents' });
  }
}

/** Decodes `-enc <base64>` (UTF-16LE, as PowerShell expects) so a download cradle is seen for what it is. */
function decodedPowerShell(commandLine: string): string {
  const m = /\s-e(?:nc(?:odedcommand)?)?\s+([A-Za-z0-9+/=]{16,})/i.exec(commandLine);
  if (!m?.[1]) return '';
  try {
    return Buffer.from(m[1], 'base64').toString('utf16le');
  } catch {
    return '';
  }
}

export function maliciousProcess(
  row: Pick<ProcessRow, 'fileName' | 'folder' | 'commandLine' | 'parent'>,
): string | undefined {
  const command = `${row.commandLine} ${decodedPowerShell(row.commandLine)}`;
  if (MALICIOUS_COMMANDS.some((re) => re.test(command))) return 'a command typical of attacks';
  const folder = row.folder.replace(/[\\/][^\\/]+$/, (last) =>
    last.slice(1).toLowerCase() === row.fileName.toLowerCase() ? '' : last,
  );
  if (classifyBinary(row.fileName, folder).masquerading)
    return 'a Windows binary name outside the Windows folder';
  if (OFFICE_PARENTS.test(row.parent) && SHELLS.test(row.fileName))
    return `${row.fileName} started by ${row.parent} (macro behaviour)`;
  return undefined;
}

export function voteFromEndpoints(
  ballot: Ballot,
  subjects: readonly Subject[],
  logs: LogEvidence,
  facts: LogFacts,
): void {
  for (const p of logs.processes) {
    const why = maliciousProcess(p);
    if (!why) continue;
    const host = subjectFor(subjects, p.host, ['Host']);
    const text = `${p.host}: ${oneLine(p.commandLine || p.fileName, 160)} (${why}; account ${p.account || 'unknown'}, parent ${p.parent || 'unknown'})`;
    facts.findings.push({ kind: 'logs', text, ref: 'DeviceProcessEvents' });
    if (host) ballot.add(host.key, 'compromised', 3, { kind: 'logs', text, ref: 'DeviceProcessEvents' });
    if (!SYSTEM_ACCOUNTS.test(p.account)) {
      const account = subjects.find(
        (s) =>
          s.kind === 'Account' &&
          (s.aliases.includes(p.account.toLowerCase()) ||
            s.aliases.some((a) => a.endsWith(`\\${p.account.toLowerCase()}`))),
      );
      if (account)
        ballot.add(account.key, 'compromised', 2, {
          kind: 'logs',
          text: `ran under this account: ${text}`,
          ref: 'DeviceProcessEvents',
        });
    }
    for (const s of subjects.filter((x) => x.kind === 'Process' || x.kind === 'File')) {
      const cl = s.details.commandLine ?? '';
      if (
        (cl !== '' && sameName(cl, p.commandLine)) ||
        (s.kind === 'File' && !s.flags.systemBinary && sameName(s.value ?? '', p.folder))
      )
        ballot.add(s.key, 'attacker', 2, {
          kind: 'logs',
          text: `seen in the process events: ${why}`,
          ref: 'DeviceProcessEvents',
        });
    }
  }
  // DNS tunnelling / beaconing: many distinct names under one domain.
  for (const s of subjects.filter((x) => x.kind === 'DnsResolution' || x.kind === 'Url')) {
    const domain = (s.kind === 'DnsResolution' ? s.value : s.aliases[1]) ?? '';
    if (domain === '') continue;
    const rows = logs.network.filter((r) => r.remoteUrl.toLowerCase().endsWith(domain.toLowerCase()));
    const perTable = new Map<string, number>();
    for (const r of rows) perTable.set(r.table, (perTable.get(r.table) ?? 0) + r.distinctUrls);
    const most = Math.max(0, ...perTable.values());
    if (most >= TUNNEL_SUBDOMAINS) {
      const text = `${most} distinct names under ${domain} were queried (${[...perTable.entries()].map(([t, n]) => `${t}: ${n}`).join(', ')}): a tunnelling pattern`;
      ballot.add(s.key, 'attacker', 3, { kind: 'logs', text, ref: 'DeviceNetworkEvents' });
      facts.counts.push({
        what: `DNS queries for ${domain} in the logs`,
        value: rows.filter((r) => r.table === 'DeviceNetworkEvents').reduce((n, r) => n + r.count, 0),
        source: { kind: 'logs', text, ref: 'DeviceNetworkEvents' },
      });
    }
    if (most >= TUNNEL_SUBDOMAINS || ballot.leader(s.key) === 'attacker') {
      for (const r of rows) {
        const ip = subjectFor(subjects, r.remoteIp, ['Ip']);
        if (ip && !ip.flags.privateAddress)
          ballot.add(ip.key, 'attacker', 2, {
            kind: 'logs',
            text: `received traffic for ${domain} (${r.count} connections, ${r.table})`,
            ref: r.table,
          });
        const host = subjectFor(subjects, r.source, ['Host']);
        if (host)
          ballot.add(host.key, BROWSERS.test(r.process) ? 'affected' : 'compromised', 2, {
            kind: 'logs',
            text: `contacted ${domain} ${r.count} times${r.process ? ` via ${oneLine(r.process, 100)}` : ''}`,
            ref: r.table,
          });
      }
    }
  }
  // Hosts that talked to an attacker address.
  for (const r of logs.network) {
    const ip = subjectFor(subjects, r.remoteIp, ['Ip']);
    const host = subjectFor(subjects, r.source, ['Host']);
    if (!ip || !host || ballot.leader(ip.key) !== 'attacker') continue;
    // A browser visiting the address is exposure (a phishing page); any other process, compromise.
    const browser = BROWSERS.test(r.process);
    ballot.add(host.key, browser ? 'affected' : 'compromised', 2, {
      kind: 'logs',
      text: `${browser ? 'browsed to' : 'connected to'} ${r.remoteIp}:${r.port}${r.process ? ` from ${oneLine(r.process, 100)}` : ''}`,
      ref: r.table,
    });
  }
  // Windows logons: brute force (many 4625) and whether any 4624 followed from the same address.
  const failuresByIp = new Map<string, number>();
  for (const l of logs.logons)
    if (l.eventId === 4625) failuresByIp.set(l.ip, (failuresByIp.get(l.ip) ?? 0) + l.count);
  let totalFailures = 0;
  for (const [ip, n] of failuresByIp) {
    if (n < BRUTE_FORCE_LOGONS) continue;
    totalFailures += n;
    const s = subjectFor(subjects, ip, ['Ip']);
    const succeeded = logs.logons.filter((l) => l.ip === ip && l.eventId === 4624);
    if (s)
      ballot.add(s.key, 'attacker', 2, {
        kind: 'logs',
        text: `${n} failed Windows logons (4625) from ${ip}${succeeded.length ? `; ${succeeded.length} successful logons` : ', none succeeded'}`,
        ref: 'SecurityEvent',
      });
  }
  if (totalFailures > 0) {
    const ips = [...failuresByIp.entries()].filter(([, n]) => n >= BRUTE_FORCE_LOGONS).map(([ip]) => ip);
    const success = logs.logons.filter((l) => ips.includes(l.ip) && l.eventId === 4624);
    const text = `${totalFailures} failed logons from ${ips.length} address${ips.length === 1 ? '' : 'es'}; ${success.length === 0 ? 'no successful logon from them' : `${success.length} successful logons`}`;
    facts.counts.push({
      what: 'failed logons',
      value: totalFailures,
      source: { kind: 'logs', text, ref: 'SecurityEvent' },
    });
    for (const l of logs.logons.filter((x) => ips.includes(x.ip))) {
      const host = subjectFor(subjects, l.host, ['Host']);
      const account = subjects.find(
        (s) => s.kind === 'Account' && s.aliases.includes(l.account.toLowerCase()),
      );
      const role = success.some((x) => sameName(x.host, l.host)) ? 'compromised' : 'targeted';
      if (host) ballot.add(host.key, role, 3, { kind: 'logs', text, ref: 'SecurityEvent' });
      if (account)
        ballot.add(
          account.key,
          success.some((x) => sameName(x.account, l.account)) ? 'compromised' : 'targeted',
          3,
          {
            kind: 'logs',
            text: `${l.eventId === 4625 ? 'failed' : 'successful'} logons as ${l.account} on ${l.host} from ${l.ip}`,
            ref: 'SecurityEvent',
          },
        );
    }
  }
}
