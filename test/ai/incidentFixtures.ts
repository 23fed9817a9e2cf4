import type { IncidentData } from '../../src/ai/incidentData';
import type { Alert, Entity } from '../../src/domain/types';
import { makeIncident } from '../support/fakeGateway';

/** Deterministic test data for the AI module (no randomness: the same input gives the same prompt). */

export const ALL_ENTERPRISE_TACTICS = [
  'Reconnaissance',
  'ResourceDevelopment',
  'InitialAccess',
  'Execution',
  'Persistence',
  'PrivilegeEscalation',
  'DefenseEvasion',
  'CredentialAccess',
  'Discovery',
  'LateralMovement',
  'Collection',
  'CommandAndControl',
  'Exfiltration',
  'Impact',
];

const ALERT_NAMES = [
  'Suspicious PowerShell command line',
  'Password spray',
  'Impossible travel activity',
  'Mass file download',
  'Suspicious inbox forwarding rule',
  'Possible lateral movement via SMB',
  'Credential dumping with LSASS access',
  'Connection to known C2 domain',
  'New scheduled task created',
  'Antivirus disabled',
  'Ransomware behavior detected',
  'Unusual volume of data sent out',
  'Reconnaissance using net.exe',
  'Anomalous token usage',
];

export function makeAlert(i: number, overrides: Partial<Alert> = {}): Alert {
  const name = ALERT_NAMES[i % ALERT_NAMES.length] as string;
  const minute = String(i % 60).padStart(2, '0');
  const hour = String(8 + Math.floor(i / 60)).padStart(2, '0');
  return {
    name: `a1e7${String(i).padStart(4, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`,
    id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w/providers/Microsoft.SecurityInsights/Entities/alert-${i}`,
    displayName: name,
    description: `${name} was observed on host HOST-${i % 30}. The activity matched detection logic that looks for behaviour commonly used by human-operated attackers; review the process tree, the signed-in user and any network connections made around the time of the alert before deciding on containment. Instance ${i}.`,
    severity: i % 3 === 0 ? 'High' : i % 3 === 1 ? 'Medium' : 'Low',
    status: 'New',
    productName: i % 2 === 0 ? 'Microsoft Defender for Endpoint' : 'Microsoft Entra ID Protection',
    tactics: [ALL_ENTERPRISE_TACTICS[i % ALL_ENTERPRISE_TACTICS.length] as string],
    techniques: [`T1${String(100 + (i % 37)).padStart(3, '0')}`],
    startTimeUtc: `2026-11-02T${hour}:${minute}:00Z`,
    endTimeUtc: `2026-11-02T${hour}:${minute}:30Z`,
    remediationSteps: [],
    compromisedEntity: `HOST-${i % 30}`,
    ...overrides,
  };
}

export function makeEntity(i: number): Entity {
  const kind = ['Account', 'Host', 'Ip', 'Url', 'Process', 'FileHash'][i % 6] as string;
  // Every value appears several times, as in real incidents where each alert re-lists its entities.
  const n = Math.floor(i / 6) % 120;
  const friendlyName =
    kind === 'Account'
      ? `user${n}@contoso.com`
      : kind === 'Host'
        ? `HOST-${n % 30}`
        : kind === 'Ip'
          ? `198.51.100.${n}`
          : kind === 'Url'
            ? `https://bad${n}.example.net/login?session=${n}`
            : kind === 'Process'
              ? `powershell.exe -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIAB${n}`
              : `${String(n).padStart(8, '0')}e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`;
  return {
    id: `entity-${i}`,
    kind,
    friendlyName,
    properties: kind === 'Ip' ? { address: friendlyName } : {},
  };
}

export function largeIncidentData(alertCount = 200, entityCount = 1000): IncidentData {
  const alerts = Array.from({ length: alertCount }, (_, i) => makeAlert(i));
  const incident = makeIncident(42, {
    title: 'Multi-stage attack involving ransomware, credential theft and exfiltration',
    description:
      'Sentinel correlated many alerts across endpoints and identities into one multi-stage incident.',
    severity: 'High',
    status: 'Active',
    tactics: [...ALL_ENTERPRISE_TACTICS],
    techniques: ['T1059', 'T1110'],
    alertsCount: alertCount,
    firstActivityTimeUtc: '2026-11-02T08:00:00Z',
    lastActivityTimeUtc: '2026-11-02T11:19:30Z',
  });
  return {
    incident,
    alerts,
    entities: Array.from({ length: entityCount }, (_, i) => makeEntity(i)),
    comments: Array.from({ length: 30 }, (_, i) => ({
      name: `comment-${i}`,
      message: `Analyst note ${i}: checked HOST-${i} and found nothing new; continuing to monitor the affected accounts.`,
      createdTimeUtc: `2026-11-02T12:${String(i).padStart(2, '0')}:00Z`,
      author: { name: 'Dana Ruiz' },
    })),
    tasks: [{ name: 'task-1', title: 'Isolate HOST-1', status: 'New' }],
    unavailable: [],
    loadedAt: '2026-11-02T13:00:00Z',
  };
}

export function smallIncidentData(overrides: Partial<IncidentData> = {}): IncidentData {
  return {
    incident: makeIncident(7, {
      title: 'Suspicious PowerShell on WS-042',
      description: 'Encoded PowerShell downloaded a payload from a rare domain.',
      severity: 'Medium',
      status: 'Active',
      tactics: ['Execution', 'CommandAndControl'],
      techniques: ['T1059'],
      alertsCount: 2,
    }),
    alerts: [
      makeAlert(0, {
        name: 'a-7-1',
        displayName: 'Suspicious PowerShell command line',
        tactics: ['Execution'],
        compromisedEntity: 'WS-042',
      }),
      makeAlert(7, {
        name: 'a-7-2',
        displayName: 'Connection to known C2 domain',
        tactics: ['CommandAndControl'],
        compromisedEntity: 'WS-042',
      }),
    ],
    entities: [
      {
        id: 'e-acc',
        kind: 'Account',
        friendlyName: 'dana@contoso.com',
        properties: { upnSuffix: 'contoso.com' },
      },
      { id: 'e-host', kind: 'Host', friendlyName: 'WS-042', properties: { hostName: 'WS-042' } },
      { id: 'e-ip', kind: 'Ip', friendlyName: '203.0.113.9', properties: { address: '203.0.113.9' } },
      {
        id: 'e-url',
        kind: 'Url',
        friendlyName: 'https://evil.example.com/payload.ps1',
        properties: { url: 'https://evil.example.com/payload.ps1' },
      },
    ],
    comments: [],
    tasks: [],
    unavailable: [],
    loadedAt: '2026-11-02T13:00:00Z',
    ...overrides,
  };
}
