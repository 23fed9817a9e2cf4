import type { IncidentInput } from '../storeTypes';
import { analyst } from '../directory';
import { HOSTS, USERS, accountEntityProperties, hostEntityProperties } from './identities';
import { ATTACKER_IPS, ipEntityProperties } from './networkAddresses';
import { CRADLE, CRADLE_COMMAND_LINE, PHISH } from './scenarioTimes';
import type { Timeline } from './timeline';

export function incident03PhishingClick(t: Timeline): IncidentInput {
  const delivered = t.ago(PHISH.deliveredHoursAgo);
  const click = t.ago(PHISH.clickHoursAgo);
  const url = 'https://micros0ft-billing-portal.com/invoice/view?id=INV-88213&u=megan.bowen';
  return {
    title: 'Phishing email with malicious URL clicked by megan.bowen@contoso.com',
    description:
      'An email impersonating Microsoft billing ("Action required: your Microsoft 365 invoice is overdue") was delivered to megan.bowen@contoso.com and the user clicked the embedded URL, which leads to a credential-harvesting page. The message was removed by zero-hour auto purge 35 minutes after delivery.',
    severity: 'Medium',
    status: 'Active',
    providerName: 'Microsoft XDR',
    owner: { objectId: analyst('Elena Rossi').objectId },
    labels: ['Phishing'],
    createdTimeUtc: t.plus(click, 4),
    lastModifiedTimeUtc: t.plus(click, 60),
    firstActivityTimeUtc: delivered,
    lastActivityTimeUtc: t.plus(delivered, 35),
    relatedAnalyticRuleIds: ['1a2b3c4d-0003-4e5f-8a9b-ab12cd34ef03'],
    entities: [
      { key: 'megan', kind: 'Account', properties: accountEntityProperties(USERS.megan) },
      {
        key: 'mailbox',
        kind: 'Mailbox',
        properties: {
          mailboxPrimaryAddress: USERS.megan.upn,
          displayName: USERS.megan.displayName,
          upn: USERS.megan.upn,
          externalDirectoryObjectId: USERS.megan.objectId,
        },
      },
      {
        key: 'mail',
        kind: 'MailMessage',
        properties: {
          recipient: USERS.megan.upn,
          subject: 'Action required: your Microsoft 365 invoice is overdue',
          senderIP: ATTACKER_IPS.phishSender.address,
          receiveDate: delivered,
          networkMessageId: 'f1c2d3e4-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
          internetMessageId: '<20241104.88213.billing@micros0ft-billing-portal.com>',
          urls: [url],
          threats: ['Phish'],
          deliveryAction: 'Delivered',
          deliveryLocation: 'Inbox',
          antispamDirection: 'Inbound',
          additionalData: {
            P1Sender: 'billing@micros0ft-billing-portal.com',
            P2Sender: 'billing@micros0ft-billing-portal.com',
          },
        },
      },
      { key: 'url', kind: 'Url', properties: { url } },
      { key: 'laptop', kind: 'Host', properties: hostEntityProperties(HOSTS.meganLaptop) },
      { key: 'sender', kind: 'Ip', properties: ipEntityProperties(ATTACKER_IPS.phishSender) },
    ],
    alerts: [
      {
        displayName: 'A potentially malicious URL click was detected',
        description:
          'We have detected that one of your users has recently clicked on a link that was found to be malicious. megan.bowen@contoso.com clicked a URL that Safe Links later identified as phishing.',
        severity: 'High',
        productName: 'Microsoft Defender for Office 365',
        tactics: ['InitialAccess'],
        techniques: ['T1566.002'],
        startTimeUtc: click,
        compromisedEntity: USERS.megan.upn,
        remediationSteps: [
          "Reset the user's password and revoke sessions.",
          'Block the URL in Tenant Allow/Block List.',
        ],
        entityKeys: ['megan', 'url', 'mail', 'laptop'],
      },
      {
        displayName: 'Email messages containing malicious URL removed after delivery',
        description:
          'Emails with a malicious URL were delivered and later removed by zero-hour auto purge (ZAP). 1 message from billing@micros0ft-billing-portal.com was affected.',
        severity: 'Informational',
        productName: 'Microsoft Defender for Office 365',
        tactics: ['InitialAccess'],
        techniques: ['T1566.002'],
        startTimeUtc: t.plus(delivered, 35),
        entityKeys: ['mailbox', 'mail', 'url', 'sender'],
      },
    ],
  };
}

