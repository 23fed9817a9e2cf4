import { analyst } from '../directory';
import type { IncidentInput } from '../storeTypes';
import { HOSTS, USERS, accountEntityProperties, hostEntityProperties } from './identities';
import { ATTACKER_IPS, ipEntityProperties } from './networkAddresses';
import { RANSOM, SPRAY } from './scenarioTimes';
import type { Timeline } from './timeline';

export function incident01PasswordSpray(t: Timeline): IncidentInput {
  const tor = ATTACKER_IPS.sprayTor;
  const start = t.ago(SPRAY.startHoursAgo);
  const success = t.ago(SPRAY.successHoursAgo);
  const home = t.ago(SPRAY.homeSignInHoursAgo);
  return {
    title: 'Password spray attack followed by impossible travel sign-in for adele.vance@contoso.com',
    description:
      'Multiple failed sign-in attempts against 8 accounts were observed from the anonymizing IP address 185.220.101.45 (Tor exit node) within 40 minutes, followed by a successful sign-in for adele.vance@contoso.com from the same address. Twenty minutes later the same user signed in from Seattle, United States, a location 8,100 km away. This combination is consistent with a successful password spray and use of compromised credentials.',
    severity: 'High',
    status: 'Active',
    owner: { objectId: analyst('Priya Sharma').objectId },
    labels: ['Identity', 'Tor'],
    createdTimeUtc: t.ago(150.2),
    lastModifiedTimeUtc: t.ago(149),
    firstActivityTimeUtc: start,
    lastActivityTimeUtc: home,
    relatedAnalyticRuleIds: ['0b9ae89d-8cad-461c-808f-0494f70ad5c4', 'e2b4a8ee-7b1f-4c26-9c68-6f4e3a2b1c01'],
    entities: [
      { key: 'adele', kind: 'Account', properties: accountEntityProperties(USERS.adele) },
      { key: 'patti', kind: 'Account', properties: accountEntityProperties(USERS.patti) },
      { key: 'joni', kind: 'Account', properties: accountEntityProperties(USERS.joni) },
      { key: 'tor', kind: 'Ip', properties: ipEntityProperties(tor) },
      {
        key: 'home',
        kind: 'Ip',
        properties: ipEntityProperties({
          address: USERS.adele.homeIp,
          countryCode: 'US',
          countryName: 'United States',
          city: 'Seattle',
          state: 'Washington',
          latitude: 47.6062,
          longitude: -122.3321,
          asn: 7922,
          organization: 'Comcast Cable Communications',
        }),
      },
      {
        key: 'exo',
        kind: 'CloudApplication',
        properties: { appId: 20893, appName: 'Microsoft Exchange Online', instanceName: 'contoso.com' },
      },
    ],
    alerts: [
      {
        displayName: 'Password Spray',
        description:
          'A password spray attack is when multiple usernames are attacked using common passwords in a unified brute force manner to gain unauthorized access. This risk detection is triggered when a password spray attack has been successfully performed.',
        severity: 'High',
        productName: 'Microsoft Entra ID Protection',
        alertType: 'PasswordSpray',
        tactics: ['CredentialAccess'],
        techniques: ['T1110'],
        startTimeUtc: start,
        endTimeUtc: success,
        compromisedEntity: USERS.adele.upn,
        remediationSteps: [
          'Reset the password of the affected user and revoke their sessions.',
          'Require MFA for all users and block legacy authentication.',
        ],
        entityKeys: ['adele', 'tor'],
      },
      {
        displayName: 'Anonymous IP address',
        description:
          'This risk detection type indicates sign-ins from an anonymous IP address (for example, Tor browser or anonymizer VPNs). These IP addresses are typically used by actors who want to hide their login telemetry.',
        severity: 'Medium',
        productName: 'Microsoft Entra ID Protection',
        alertType: 'AnonymousLogin',
        tactics: ['InitialAccess'],
        techniques: ['T1078'],
        startTimeUtc: success,
        compromisedEntity: USERS.adele.upn,
        entityKeys: ['adele', 'tor', 'exo'],
      },
      {
        displayName: 'Atypical travel',
        description:
          "Sign-ins from adele.vance@contoso.com were observed from Frankfurt am Main, DE and Seattle, US within 18 minutes. The travel time between these locations is impossible; one of the sign-ins is likely from an attacker using the user's credentials.",
        severity: 'Medium',
        productName: 'Microsoft Entra ID Protection',
        alertType: 'ImpossibleTravel',
        tactics: ['InitialAccess'],
        techniques: ['T1078.004'],
        startTimeUtc: success,
        endTimeUtc: home,
        compromisedEntity: USERS.adele.upn,
        entityKeys: ['adele', 'tor', 'home'],
      },
      {
        displayName: 'Password spray attack against Microsoft Entra ID accounts',
        description:
          'Identifies failed sign-in attempts (ResultType 50126) from one IP address against many accounts, followed by a success. 185.220.101.45 failed against 8 distinct accounts before signing in as adele.vance@contoso.com.',
        severity: 'High',
        productName: 'Azure Sentinel',
        tactics: ['CredentialAccess'],
        techniques: ['T1110.003'],
        startTimeUtc: start,
        endTimeUtc: success,
        entityKeys: ['adele', 'patti', 'joni', 'tor'],
      },
    ],
    comments: [
      {
        author: analyst('Priya Sharma'),
        createdTimeUtc: t.ago(149.5),
        message:
          'Taking this one. Confirmed 185.220.101.45 is a listed Tor exit node; the successful sign-in used single-factor auth (legacy IMAP client).',
      },
      {
        author: analyst('Marcus Chen'),
        createdTimeUtc: t.ago(149.1),
        message:
          'FYI: Adele confirmed by phone she was in Seattle all day and did not use IMAP. Treat the Tor sign-in as attacker access.',
      },
    ],
    tasks: [
      {
        title: 'Reset password and revoke sessions for adele.vance',
        description:
          'Reset the password in Entra ID and run Revoke-MgUserSignInSession so refresh tokens stop working.',
        status: 'Completed',
        createdTimeUtc: t.ago(149.4),
        createdBy: analyst('Priya Sharma'),
      },
      {
        title: 'Check mailbox rules and sent items of adele.vance',
        description:
          'Look for forwarding rules or mail sent during the attacker session (OfficeActivity, New-InboxRule / Send).',
        status: 'New',
        createdTimeUtc: t.ago(149.3),
        createdBy: analyst('Priya Sharma'),
      },
    ],
    bookmarks: [
      {
        displayName: 'Sign-ins from Tor exit node 185.220.101.45',
        query:
          "SigninLogs\n| where IPAddress == '185.220.101.45'\n| summarize Attempts = count(), Users = dcount(UserPrincipalName) by ResultType",
        queryResult: { IPAddress: tor.address, ResultType: '50126', Attempts: 28, Users: 8 },
        eventTime: start,
        createdTimeUtc: t.ago(149.4),
        createdBy: analyst('Priya Sharma'),
        labels: ['password-spray'],
      },
    ],
  };
}

