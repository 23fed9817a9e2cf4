import type { IncidentData } from './incidentData';
import { displayUtc, rankEntities } from './incidentFacts';
import { defang } from './safeText';
import { oneLine } from './spotlight';

/** One remediation task as Sentinel incident tasks hold it (title ≤ 150 characters). */
export interface RemediationTask {
  title: string;
  steps: string[];
}

export const MAX_TASK_TITLE = 150;
const PER_KIND = 3;

/**
 * The built-in analyst's remediation checklist: standard SOC playbook steps chosen by the incident's
 * entity kinds and tactics, naming the incident's real entities so the list is actionable as written.
 */
/** Windows binaries attackers live off; the fix is restricting misuse, never blocking the file. */
const SYSTEM_BINARIES = new Set([
  'vssadmin.exe',
  'bcdedit.exe',
  'wbadmin.exe',
  'wevtutil.exe',
  'powershell.exe',
  'pwsh.exe',
  'cmd.exe',
  'wmic.exe',
  'rundll32.exe',
  'regsvr32.exe',
  'mshta.exe',
  'certutil.exe',
  'bitsadmin.exe',
  'schtasks.exe',
  'net.exe',
  'net1.exe',
  'reg.exe',
  'cscript.exe',
  'wscript.exe',
  'msiexec.exe',
  'svchost.exe',
  'explorer.exe',
  'nltest.exe',
  'whoami.exe',
]);

export function remediationChecklist(data: IncidentData): RemediationTask[] {
  const entities = rankEntities(data.entities, data.alerts);
  const names = (...kinds: string[]): string[] =>
    kinds
      .flatMap((k) => entities.get(k) ?? [])
      .slice(0, PER_KIND)
      .map((e) => displayEntityName(e.kind, e.name));
  const tactics = new Set([...data.incident.tactics, ...data.alerts.flatMap((a) => a.tactics)]);
  const since = data.incident.firstActivityTimeUtc ?? data.incident.createdTimeUtc;
  const tasks: RemediationTask[] = [];

  for (const account of names('Account')) {
    tasks.push({
      title: `Reset credentials and revoke sessions for ${account}`,
      steps: [
        `Reset the password of ${account} (and any admin accounts it uses).`,
        `Revoke all refresh tokens and active sessions for ${account}.`,
        `Check ${account}'s MFA methods for newly registered devices or phone numbers.`,
        `Review ${account}'s sign-ins since ${displayUtc(since)} for unfamiliar locations, IPs or apps.`,
        'Look for new inbox rules, mail forwarding and OAuth app consents.',
      ],
    });
  }
  for (const host of names('Host')) {
    tasks.push({
      title: `Isolate and investigate host ${host}`,
      steps: [
        `Isolate ${host} from the network (Defender for Endpoint: Isolate device).`,
        `Collect evidence from ${host}: investigation package, memory image, relevant event logs.`,
        `Run a full antivirus scan on ${host}.`,
        `Check ${host} for persistence: scheduled tasks, services, Run keys, WMI subscriptions.`,
        'Reimage the host if compromise is confirmed; restore only from known-good backups.',
      ],
    });
  }
  for (const ip of names('Ip')) {
    tasks.push({
      title: `Block IP ${ip} and hunt for other contacts`,
      steps: [
        `Block ${ip} at the firewall / NSG and in Conditional Access named locations if external.`,
        `Hunt for other hosts and accounts that communicated with ${ip} (sign-in and network logs).`,
        'Check threat intelligence for the IP and related infrastructure.',
      ],
    });
  }
  for (const url of names('Url', 'DnsResolution')) {
    tasks.push({
      title: `Block URL/domain ${url} and purge messages containing it`,
      steps: [
        `Add ${url} as a block indicator in Defender (URL/domain).`,
        `Search for and purge emails and Teams messages containing ${url}.`,
        'Identify users who clicked the link and treat their accounts as suspect.',
      ],
    });
  }
  const mail = names('Mailbox', 'MailMessage');
  if (mail.length > 0) {
    tasks.push({
      title: `Purge malicious mail and block the sender (${mail.join(', ')})`,
      steps: [
        `Find all copies of the message(s) involving ${mail.join(', ')} and soft-delete them tenant-wide.`,
        'Block the sender address and domain in the tenant allow/block list.',
        'Notify recipients who opened the message.',
      ],
    });
  }
  for (const hash of names('FileHash')) {
    tasks.push({
      title: `Block file hash ${hash} and search other hosts`,
      steps: [
        `Add ${hash} as a block indicator in Defender (Settings → Endpoints → Indicators).`,
        `Search all devices for ${hash} (DeviceFileEvents / advanced hunting) and quarantine copies.`,
        'Submit the file for analysis if it is unknown.',
      ],
    });
  }
  for (const file of names('File')) {
    if (SYSTEM_BINARIES.has(file.toLowerCase())) {
      // Blocking a Windows binary breaks the OS; what matters is who ran it and how.
      tasks.push({
        title: `Review how ${file} was used`,
        steps: [
          `Find who ran ${file}, on which hosts, with which command lines and parent processes (DeviceProcessEvents / SecurityEvent 4688).`,
          `Do not block ${file} itself — it is part of Windows; restrict its misuse with attack surface reduction rules or application control.`,
          'Treat the parent process and the account that ran it as suspicious until explained.',
        ],
      });
      continue;
    }
    tasks.push({
      title: `Find and quarantine ${file}`,
      steps: [
        `Get the hash of ${file} from DeviceFileEvents on the affected host, then block that hash in Defender.`,
        `Search all devices for ${file} and its hash, and quarantine copies.`,
        'Submit the file for analysis if it is unknown.',
      ],
    });
  }
  const cloud = names('CloudApplication', 'AzureResource');
  if (cloud.length > 0) {
    tasks.push({
      title: `Review role assignments and rogue resources (${cloud.join(', ')})`,
      steps: [
        `Review role assignments and app permissions on ${cloud.join(', ')}; remove unexpected ones.`,
        'Delete resources created by the attacker (VMs, keys, service principals, app registrations).',
        'Rotate secrets and keys the affected applications use.',
      ],
    });
  }
  for (const t of TACTIC_TASKS) {
    if (tactics.has(t.tactic)) tasks.push({ title: t.title, steps: t.steps });
  }
  tasks.push({
    title: `Document findings and classify incident #${data.incident.number}`,
    steps: [
      'Record what was found and done as incident comments.',
      'Classify the incident (true / benign / false positive) with a reason before closing.',
    ],
  });
  return tasks.map((t) => ({ title: oneLine(t.title, MAX_TASK_TITLE), steps: t.steps }));
}