export function incident04EncodedPowerShell(t: Timeline): IncidentInput {
  const at = t.ago(CRADLE.hoursAgo);
  return {
    title: 'Encoded PowerShell download cradle launched from Word on WS-FIN-07',
    description:
      'WINWORD.EXE spawned powershell.exe with an encoded command on WS-FIN-07. The decoded command downloads and runs a script from http://194.26.29.113/a/update.ps1 (IEX (New-Object Net.WebClient).DownloadString). The device then connected to 194.26.29.113 over HTTP.',
    severity: 'High',
    status: 'New',
    providerName: 'Microsoft XDR',
    createdTimeUtc: t.plus(at, 5),
    firstActivityTimeUtc: at,
    lastActivityTimeUtc: t.plus(at, 2),
    relatedAnalyticRuleIds: ['1a2b3c4d-0004-4e5f-8a9b-ab12cd34ef04'],
    entities: [
      { key: 'host', kind: 'Host', properties: hostEntityProperties(HOSTS.pattiWorkstation) },
      { key: 'patti', kind: 'Account', properties: accountEntityProperties(USERS.patti) },
      {
        key: 'ps',
        kind: 'Process',
        properties: {
          commandLine: CRADLE_COMMAND_LINE,
          processId: '7344',
          creationTimeUtc: at,
          elevationToken: 'Default',
        },
      },
      {
        key: 'doc',
        kind: 'File',
        properties: {
          fileName: 'Q3_Payment_Remittance.docm',
          directory: 'C:\\Users\\patti.fernandez\\Downloads',
        },
      },
      {
        key: 'dochash',
        kind: 'FileHash',
        properties: {
          algorithm: 'SHA256',
          hashValue: '4f7a1c9e2b8d3f6a0c5e9b2d7f4a1c8e3b6d0f9a2c5e8b1d4f7a0c3e6b9d2f5a',
        },
      },
      { key: 'c2', kind: 'Ip', properties: ipEntityProperties(ATTACKER_IPS.cradleC2) },
      { key: 'url', kind: 'Url', properties: { url: 'http://194.26.29.113/a/update.ps1' } },
    ],
    alerts: [
      {
        displayName: 'Suspicious PowerShell command line',
        description:
          'A suspicious PowerShell activity was observed on WS-FIN-07: an encoded command that downloads and executes remote content. Attackers use encoded download cradles to run payloads in memory.',
        severity: 'High',
        productName: 'Microsoft Defender for Endpoint',
        tactics: ['Execution'],
        techniques: ['T1059.001', 'T1027'],
        startTimeUtc: at,
        compromisedEntity: 'WS-FIN-07',
        entityKeys: ['host', 'patti', 'ps', 'url'],
      },
      {
        displayName: 'Suspicious process launched by an Office application',
        description:
          'WINWORD.EXE launched powershell.exe after opening Q3_Payment_Remittance.docm, which is typical of a malicious macro.',
        severity: 'Medium',
        productName: 'Microsoft Defender for Endpoint',
        tactics: ['InitialAccess', 'Execution'],
        techniques: ['T1566.001', 'T1204.002'],
        startTimeUtc: at,
        compromisedEntity: 'WS-FIN-07',
        entityKeys: ['host', 'patti', 'doc', 'dochash'],
      },
      {
        displayName: 'Connection to a known malicious IP address',
        description:
          'powershell.exe on WS-FIN-07 connected to 194.26.29.113:80, an address associated with commodity malware staging.',
        severity: 'Medium',
        productName: 'Microsoft Defender for Endpoint',
        tactics: ['CommandAndControl'],
        techniques: ['T1105'],
        startTimeUtc: t.plus(at, 1),
        entityKeys: ['host', 'c2', 'ps'],
      },
    ],
  };
}
