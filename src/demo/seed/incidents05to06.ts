import { analyst } from '../directory';
import type { IncidentInput } from '../storeTypes';
import { HOSTS, USERS, accountEntityProperties, hostEntityProperties } from './identities';
import { ATTACKER_IPS, ipEntityProperties } from './networkAddresses';
import { INSIDER, RDP } from './scenarioTimes';
import type { Timeline } from './timeline';

export const SHAREPOINT_SITE = 'https://contoso.sharepoint.com/sites/SalesPipeline';

export function incident05MassDownload(t: Timeline): IncidentInput {
  const first = t.ago(INSIDER.firstDownloadHoursAgo);
  const last = t.ago(INSIDER.lastDownloadHoursAgo);
  return {
    title: 'Mass download from SharePoint by alex.wilber@contoso.com before resignation',
    description:
      "alex.wilber@contoso.com downloaded 64 files from the SalesPipeline SharePoint site within 36 minutes, 20 times the user's daily average. HR flagged the user as departing (resignation effective in 10 days). The files include customer lists and pricing workbooks.",
    severity: 'Medium',
    status: 'Active',
    owner: { objectId: analyst('Priya Sharma').objectId },
    labels: ['Insider risk', 'Data exfiltration'],
    createdTimeUtc: t.plus(last, 12),
    lastModifiedTimeUtc: t.plus(last, 200),
    firstActivityTimeUtc: first,
    lastActivityTimeUtc: last,
    relatedAnalyticRuleIds: ['1a2b3c4d-0005-4e5f-8a9b-ab12cd34ef05'],
    entities: [
      { key: 'alex', kind: 'Account', properties: accountEntityProperties(USERS.alex) },
      {
        key: 'spo',
        kind: 'CloudApplication',
        properties: {
          appId: 20892,
          appName: 'Microsoft SharePoint Online',
          instanceName: 'contoso.sharepoint.com',
        },
      },
      { key: 'site', kind: 'Url', properties: { url: SHAREPOINT_SITE } },
      {
        key: 'ip',
        kind: 'Ip',
        properties: ipEntityProperties({
          address: USERS.alex.homeIp,
          countryCode: 'US',
          countryName: 'United States',
          city: 'Kirkland',
          state: 'Washington',
          latitude: 47.6769,
          longitude: -122.206,
          asn: 7922,
          organization: 'Comcast Cable Communications',
        }),
      },
    ],
    alerts: [
      {
        displayName: 'Mass download by a single user',
        description:
          'A user performed an unusually large number of file downloads from SharePoint Online in a single session compared to the learned baseline (64 files, 212 MB).',
        severity: 'Medium',
        productName: 'Microsoft Defender for Cloud Apps',
        tactics: ['Exfiltration', 'Collection'],
        techniques: ['T1530'],
        startTimeUtc: first,
        endTimeUtc: last,
        compromisedEntity: USERS.alex.upn,
        entityKeys: ['alex', 'spo', 'site', 'ip'],
      },
      {
        displayName: 'Departing employee: mass file download from SharePoint',
        description:
          'Identifies users on the departing-employees watchlist who downloaded more than 50 files from SharePoint or OneDrive within one hour.',
        severity: 'Medium',
        productName: 'Azure Sentinel',
        tactics: ['Exfiltration'],
        techniques: ['T1567'],
        startTimeUtc: first,
        endTimeUtc: last,
        entityKeys: ['alex', 'site'],
      },
    ],
    comments: [
      {
        author: analyst('Priya Sharma'),
        createdTimeUtc: t.plus(last, 150),
        message:
          "Contacted HR and the user's manager. Legal hold requested on the mailbox and OneDrive; no external sharing seen so far.",
      },
    ],
  };
}

export function incident06RdpBruteForce(t: Timeline): IncidentInput {
  const start = t.ago(RDP.startHoursAgo);
  const end = t.ago(RDP.endHoursAgo);
  return {
    title: 'RDP brute force against JUMP-RDP01 from Tor exit nodes',
    description:
      'JUMP-RDP01 received 48 failed RDP logons (event 4625, logon type 10/3) for the accounts administrator, admin and scanner from three Tor exit nodes over 78 minutes. The host exposes TCP 3389 to the internet through the perimeter firewall rule "Allow-RDP-Vendors". No successful logon from these addresses was observed.',
    severity: 'Medium',
    status: 'New',
    createdTimeUtc: t.plus(end, 10),
    firstActivityTimeUtc: start,
    lastActivityTimeUtc: end,
    relatedAnalyticRuleIds: ['1a2b3c4d-0006-4e5f-8a9b-ab12cd34ef06'],
    entities: [
      { key: 'host', kind: 'Host', properties: hostEntityProperties(HOSTS.jumpHost) },
      {
        key: 'admin',
        kind: 'Account',
        properties: { accountName: 'administrator', ntDomain: 'JUMP-RDP01', displayName: 'administrator' },
      },
      { key: 'tor1', kind: 'Ip', properties: ipEntityProperties(ATTACKER_IPS.rdpTor1) },
      { key: 'tor2', kind: 'Ip', properties: ipEntityProperties(ATTACKER_IPS.rdpTor2) },
      { key: 'tor3', kind: 'Ip', properties: ipEntityProperties(ATTACKER_IPS.rdpTor3) },
    ],
    alerts: [
      {
        displayName: 'RDP brute force attempts from Tor exit nodes',
        description:
          'More than 30 failed RDP logons from IP addresses on the Tor exit-node list against one host within one hour.',
        severity: 'Medium',
        productName: 'Azure Sentinel',
        tactics: ['CredentialAccess'],
        techniques: ['T1110.001'],
        startTimeUtc: start,
        endTimeUtc: end,
        entityKeys: ['host', 'admin', 'tor1', 'tor2', 'tor3'],
      },
      {
        displayName: 'Suspicious authentication activity',
        description:
          'Although none of them succeeded, some of them used accounts were recognized by the host. This resembles a dictionary attack, in which an attacker performs numerous authentication attempts using a dictionary of predefined account names and passwords.',
        severity: 'Medium',
        productName: 'Microsoft Defender for Cloud',
        tactics: ['PreAttack', 'CredentialAccess'],
        techniques: ['T1110'],
        startTimeUtc: start,
        endTimeUtc: end,
        compromisedEntity: 'JUMP-RDP01',
        remediationSteps: [
          'Restrict TCP 3389 to the VPN address range.',
          'Enable just-in-time VM access.',
          'Enforce account lockout and strong passwords for local accounts.',
        ],
        entityKeys: ['host', 'tor1', 'tor2', 'tor3'],
      },
    ],
  };
}
