import { analyst } from '../directory';
import type { IncidentInput } from '../storeTypes';
import { HOSTS, USERS, accountEntityProperties, hostEntityProperties } from './identities';
import { ATTACKER_IPS, ipEntityProperties } from './networkAddresses';
import { ADMIN_SCRIPT, DNS_TUNNEL, INBOX_RULE, VPN_FALSE_POSITIVE, encodedPowerShell } from './scenarioTimes';
import type { Timeline } from './timeline';

export const FORWARD_TO = 'j.smith.invoices@proton.me';
export const TUNNEL_DOMAIN = 'cdn-telemetry-sync.net';
export const INVENTORY_SCRIPT =
  'Get-CimInstance Win32_InstalledWin32Program | Export-Csv \\\\SRV-MGMT01\\inventory$\\$env:COMPUTERNAME.csv -NoTypeInformation';
export const INVENTORY_COMMAND_LINE = `powershell.exe -NoProfile -ExecutionPolicy Bypass -EncodedCommand ${encodedPowerShell(INVENTORY_SCRIPT)}`;

export function incident09InboxForwardingRule(t: Timeline): IncidentInput {
  const at = t.ago(INBOX_RULE.hoursAgo);
  return {
    title: 'Suspicious inbox forwarding rule created for lynne.robbins@contoso.com',
    description: `A new inbox rule named ".." was created on the mailbox of lynne.robbins@contoso.com from 102.89.46.211 (Lagos, Nigeria). The rule forwards messages containing "invoice", "payment" or "wire" to the external address ${FORWARD_TO} and marks them as read. This pattern is typical of business email compromise.`,
    severity: 'Medium',
    status: 'New',
    owner: { objectId: analyst('Elena Rossi').objectId },
    labels: ['BEC'],
    createdTimeUtc: t.plus(at, 15),
    firstActivityTimeUtc: t.plus(at, -6),
    lastActivityTimeUtc: at,
    relatedAnalyticRuleIds: ['1a2b3c4d-0009-4e5f-8a9b-ab12cd34ef09'],
    entities: [
      { key: 'lynne', kind: 'Account', properties: accountEntityProperties(USERS.lynne) },
      {
        key: 'mailbox',
        kind: 'Mailbox',
        properties: {
          mailboxPrimaryAddress: USERS.lynne.upn,
          displayName: USERS.lynne.displayName,
          upn: USERS.lynne.upn,
          externalDirectoryObjectId: USERS.lynne.objectId,
        },
      },
      { key: 'ip', kind: 'Ip', properties: ipEntityProperties(ATTACKER_IPS.inboxRule) },
      {
        key: 'exo',
        kind: 'CloudApplication',
        properties: { appId: 20893, appName: 'Microsoft Exchange Online', instanceName: 'contoso.com' },
      },
    ],
    alerts: [
      {
        displayName: 'Suspicious email forwarding activity',
        description: `lynne.robbins@contoso.com created a rule that forwards email to ${FORWARD_TO}, an external address the organization has never sent to, from an IP address not previously used by the user.`,
        severity: 'Medium',
        productName: 'Microsoft Defender for Office 365',
        tactics: ['Collection', 'Exfiltration'],
        techniques: ['T1114.003'],
        startTimeUtc: at,
        compromisedEntity: USERS.lynne.upn,
        entityKeys: ['lynne', 'mailbox', 'ip'],
      },
      {
        displayName: 'Malicious Inbox Rule',
        description:
          'Often times after the initial compromise, attackers create inbox rules to delete or move suspicious emails, or forward them externally. This rule matched keywords used in financial fraud.',
        severity: 'Medium',
        productName: 'Azure Sentinel',
        tactics: ['Persistence', 'DefenseEvasion'],
        techniques: ['T1564.008'],
        startTimeUtc: at,
        entityKeys: ['lynne', 'ip', 'exo'],
      },
    ],
  };
}