const TACTIC_TASKS: { tactic: string; title: string; steps: string[] }[] = [
  {
    tactic: 'Persistence',
    title: 'Hunt for persistence mechanisms',
    steps: [
      'Search affected hosts and accounts for new scheduled tasks, services, startup items, mailbox rules and app registrations.',
    ],
  },
  {
    tactic: 'CredentialAccess',
    title: 'Treat credentials on affected hosts as stolen',
    steps: [
      'Reset passwords of every account that signed in to the affected hosts during the activity window.',
      'Rotate service account and local admin (LAPS) passwords.',
    ],
  },
  {
    tactic: 'LateralMovement',
    title: 'Scope lateral movement',
    steps: ['Search for remote logons (RDP, SMB, WinRM) by the involved accounts to other hosts.'],
  },
  {
    tactic: 'CommandAndControl',
    title: 'Block command-and-control infrastructure',
    steps: ['Block the C2 domains/IPs and find other devices contacting them.'],
  },
  {
    tactic: 'Exfiltration',
    title: 'Scope possible data exfiltration',
    steps: ['Identify data accessed and sent out; involve legal/privacy if personal data is affected.'],
  },
  {
    tactic: 'Impact',
    title: 'Protect backups and prepare recovery',
    steps: [
      'Verify offline/immutable backups are intact and disconnected.',
      'Prepare business continuity for affected systems.',
    ],
  },
  {
    tactic: 'DefenseEvasion',
    title: 'Verify security tooling is intact',
    steps: ['Check that antivirus, EDR sensors and logging are enabled and reporting on affected hosts.'],
  },
];

/** Entity names in tasks and answers are attacker-influenced: one line, short, URLs and domains not clickable. */
export function displayEntityName(kind: string, name: string): string {
  const short = oneLine(name, 80);
  return kind === 'Url' || kind === 'DnsResolution' || /^[a-z]+:\/\//i.test(short) ? defang(short) : short;
}