export function incident02ShadowCopyDeletion(t: Timeline): IncidentInput {
  const at = t.ago(RANSOM.hoursAgo);
  return {
    title: 'Ransomware precursor: shadow copies deleted on SRV-FILE01',
    description:
      'vssadmin.exe was used to delete all volume shadow copies on the file server SRV-FILE01, and system recovery was disabled with bcdedit. These actions inhibit system recovery and are commonly performed by human-operated ransomware shortly before encryption.',
    severity: 'High',
    status: 'Active',
    providerName: 'Microsoft XDR',
    owner: { objectId: analyst('Marcus Chen').objectId },
    labels: ['Ransomware'],
    createdTimeUtc: t.plus(at, 6),
    lastModifiedTimeUtc: t.plus(at, 90),
    firstActivityTimeUtc: t.plus(at, -3),
    lastActivityTimeUtc: t.plus(at, 2),
    relatedAnalyticRuleIds: ['1a2b3c4d-0001-4e5f-8a9b-ab12cd34ef02'],
    entities: [
      { key: 'host', kind: 'Host', properties: hostEntityProperties(HOSTS.fileServer) },
      {
        key: 'svc',
        kind: 'Account',
        properties: {
          accountName: 'svc-backup',
          ntDomain: 'CONTOSO',
          sid: 'S-1-5-21-1004336348-1177238915-682003330-2107',
          displayName: 'Backup service account',
          isDomainJoined: true,
        },
      },
      {
        key: 'vss',
        kind: 'Process',
        properties: {
          commandLine: 'vssadmin.exe delete shadows /all /quiet',
          processId: '4812',
          creationTimeUtc: at,
          elevationToken: 'Full',
        },
      },
      {
        key: 'bcd',
        kind: 'Process',
        properties: {
          commandLine: 'bcdedit.exe /set {default} recoveryenabled No',
          processId: '5120',
          creationTimeUtc: t.plus(at, 1),
          elevationToken: 'Full',
        },
      },
      {
        key: 'file',
        kind: 'File',
        properties: { fileName: 'vssadmin.exe', directory: 'C:\\Windows\\System32' },
      },
      {
        key: 'hash',
        kind: 'FileHash',
        properties: {
          algorithm: 'SHA256',
          hashValue: 'b5d0e3f7e6c4a4b1d5f6a0c9c3e8f2d7a1b9c0e4f5a6b7c8d9e0f1a2b3c4d5e6',
        },
      },
    ],
    alerts: [
      {
        displayName: 'File backups were deleted',
        description:
          'A process deleted volume shadow copies on SRV-FILE01 using vssadmin.exe. Ransomware deletes backups to prevent recovery of encrypted files.',
        severity: 'High',
        productName: 'Microsoft Defender for Endpoint',
        productComponentName: 'Behavior',
        tactics: ['Impact'],
        techniques: ['T1490'],
        startTimeUtc: at,
        compromisedEntity: 'SRV-FILE01',
        remediationSteps: [
          'Isolate SRV-FILE01 from the network.',
          'Identify the account that ran vssadmin and disable it.',
          'Verify offline backups are intact.',
        ],
        entityKeys: ['host', 'svc', 'vss', 'file', 'hash'],
      },
      {
        displayName: 'System recovery setting tampering',
        description:
          'bcdedit.exe was used to disable Windows recovery features on SRV-FILE01. Attackers do this so that the device cannot be restored after encryption.',
        severity: 'High',
        productName: 'Microsoft Defender for Endpoint',
        tactics: ['Impact', 'DefenseEvasion'],
        techniques: ['T1490'],
        startTimeUtc: t.plus(at, 1),
        compromisedEntity: 'SRV-FILE01',
        entityKeys: ['host', 'svc', 'bcd'],
      },
      {
        displayName: 'Event log was cleared',
        description:
          'The Security event log was cleared on SRV-FILE01 (event 1102) by CONTOSO\\svc-backup, which can hide earlier attacker activity.',
        severity: 'Medium',
        productName: 'Microsoft Defender for Endpoint',
        tactics: ['DefenseEvasion'],
        techniques: ['T1070.001'],
        startTimeUtc: t.plus(at, 2),
        compromisedEntity: 'SRV-FILE01',
        entityKeys: ['host', 'svc'],
      },
    ],
    comments: [
      {
        author: analyst('Marcus Chen'),
        createdTimeUtc: t.plus(at, 30),
        message:
          'Isolated SRV-FILE01 via Defender. svc-backup normally only runs Veeam jobs from SRV-BKP01, never interactive cmd. Escalating to IR.',
      },
    ],
    tasks: [
      {
        title: 'Disable svc-backup and rotate its password',
        description: 'The account ran vssadmin interactively; assume its credential is compromised.',
        status: 'New',
        createdTimeUtc: t.plus(at, 35),
        createdBy: analyst('Marcus Chen'),
      },
    ],
  };
}