export function incident10DnsTunnelling(t: Timeline): IncidentInput {
  const start = t.ago(DNS_TUNNEL.startHoursAgo);
  const end = t.ago(DNS_TUNNEL.endHoursAgo);
  return {
    title: 'Possible DNS tunnelling from WS-ENG-12 to cdn-telemetry-sync.net',
    description: `WS-ENG-12 sent over 1,800 DNS queries for long, high-entropy subdomains of ${TUNNEL_DOMAIN} (for example 4a6f686e2e446f65.0f3b9c.${TUNNEL_DOMAIN}) in 66 minutes. The queries came from C:\\Users\\isaiah.langer\\AppData\\Local\\Temp\\svchost.exe, an unsigned binary masquerading as a Windows process.`,
    severity: 'Medium',
    status: 'New',
    createdTimeUtc: t.plus(end, 20),
    firstActivityTimeUtc: start,
    lastActivityTimeUtc: end,
    relatedAnalyticRuleIds: ['1a2b3c4d-0010-4e5f-8a9b-ab12cd34ef10'],
    entities: [
      { key: 'host', kind: 'Host', properties: hostEntityProperties(HOSTS.engWorkstation) },
      { key: 'isaiah', kind: 'Account', properties: accountEntityProperties(USERS.isaiah) },
      { key: 'dns', kind: 'DnsResolution', properties: { domainName: TUNNEL_DOMAIN } },
      {
        key: 'proc',
        kind: 'Process',
        properties: {
          commandLine: `"C:\\Users\\isaiah.langer\\AppData\\Local\\Temp\\svchost.exe" --dns ${TUNNEL_DOMAIN} --interval 2`,
          processId: '9120',
          creationTimeUtc: start,
        },
      },
      { key: 'ns', kind: 'Ip', properties: ipEntityProperties(ATTACKER_IPS.dnsTunnel) },
    ],
    alerts: [
      {
        displayName: 'Potential DNS tunnelling: high volume of long subdomain queries',
        description:
          'A device queried more than 500 distinct subdomains longer than 40 characters under one parent domain within an hour. DNS tunnelling tools encode data in subdomains to bypass egress controls.',
        severity: 'Medium',
        productName: 'Azure Sentinel',
        tactics: ['CommandAndControl', 'Exfiltration'],
        techniques: ['T1071.004', 'T1048'],
        startTimeUtc: start,
        endTimeUtc: end,
        entityKeys: ['host', 'dns', 'ns'],
      },
      {
        displayName: 'Masquerading process communicating over DNS',
        description:
          'An unsigned svchost.exe running from a user Temp folder generated most of the DNS traffic from the device.',
        severity: 'Medium',
        productName: 'Microsoft Defender for Endpoint',
        tactics: ['DefenseEvasion', 'CommandAndControl'],
        techniques: ['T1036.005', 'T1071.004'],
        startTimeUtc: start,
        compromisedEntity: 'WS-ENG-12',
        entityKeys: ['host', 'isaiah', 'proc', 'dns'],
      },
    ],
  };
}

