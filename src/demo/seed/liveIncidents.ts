import { analyst } from '../directory';
import { createPrng } from '../prng';
import type { IncidentInput } from '../storeTypes';
import { ALL_HOSTS, ALL_USERS, accountEntityProperties, hostEntityProperties } from './identities';
import { ATTACKER_IPS, ipEntityProperties } from './networkAddresses';

type Template = (now: Date, pick: <T>(items: readonly T[]) => T) => IncidentInput;

const iso = (now: Date, minutesAgo: number): string =>
  new Date(now.getTime() - minutesAgo * 60_000).toISOString();

const TEMPLATES: readonly Template[] = [
  (now, pick) => {
    const user = pick(ALL_USERS);
    const ip = pick([ATTACKER_IPS.sprayTor, ATTACKER_IPS.rdpTor2, ATTACKER_IPS.rdpTor3]);
    return {
      title: `Sign-in from anonymous IP address for ${user.upn}`,
      description: `${user.upn} signed in from ${ip.address} (${ip.city}, ${ip.countryName}), an anonymizing proxy or Tor exit node. Sign-ins from anonymous IP addresses are often used to hide the attacker's location.`,
      severity: 'Medium',
      createdTimeUtc: iso(now, 0),
      firstActivityTimeUtc: iso(now, 4),
      lastActivityTimeUtc: iso(now, 4),
      relatedAnalyticRuleIds: ['1a2b3c4d-0101-4e5f-8a9b-ab12cd34ef21'],
      entities: [
        { key: 'user', kind: 'Account', properties: accountEntityProperties(user) },
        { key: 'ip', kind: 'Ip', properties: ipEntityProperties(ip) },
      ],
      alerts: [
        {
          displayName: 'Anonymous IP address',
          description:
            'This risk detection type indicates sign-ins from an anonymous IP address (for example, Tor browser or anonymizer VPNs).',
          severity: 'Medium',
          productName: 'Microsoft Entra ID Protection',
          tactics: ['InitialAccess'],
          techniques: ['T1078'],
          startTimeUtc: iso(now, 4),
          compromisedEntity: user.upn,
          entityKeys: ['user', 'ip'],
        },
      ],
    };
  },
  (now, pick) => {
    const host = pick(ALL_HOSTS);
    return {
      title: `Suspicious PowerShell command line on ${host.hostName}`,
      description: `powershell.exe ran a base64-encoded command that downloads remote content on ${host.hostName}. Attackers use encoded download cradles to run payloads in memory.`,
      severity: 'High',
      providerName: 'Microsoft XDR',
      createdTimeUtc: iso(now, 0),
      firstActivityTimeUtc: iso(now, 6),
      lastActivityTimeUtc: iso(now, 5),
      relatedAnalyticRuleIds: ['1a2b3c4d-0102-4e5f-8a9b-ab12cd34ef22'],
      entities: [
        { key: 'host', kind: 'Host', properties: hostEntityProperties(host) },
        {
          key: 'ps',
          kind: 'Process',
          properties: {
            commandLine:
              'powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA',
            processId: '6120',
          },
        },
      ],
      alerts: [
        {
          displayName: 'Suspicious PowerShell command line',
          description: 'A suspicious PowerShell activity was observed on the machine.',
          severity: 'High',
          productName: 'Microsoft Defender for Endpoint',
          tactics: ['Execution'],
          techniques: ['T1059.001'],
          startTimeUtc: iso(now, 6),
          compromisedEntity: host.hostName,
          entityKeys: ['host', 'ps'],
        },
      ],
    };
  },
  (now, pick) => {
    const user = pick(ALL_USERS);
    return {
      title: `Phishing email delivered to ${user.upn}`,
      description: `A message impersonating DocuSign ("Please review and sign: Q4 bonus letter") was delivered to ${user.upn} and later identified as phishing.`,
      severity: 'Low',
      owner: { objectId: analyst('Elena Rossi').objectId },
      createdTimeUtc: iso(now, 0),
      firstActivityTimeUtc: iso(now, 12),
      lastActivityTimeUtc: iso(now, 10),
      relatedAnalyticRuleIds: ['1a2b3c4d-0103-4e5f-8a9b-ab12cd34ef23'],
      entities: [
        { key: 'user', kind: 'Account', properties: accountEntityProperties(user) },
        {
          key: 'mailbox',
          kind: 'Mailbox',
          properties: { mailboxPrimaryAddress: user.upn, displayName: user.displayName, upn: user.upn },
        },
        { key: 'url', kind: 'Url', properties: { url: 'https://docusign-review-portal.net/sign?id=884213' } },
      ],
      alerts: [
        {
          displayName: 'Email messages containing malicious URL removed after delivery',
          description:
            'Emails with a malicious URL were delivered and later removed by zero-hour auto purge (ZAP).',
          severity: 'Low',
          productName: 'Microsoft Defender for Office 365',
          tactics: ['InitialAccess'],
          techniques: ['T1566.002'],
          startTimeUtc: iso(now, 10),
          entityKeys: ['user', 'mailbox', 'url'],
        },
      ],
    };
  },
];

/** A fresh, realistic incident for the "new incident every N seconds" demo mode. */
export function createLiveIncident(now: Date, sequence: number): IncidentInput {
  const prng = createPrng(90_000 + sequence);
  const template = TEMPLATES[sequence % TEMPLATES.length] ?? TEMPLATES[0];
  if (template === undefined) throw new Error('No live incident templates');
  return template(now, (items) => prng.pick(items));
}
