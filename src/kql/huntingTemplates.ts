import type { Entity, Incident } from '../domain/types';
import { MAX_VALUES_PER_KIND, hashColumn, hostOf, huntWindow, ofKind, prop, uniq } from './entityValues';
import { kqlDatetime, kqlString } from './literals';
import { BUNDLED_SCHEMA, type WorkspaceSchema } from './schema';

/** A ready-to-run hunting query for the no-model path. */
export interface HuntingQuery {
  title: string;
  /** One sentence an analyst reads before running it. */
  why: string;
  query: string;
}

export { huntWindow, type HuntWindow } from './entityValues';

export interface HuntingTemplateOptions {
  /** Tables and columns the workspace has; templates on absent tables are skipped. */
  schema?: WorkspaceSchema;
  /** Most templates returned (default 12). */
  maxQueries?: number;
}

const MAIL_COLUMNS = [
  'TimeGenerated',
  'SenderFromAddress',
  'RecipientEmailAddress',
  'Subject',
  'DeliveryAction',
  'ThreatTypes',
];

interface Template {
  table: string;
  /** Columns the query needs beyond the table itself. */
  columns: string[];
  build(): HuntingQuery;
}

function hasColumns(schema: WorkspaceSchema, table: string, columns: string[]): boolean {
  const known = schema[table];
  if (!known) return false;
  const names = new Set(known.map((c) => c.name));
  return columns.every((c) => names.has(c));
}

/**
 * Hunting queries derived from an incident's entities, for when no model is configured. Each value is
 * an escaped literal; each query is bounded by the incident window and by summarize or take.
 */