export function incident11BenignAdminScript(t: Timeline): IncidentInput {
  const at = t.ago(ADMIN_SCRIPT.hoursAgo);
  return {
    title: 'Suspicious encoded PowerShell on SRV-MGMT01 (software inventory script)',
    description:
      'powershell.exe ran with -EncodedCommand under CONTOSO\\it.admin on SRV-MGMT01, launched by the Task Scheduler. The decoded command exports installed programs to \\\\SRV-MGMT01\\inventory$.',
    severity: 'Low',
    status: 'Closed',
    classification: 'BenignPositive',
    classificationReason: 'SuspiciousButExpected',
    classificationComment:
      'Weekly software inventory task, approved change CHG0031245. Script hash matches the version in the IT automation repo.',
    owner: { objectId: analyst('Marcus Chen').objectId },
    createdTimeUtc: t.plus(at, 5),
    lastModifiedTimeUtc: t.plus(at, 50),
    firstActivityTimeUtc: at,
    lastActivityTimeUtc: at,
    relatedAnalyticRuleIds: ['1a2b3c4d-0011-4e5f-8a9b-ab12cd34ef11'],
    entities: [
      { key: 'host', kind: 'Host', properties: hostEntityProperties(HOSTS.mgmtServer) },
      { key: 'admin', kind: 'Account', properties: accountEntityProperties(USERS.itAdmin) },
      {
        key: 'ps',
        kind: 'Process',
        properties: {
          commandLine: INVENTORY_COMMAND_LINE,
          processId: '6604',
          creationTimeUtc: at,
          elevationToken: 'Full',
        },
      },
    ],
    alerts: [
      {
        displayName: 'Suspicious PowerShell command line',
        description:
          'A PowerShell process ran a base64-encoded command. Encoding is used to hide intent, but is also common in management tooling.',
        severity: 'Low',
        productName: 'Microsoft Defender for Endpoint',
        tactics: ['Execution'],
        techniques: ['T1059.001', 'T1027'],
        startTimeUtc: at,
        compromisedEntity: 'SRV-MGMT01',
        entityKeys: ['host', 'admin', 'ps'],
      },
    ],
    comments: [
      {
        author: analyst('Marcus Chen'),
        createdTimeUtc: t.plus(at, 45),
        message:
          'Decoded the command: Get-CimInstance Win32_InstalledWin32Program | Export-Csv to the inventory share. Matches CHG0031245; closing as benign positive. Suggest excluding this scheduled task in the rule.',
      },
    ],
  };
}

export function incident12FalsePositiveVpn(t: Timeline): IncidentInput {
  const at = t.ago(VPN_FALSE_POSITIVE.hoursAgo);
  return {
    title: 'Sign-in from unfamiliar location for nestor.wilke@contoso.com',
    description:
      'nestor.wilke@contoso.com signed in from 20.190.151.70 (Chicago, United States), a location not seen for this user in the past 30 days. The sign-in passed MFA from a compliant, Intune-managed device.',
    severity: 'Low',
    status: 'Closed',
    classification: 'FalsePositive',
    classificationReason: 'IncorrectAlertLogic',
    classificationComment:
      '20.190.151.70 is the new Contoso Global VPN egress in Chicago (rolled out this week). The named-location list in the rule has not been updated yet.',
    owner: { objectId: analyst('Priya Sharma').objectId },
    createdTimeUtc: t.plus(at, 6),
    lastModifiedTimeUtc: t.plus(at, 65),
    firstActivityTimeUtc: at,
    lastActivityTimeUtc: at,
    relatedAnalyticRuleIds: ['1a2b3c4d-0012-4e5f-8a9b-ab12cd34ef12', '1a2b3c4d-0012-4e5f-8a9b-ab12cd34ef13'],
    entities: [
      { key: 'nestor', kind: 'Account', properties: accountEntityProperties(USERS.nestor) },
      { key: 'vpn', kind: 'Ip', properties: ipEntityProperties(ATTACKER_IPS.vpnEgress) },
    ],
    alerts: [
      {
        displayName: 'Sign-in from an unfamiliar location',
        description:
          'A successful sign-in came from a location that is unusual for the user based on their 30-day sign-in history.',
        severity: 'Low',
        productName: 'Azure Sentinel',
        tactics: ['InitialAccess'],
        techniques: ['T1078'],
        startTimeUtc: at,
        compromisedEntity: USERS.nestor.upn,
        entityKeys: ['nestor', 'vpn'],
      },
    ],
    comments: [
      {
        author: analyst('Priya Sharma'),
        createdTimeUtc: t.plus(at, 60),
        message:
          'Checked with Network team: 20.190.151.70 is our new VPN egress. MFA passed on a compliant device. Closing as false positive and raising a change to add the range to the trusted named location.',
      },
    ],
  };
}
