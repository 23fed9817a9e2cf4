/**
 * MITRE ATT&CK tactics as Sentinel names them, with a short analyst-facing meaning. Kept in the project so
 * the built-in analyst can explain tactics without a model or network. Order is the enterprise kill chain,
 * which is also the order context and answers list tactics in (deterministic, and the order analysts read).
 */
export interface TacticInfo {
  /** Sentinel's tactic name (e.g. "InitialAccess"). */
  name: string;
  /** ATT&CK display name. */
  label: string;
  /** ATT&CK id; Sentinel-only names have none. */
  attackId?: string;
  /** What the tactic is. */
  meaning: string;
  /** What seeing it says about the attacker, in plain words. */
  implication: string;
}

export const TACTICS: readonly TacticInfo[] = [
  {
    name: 'PreAttack',
    label: 'Pre-attack',
    meaning:
      'Preparation before the intrusion (Sentinel name covering reconnaissance and resource development).',
    implication: 'The attacker is scouting or staging; no foothold is implied yet.',
  },
  {
    name: 'Reconnaissance',
    label: 'Reconnaissance',
    attackId: 'TA0043',
    meaning: 'Gathering information about the target to plan the operation.',
    implication: 'Someone is mapping your people, systems or exposure; expect follow-up attempts.',
  },
  {
    name: 'ResourceDevelopment',
    label: 'Resource Development',
    attackId: 'TA0042',
    meaning: 'Acquiring infrastructure, accounts or tools to support the operation.',
    implication: 'The attacker is investing in this campaign (domains, accounts, tooling).',
  },
  {
    name: 'InitialAccess',
    label: 'Initial Access',
    attackId: 'TA0001',
    meaning: 'Getting into the network, e.g. phishing, exploiting public-facing apps, valid accounts.',
    implication: 'The attacker may already have a foothold; find the entry point and close it.',
  },
  {
    name: 'Execution',
    label: 'Execution',
    attackId: 'TA0002',
    meaning: 'Running attacker-controlled code on a local or remote system.',
    implication: 'Malicious code ran somewhere; the affected hosts are not trustworthy.',
  },
  {
    name: 'Persistence',
    label: 'Persistence',
    attackId: 'TA0003',
    meaning: 'Keeping access across restarts, credential changes and other interruptions.',
    implication:
      'Cleaning up the obvious is not enough; look for scheduled tasks, services, rules, new accounts.',
  },
  {
    name: 'PrivilegeEscalation',
    label: 'Privilege Escalation',
    attackId: 'TA0004',
    meaning: 'Gaining higher permissions (admin, SYSTEM, privileged roles).',
    implication: 'The attacker may act as an administrator; review privileged accounts and roles.',
  },
  {
    name: 'DefenseEvasion',
    label: 'Defense Evasion',
    attackId: 'TA0005',
    meaning: 'Avoiding detection, e.g. disabling security tools, obfuscation, clearing logs.',
    implication: 'Telemetry may be incomplete; absence of alerts elsewhere is weak evidence.',
  },
  {
    name: 'CredentialAccess',
    label: 'Credential Access',
    attackId: 'TA0006',
    meaning: 'Stealing account names and passwords, tokens or hashes.',
    implication: 'Assume the involved credentials are compromised; reset them and revoke sessions.',
  },
  {
    name: 'Discovery',
    label: 'Discovery',
    attackId: 'TA0007',
    meaning: 'Learning about the environment from the inside (accounts, hosts, shares, domain).',
    implication: 'The attacker is inside and orienting; lateral movement often follows.',
  },
  {
    name: 'LateralMovement',
    label: 'Lateral Movement',
    attackId: 'TA0008',
    meaning: 'Moving from one system to others in the environment.',
    implication:
      'The incident may span more hosts than the alerts show; hunt for the same accounts elsewhere.',
  },
  {
    name: 'Collection',
    label: 'Collection',
    attackId: 'TA0009',
    meaning: 'Gathering data of interest before taking it out.',
    implication: 'Data is being staged; identify what was accessed.',
  },
  {
    name: 'CommandAndControl',
    label: 'Command and Control',
    attackId: 'TA0011',
    meaning: 'Communicating with compromised systems to control them.',
    implication: 'Compromised systems talk to attacker infrastructure; block it and find other clients.',
  },
  {
    name: 'Exfiltration',
    label: 'Exfiltration',
    attackId: 'TA0010',
    meaning: 'Stealing data out of the environment.',
    implication: 'Data may have left; involve legal/privacy early and scope what was taken.',
  },
  {
    name: 'Impact',
    label: 'Impact',
    attackId: 'TA0040',
    meaning: 'Disrupting availability or integrity, e.g. ransomware encryption, destruction, defacement.',
    implication: 'Business operations are at risk; containment is urgent.',
  },
  {
    name: 'ImpairProcessControl',
    label: 'Impair Process Control (ICS)',
    attackId: 'TA0106',
    meaning: 'Manipulating or disabling industrial control processes.',
    implication: 'Physical processes may be affected; involve OT/safety owners immediately.',
  },
  {
    name: 'InhibitResponseFunction',
    label: 'Inhibit Response Function (ICS)',
    attackId: 'TA0107',
    meaning: 'Preventing safety and protection functions from responding to a failure or hazard.',
    implication: 'Safety systems may not react; treat as a safety incident.',
  },
];

const BY_NAME = new Map(TACTICS.map((t, i) => [t.name.toLowerCase(), { info: t, order: i }]));

/** Sentinel sometimes spells tactics with spaces ("Initial Access"); normalise before lookup. */
export function findTactic(name: string): TacticInfo | undefined {
  return BY_NAME.get(name.replace(/[\s_-]/g, '').toLowerCase())?.info;
}

/** Sorts tactic names in kill-chain order; unknown names last, alphabetically. Returns a new array. */
export function sortTactics(names: Iterable<string>): string[] {
  const rank = (n: string): number =>
    BY_NAME.get(n.replace(/[\s_-]/g, '').toLowerCase())?.order ?? TACTICS.length;
  return [...new Set(names)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** ATT&CK page for a technique id such as T1059 or T1059.001. */
export function techniqueUrl(techniqueId: string): string | undefined {
  const m = /^T(\d{4})(?:\.(\d{3}))?$/.exec(techniqueId.trim());
  if (!m) return undefined;
  return m[2]
    ? `https://attack.mitre.org/techniques/T${m[1]}/${m[2]}/`
    : `https://attack.mitre.org/techniques/T${m[1]}/`;
}
