import { analyst } from './directory';
import { createPrng } from './prng';
import type { IncidentInput } from './storeTypes';

/**
 * Generated incidents for DEMO_NEW_INCIDENT_EVERY. They reuse people, machines and Tor exit nodes of
 * the built-in scenario packs (src/demo/scenarios) so a generated incident looks like the same tenant.
 */

const TENANT_ID = '72f988bf-0000-4000-8000-c0e705000001';
const SID_PREFIX = 'S-1-5-21-1004336348-1177238915-682003330';

interface LiveUser {
  displayName: string;
  accountName: string;
  objectId: string;
  rid: number;
}

const USERS: readonly LiveUser[] = [
  {
    displayName: 'Megan Bowen',
    accountName: 'megan.bowen',
    objectId: '3c5e7a9b-4d6f-4b8a-8c0e-2f4a6b8cad12',
    rid: 1612,
  },
  {
    displayName: 'Alex Wilber',
    accountName: 'alex.wilber',
    objectId: '7a9b1d3f-8b0d-4f2e-8a4c-6d8e0f2a3b14',
    rid: 1614,
  },
  {
    displayName: 'Joni Sherman',
    accountName: 'joni.sherman',
    objectId: '17b9c1d3-8e0a-4c2d-9d4f-6a8b0c2d3e19',
    rid: 1619,
  },
  {
    displayName: 'Lee Gu',
    accountName: 'lee.gu',
    objectId: '39c1d3e5-0a2c-4e4f-8f6b-8c0d2e4f5a20',
    rid: 1620,
  },
];

const HOSTS = [
  { hostName: 'LT-MEGANB', deviceId: '8e4c1a3b5d7f9b0d2f4a6c8e0b2d4f6a8c0e2b4d', osVersion: 'Windows 11' },
  { hostName: 'WS-FIN-07', deviceId: '1a3c5e7b9d0f2b4d6f8a0c2e4b6d8f0a2c4e6b8d', osVersion: 'Windows 11' },
  { hostName: 'WS-ENG-12', deviceId: '5c7e9a1b3d5f7a9c1e3b5d7f9a0c2e4b6d8f0a2c', osVersion: 'Windows 11' },
] as const;

const TOR_EXITS = [
  {
    address: '185.220.101.45',
    city: 'Frankfurt am Main',
    countryCode: 'DE',
    countryName: 'Germany',
    asn: 60729,
    organization: 'Stiftung Erneuerbare Freiheit (Tor exit)',
  },
  {
    address: '171.25.193.78',
    city: 'Stockholm',
    countryCode: 'SE',
    countryName: 'Sweden',
    asn: 198093,
    organization: 'Foreningen for digitala fri- och rattigheter (Tor exit)',
  },
  {
    address: '109.70.100.23',
    city: 'Vienna',
    countryCode: 'AT',
    countryName: 'Austria',
    asn: 208323,
    organization: 'Foundation for Applied Privacy (Tor exit)',
  },
] as const;

const upnOf = (u: LiveUser): string => `${u.accountName}@contoso.com`;

function accountEntityProperties(u: LiveUser): Record<string, unknown> {
  return {
    accountName: u.accountName,
    ntDomain: 'CONTOSO',
    upnSuffix: 'contoso.com',
    aadTenantId: TENANT_ID,
    aadUserId: u.objectId,
    sid: `${SID_PREFIX}-${u.rid}`,
    displayName: u.displayName,
    isDomainJoined: true,
  };
}

function hostEntityProperties(h: (typeof HOSTS)[number]): Record<string, unknown> {
  return {
    hostName: h.hostName,
    dnsDomain: 'contoso.local',
    netBiosName: h.hostName,
    ntDomain: 'CONTOSO',
    osFamily: 'Windows',
    osVersion: h.osVersion,
    isDomainJoined: true,
    additionalData: { MdatpDeviceId: h.deviceId, FQDN: `${h.hostName.toLowerCase()}.contoso.local` },
  };
}

function ipEntityProperties(ip: (typeof TOR_EXITS)[number]): Record<string, unknown> {
  return {
    address: ip.address,
    location: { asn: ip.asn, city: ip.city, countryCode: ip.countryCode, countryName: ip.countryName },
    additionalData: { Organization: ip.organization },
  };
}

type Template = (now: Date, pick: <T>(items: readonly T[]) => T) => IncidentInput;

const iso = (now: Date, minutesAgo: number): string =>
  new Date(now.getTime() - minutesAgo * 60_000).toISOString();

const TEMPLATES: readonly Template[] = [
  (now, pick) => {
    const user = pick(USERS);
    const ip = pick(TOR_EXITS);
    return {
      title: `Sign-in from anonymous IP address for ${upnOf(user)}`,
      description: `${upnOf(user)} signed in from ${ip.address} (${ip.city}, ${ip.countryName}), an anonymizing proxy or Tor exit node. Sign-ins from anonymous IP addresses are often used to hide the attacker's location.`,
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
          compromisedEntity: upnOf(user),
          entityKeys: ['user', 'ip'],
        },
      ],
    };
  },
  (now, pick) => {
    const host = pick(HOSTS);
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
    const user = pick(USERS);
    return {
      title: `Phishing email delivered to ${upnOf(user)}`,
      description: `A message impersonating DocuSign ("Please review and sign: Q4 bonus letter") was delivered to ${upnOf(user)} and later identified as phishing.`,
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
          properties: {
            mailboxPrimaryAddress: upnOf(user),
            displayName: user.displayName,
            upn: upnOf(user),
          },
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