export function buildHuntingQueries(
  incident: Incident,
  entities: Entity[],
  options: HuntingTemplateOptions = {},
): HuntingQuery[] {
  const schema = options.schema ?? BUNDLED_SCHEMA;
  const window = huntWindow(incident);
  const within = `TimeGenerated between (${kqlDatetime(window.start)} .. ${kqlDatetime(window.end)})`;
  const templates: Template[] = [];

  for (const entity of ofKind(entities, 'Account').slice(0, MAX_VALUES_PER_KIND)) {
    const name = prop(entity, 'accountName') ?? entity.friendlyName;
    const suffix = prop(entity, 'upnSuffix');
    const upn = suffix ? `${name}@${suffix}` : undefined;
    const aadId = prop(entity, 'aadUserId');
    const userMatch = [
      upn
        ? `UserPrincipalName =~ ${kqlString(upn)}`
        : `UserPrincipalName startswith ${kqlString(`${name}@`)}`,
      aadId ? `UserId == ${kqlString(aadId)}` : undefined,
    ]
      .filter((c) => c !== undefined)
      .join(' or ');
    const label = upn ?? name;
    templates.push({
      table: 'SigninLogs',
      columns: [
        'TimeGenerated',
        'UserPrincipalName',
        'UserId',
        'ResultType',
        'IPAddress',
        'AppDisplayName',
        'Location',
      ],
      build: () => ({
        title: `Sign-ins by ${label}`,
        why: 'Failed or unusual sign-ins (new IPs, apps, locations) around the incident show whether the account was used by someone else.',
        query: `SigninLogs\n| where ${within}\n| where ${userMatch}\n| summarize SignIns = count(), Failures = countif(ResultType != "0"), IPs = make_set(IPAddress, 20), Apps = make_set(AppDisplayName, 20) by UserPrincipalName, Location\n| order by Failures desc`,
      }),
    });
    templates.push({
      table: 'AuditLogs',
      columns: ['TimeGenerated', 'InitiatedBy', 'TargetResources', 'OperationName', 'Result'],
      build: () => ({
        title: `Directory changes by or to ${label}`,
        why: 'Role, MFA or app-consent changes made by or on the account are typical persistence steps.',
        query: `AuditLogs\n| where ${within}\n| where tostring(InitiatedBy.user.userPrincipalName) =~ ${kqlString(label)} or tostring(TargetResources) has ${kqlString(label)}\n| project TimeGenerated, OperationName, Result, InitiatedBy, TargetResources\n| order by TimeGenerated desc\n| take 200`,
      }),
    });
  }

  const hosts = uniq(ofKind(entities, 'Host').map((e) => prop(e, 'hostName') ?? e.friendlyName));
  for (const host of hosts) {
    const deviceMatch = `DeviceName =~ ${kqlString(host)} or DeviceName startswith ${kqlString(`${host}.`)}`;
    templates.push({
      table: 'DeviceProcessEvents',
      columns: [
        'TimeGenerated',
        'DeviceName',
        'FileName',
        'ProcessCommandLine',
        'InitiatingProcessFileName',
        'AccountName',
      ],
      build: () => ({
        title: `Processes on ${host}`,
        why: 'Command lines on the host show what ran before and after the alert (scripts, LOLBins, remote tools).',
        query: `DeviceProcessEvents\n| where ${within}\n| where ${deviceMatch}\n| project TimeGenerated, DeviceName, AccountName, FileName, ProcessCommandLine, InitiatingProcessFileName\n| order by TimeGenerated desc\n| take 200`,
      }),
    });
    templates.push({
      table: 'DeviceNetworkEvents',
      columns: [
        'TimeGenerated',
        'DeviceName',
        'RemoteIP',
        'RemoteUrl',
        'RemotePort',
        'InitiatingProcessFileName',
      ],
      build: () => ({
        title: `Network connections from ${host}`,
        why: 'Outbound destinations from the host reveal command-and-control or exfiltration.',
        query: `DeviceNetworkEvents\n| where ${within}\n| where ${deviceMatch}\n| summarize Connections = count(), Ports = make_set(RemotePort, 20) by RemoteIP, RemoteUrl, InitiatingProcessFileName\n| order by Connections desc\n| take 200`,
      }),
    });
    templates.push({
      table: 'SecurityEvent',
      columns: ['TimeGenerated', 'Computer', 'EventID', 'Activity', 'Account'],
      build: () => ({
        title: `Windows security events on ${host}`,
        why: 'Logons, service installs and log clearing on the host frame the attacker timeline.',
        query: `SecurityEvent\n| where ${within}\n| where Computer =~ ${kqlString(host)} or Computer startswith ${kqlString(`${host}.`)}\n| summarize Events = count(), Accounts = make_set(Account, 20) by EventID, Activity\n| order by Events desc`,
      }),
    });
  }

  const ips = uniq(ofKind(entities, 'Ip').map((e) => prop(e, 'address') ?? e.friendlyName));
  for (const ip of ips) {
    const literal = kqlString(ip);
    templates.push({
      table: 'SigninLogs',
      columns: ['TimeGenerated', 'IPAddress', 'UserPrincipalName', 'ResultType', 'AppDisplayName'],
      build: () => ({
        title: `Sign-ins from ${ip}`,
        why: 'Which accounts the address signed into (or tried to) shows the blast radius.',
        query: `SigninLogs\n| where ${within}\n| where IPAddress == ${literal}\n| summarize SignIns = count(), Failures = countif(ResultType != "0"), Apps = make_set(AppDisplayName, 20) by UserPrincipalName\n| order by SignIns desc`,
      }),
    });
    templates.push({
      table: 'CommonSecurityLog',
      columns: [
        'TimeGenerated',
        'SourceIP',
        'DestinationIP',
        'DestinationPort',
        'DeviceVendor',
        'DeviceAction',
      ],
      build: () => ({
        title: `Firewall and proxy traffic involving ${ip}`,
        why: 'Perimeter devices show whether traffic to or from the address was allowed or blocked.',
        query: `CommonSecurityLog\n| where ${within}\n| where SourceIP == ${literal} or DestinationIP == ${literal}\n| summarize Events = count() by DeviceVendor, DeviceAction, SourceIP, DestinationIP, DestinationPort\n| order by Events desc\n| take 200`,
      }),
    });
    templates.push({
      table: 'DeviceNetworkEvents',
      columns: ['TimeGenerated', 'RemoteIP', 'LocalIP', 'DeviceName', 'InitiatingProcessFileName'],
      build: () => ({
        title: `Devices talking to ${ip}`,
        why: 'Endpoints that connected to the address may be compromised too.',
        query: `DeviceNetworkEvents\n| where ${within}\n| where RemoteIP == ${literal} or LocalIP == ${literal}\n| summarize Connections = count(), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated) by DeviceName, InitiatingProcessFileName\n| order by Connections desc`,
      }),
    });
  }

  const mailboxes = uniq([
    ...ofKind(entities, 'Mailbox').map((e) => prop(e, 'mailboxPrimaryAddress')),
    ...ofKind(entities, 'MailMessage').map((e) => prop(e, 'recipient')),
  ]);
  const senders = uniq(ofKind(entities, 'MailMessage').map((e) => prop(e, 'sender') ?? prop(e, 'p1Sender')));
  const mailTemplate = (column: string, value: string, title: string, why: string): Template => ({
    table: 'EmailEvents',
    columns: MAIL_COLUMNS,
    build: () => ({
      title,
      why,
      query: `EmailEvents\n| where ${within}\n| where ${column} =~ ${kqlString(value)}\n| project ${MAIL_COLUMNS.join(', ')}\n| order by TimeGenerated desc\n| take 200`,
    }),
  });
  for (const sender of senders) {
    templates.push(
      mailTemplate(
        'SenderFromAddress',
        sender,
        `Mail sent by ${sender}`,
        'Other recipients of the same sender may have received the same lure.',
      ),
    );
  }
  for (const mailbox of mailboxes) {
    templates.push(
      mailTemplate(
        'RecipientEmailAddress',
        mailbox,
        `Mail received by ${mailbox}`,
        'What else reached the mailbox around the incident, and whether it was delivered or blocked.',
      ),
    );
  }

  const urls = uniq([
    ...ofKind(entities, 'Url').map((e) => prop(e, 'url') ?? e.friendlyName),
    ...ofKind(entities, 'MailMessage').flatMap((e) => {
      const value = e.properties.urls;
      return Array.isArray(value) ? value.filter((u): u is string => typeof u === 'string') : [];
    }),
  ]);
  for (const url of urls) {
    templates.push({
      table: 'UrlClickEvents',
      columns: ['TimeGenerated', 'Url', 'AccountUpn', 'ActionType', 'IPAddress'],
      build: () => ({
        title: `Clicks on ${url}`,
        why: 'Who clicked the link, and whether Safe Links blocked it, tells you who to contain.',
        query: `UrlClickEvents\n| where ${within}\n| where Url == ${kqlString(url)}\n| project TimeGenerated, AccountUpn, ActionType, IPAddress, Url\n| order by TimeGenerated desc\n| take 200`,
      }),
    });
    templates.push({
      table: 'DeviceNetworkEvents',
      columns: ['TimeGenerated', 'RemoteUrl', 'DeviceName', 'InitiatingProcessFileName'],
      build: () => ({
        title: `Devices that reached ${url}`,
        why: 'Endpoints that connected to the URL may have downloaded the payload.',
        query: `DeviceNetworkEvents\n| where ${within}\n| where RemoteUrl has ${kqlString(hostOf(url))}\n| summarize Connections = count(), FirstSeen = min(TimeGenerated) by DeviceName, InitiatingProcessFileName, RemoteUrl\n| order by Connections desc\n| take 200`,
      }),
    });
  }

  for (const entity of ofKind(entities, 'FileHash').slice(0, MAX_VALUES_PER_KIND)) {
    const hash = prop(entity, 'hashValue') ?? entity.friendlyName;
    const column = hashColumn(prop(entity, 'algorithm'), hash);
    templates.push({
      table: 'DeviceFileEvents',
      columns: ['TimeGenerated', column, 'DeviceName', 'FileName', 'FolderPath', 'ActionType'],
      build: () => ({
        title: `Where the file ${hash.slice(0, 16)}… appeared`,
        why: 'Every device that created or modified the file is a candidate for isolation.',
        query: `DeviceFileEvents\n| where ${within}\n| where ${column} =~ ${kqlString(hash)}\n| summarize Events = count(), FirstSeen = min(TimeGenerated), Paths = make_set(FolderPath, 20) by DeviceName, FileName, ActionType\n| order by FirstSeen asc`,
      }),
    });
  }
  const fileNames = uniq(
    ofKind(entities, 'File').map((e) => prop(e, 'fileName') ?? prop(e, 'name') ?? e.friendlyName),
  );
  for (const fileName of fileNames) {
    templates.push({
      table: 'DeviceFileEvents',
      columns: ['TimeGenerated', 'FileName', 'DeviceName', 'FolderPath', 'ActionType', 'SHA256'],
      build: () => ({
        title: `File activity for ${fileName}`,
        why: 'Where the file was written and by which process shows how it arrived.',
        query: `DeviceFileEvents\n| where ${within}\n| where FileName =~ ${kqlString(fileName)}\n| summarize Events = count(), FirstSeen = min(TimeGenerated), Hashes = make_set(SHA256, 10) by DeviceName, FolderPath, ActionType\n| order by FirstSeen asc`,
      }),
    });
  }

  return templates
    .filter((t) => hasColumns(schema, t.table, t.columns))
    .slice(0, options.maxQueries ?? 12)
    .map((t) => t.build());
}
