import type { QueryTable } from '../../domain/types';
import { kqlDatetime, kqlString } from '../../kql/literals';

/**
 * The log evidence catalogue: a few fixed read-only KQL queries, chosen by what the incident holds
 * (public IPs, accounts, hosts, domains, mail), each answering one question an analyst would ask:
 * which accounts failed or succeeded from the suspect address; whose routine sign-in address is it;
 * what did the account do after signing in; what ran on the host and whom did it contact; who received
 * the mail. Values reach KQL only through kqlString/kqlDatetime; every query ends in `take`.
 * The same text runs against the demo workspace and a real one.
 */

export interface LogInputs {
  /** Incident activity widened by a day each side. */
  start: Date;
  end: Date;
  /** The incident's own first and last activity (counts of what happened in the incident). */
  activityStart: Date;
  activityEnd: Date;
  /** Start of the look-back for routine sign-ins (the user's usual addresses). */
  historyStart: Date;
  /** End of the look-back: a week after the incident (routine use continues after it), at most now. */
  historyEnd: Date;
  ips: string[];
  /** UPNs (or account names) of accounts and mailboxes. */
  accounts: string[];
  /** Host names, short and fully qualified. */
  hosts: string[];
  domains: string[];
  senders: string[];
  messageIds: string[];
  subjects: string[];
}

export interface SigninRow {
  ip: string;
  user: string;
  failures: number;
  successes: number;
  mfaSuccesses: number;
  days: number;
  first?: string;
  last?: string;
}

export interface OperationRow {
  actor: string;
  ip: string;
  operation: string;
  target: string;
  count: number;
  /** Of `count`, how many fell inside the incident's own activity window (OfficeActivity only). */
  inIncident?: number;
  first?: string;
  detail: string;
}

export interface ProcessRow {
  host: string;
  fileName: string;
  folder: string;
  commandLine: string;
  account: string;
  parent: string;
  /** SHA1, SHA256, MD5 of the image, as Defender records them (links FileHash entities to files). */
  hashes: string[];
  count: number;
  first?: string;
}

export interface NetworkRow {
  source: string;
  remoteIp: string;
  remoteUrl: string;
  port: number;
  process: string;
  action: string;
  count: number;
  distinctUrls: number;
  table: string;
}

export interface LogonRow {
  host: string;
  ip: string;
  account: string;
  eventId: number;
  count: number;
}

export interface MailRow {
  sender: string;
  recipient: string;
  subject: string;
  delivery: string;
  latest: string;
  count: number;
}

export interface LogRows {
  signins: SigninRow[];
  history: SigninRow[];
  office: OperationRow[];
  audit: OperationRow[];
  azure: OperationRow[];
  processes: ProcessRow[];
  network: NetworkRow[];
  logons: LogonRow[];
  mail: MailRow[];
}

export function emptyRows(): LogRows {
  return {
    signins: [],
    history: [],
    office: [],
    audit: [],
    azure: [],
    processes: [],
    network: [],
    logons: [],
    mail: [],
  };
}

export interface LogQuery {
  /** Short name for logs and "missing evidence" notes ("sign-ins from the incident's addresses"). */
  name: string;
  table: string;
  query: string;
  /** The window the query reads (also sent as the API timespan). */
  start: Date;
  end: Date;
  parse(table: QueryTable, into: LogRows): void;
}

const ROWS = 200;

const list = (values: readonly string[]): string => values.map(kqlString).join(', ');
const between = (start: Date, end: Date): string =>
  `TimeGenerated between (${kqlDatetime(start)} .. ${kqlDatetime(end)})`;

function cells(table: QueryTable): Record<string, unknown>[] {
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, row[i]])));
}
const s = (v: unknown): string =>
  typeof v === 'string'
    ? v
    : v === null || v === undefined
      ? ''
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);
const n = (v: unknown): number => (typeof v === 'number' ? v : Number(v) || 0);
const t = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function endsWithAny(column: string, domains: readonly string[]): string {
  return domains
    .map((d) => `${column} =~ ${kqlString(d)} or ${column} endswith ${kqlString(`.${d}`)}`)
    .join(' or ');
}

/** The queries worth running for these inputs, most telling first. */
export function planLogQueries(i: LogInputs): LogQuery[] {
  const queries: LogQuery[] = [];
  const window = between(i.start, i.end);
  if (i.ips.length > 0) {
    queries.push({
      name: 'sign-ins from the incident addresses',
      table: 'SigninLogs',
      start: i.start,
      end: i.end,
      query: [
        'SigninLogs',
        `| where ${window}`,
        `| where IPAddress in (${list(i.ips)})`,
        '| summarize Failures = countif(ResultType != "0"), Successes = countif(ResultType == "0"), MfaSuccesses = countif(ResultType == "0" and AuthenticationRequirement == "multiFactorAuthentication"), Days = dcount(startofday(TimeGenerated)), First = min(TimeGenerated), Last = max(TimeGenerated) by IPAddress, UserPrincipalName',
        `| take ${ROWS}`,
      ].join('\n'),
      parse: (table, into) => into.signins.push(...cells(table).map(signinRow)),
    });
  }
  if (i.ips.length > 0 || i.accounts.length > 0) {
    const who = [
      i.accounts.length > 0 ? `UserPrincipalName in~ (${list(i.accounts)})` : '',
      i.ips.length > 0 ? `IPAddress in (${list(i.ips)})` : '',
    ].filter(Boolean);
    queries.push({
      name: 'routine sign-in history',
      table: 'SigninLogs',
      start: i.historyStart,
      end: i.historyEnd,
      query: [
        'SigninLogs',
        `| where ${between(i.historyStart, i.historyEnd)}`,
        '| where ResultType == "0"',
        `| where ${who.join(' or ')}`,
        '| summarize Successes = count(), MfaSuccesses = countif(AuthenticationRequirement == "multiFactorAuthentication"), Days = dcount(startofday(TimeGenerated)), First = min(TimeGenerated), Last = max(TimeGenerated) by UserPrincipalName, IPAddress',
        `| take ${ROWS}`,
      ].join('\n'),
      parse: (table, into) => into.history.push(...cells(table).map(signinRow)),
    });
  }
  if (i.accounts.length > 0 || i.ips.length > 0) {
    const who = [
      i.accounts.length > 0 ? `UserId in~ (${list(i.accounts)})` : '',
      i.ips.length > 0 ? `ClientIP has_any (${list(i.ips)})` : '',
    ].filter(Boolean);
    queries.push({
      name: 'mailbox and file activity',
      table: 'OfficeActivity',
      start: i.start,
      end: i.end,
      query: [
        'OfficeActivity',
        `| where ${window}`,
        `| where ${who.join(' or ')}`,
        `| summarize Count = count(), InIncident = countif(TimeGenerated between (${kqlDatetime(i.activityStart)} .. ${kqlDatetime(i.activityEnd)})), First = min(TimeGenerated), Detail = make_set(Parameters, 2), Sites = make_set(Site_Url, 2) by UserId, ClientIP, Operation`,
        `| take ${ROWS}`,
      ].join('\n'),
      parse: (table, into) =>
        into.office.push(
          ...cells(table).map((r) => ({
            actor: s(r.UserId),
            ip: s(r.ClientIP),
            operation: s(r.Operation),
            target: s(r.Sites),
            count: n(r.Count),
            inIncident: n(r.InIncident),
            first: t(r.First),
            detail: s(r.Detail),
          })),
        ),
    });
    queries.push({
      name: 'directory changes',
      table: 'AuditLogs',
      start: i.start,
      end: i.end,
      query: [
        'AuditLogs',
        `| where ${window}`,
        '| extend Actor = tostring(InitiatedBy.user.userPrincipalName), ActorIp = tostring(InitiatedBy.user.ipAddress), Target = coalesce(tostring(TargetResources[0].userPrincipalName), tostring(TargetResources[0].displayName)), Change = tostring(TargetResources[0].modifiedProperties)',
        `| where ${[i.accounts.length > 0 ? `Actor in~ (${list(i.accounts)}) or Target in~ (${list(i.accounts)})` : '', i.ips.length > 0 ? `ActorIp in (${list(i.ips)})` : ''].filter(Boolean).join(' or ')}`,
        '| summarize Count = count(), First = min(TimeGenerated), Detail = make_set(Change, 2) by Actor, ActorIp, OperationName, Target',
        `| take ${ROWS}`,
      ].join('\n'),
      parse: (table, into) =>
        into.audit.push(
          ...cells(table).map((r) => ({
            actor: s(r.Actor),
            ip: s(r.ActorIp),
            operation: s(r.OperationName),
            target: s(r.Target),
            count: n(r.Count),
            first: t(r.First),
            detail: s(r.Detail),
          })),
        ),
    });
    queries.push({
      name: 'Azure control-plane operations',
      table: 'AzureActivity',
      start: i.start,
      end: i.end,
      query: [
        'AzureActivity',
        `| where ${window}`,
        `| where ${[i.accounts.length > 0 ? `Caller in~ (${list(i.accounts)})` : '', i.ips.length > 0 ? `CallerIpAddress in (${list(i.ips)})` : ''].filter(Boolean).join(' or ')}`,
        '| summarize Count = count(), First = min(TimeGenerated), Resources = make_set(Resource, 10) by Caller, CallerIpAddress, OperationNameValue, ActivityStatusValue',
        `| take ${ROWS}`,
      ].join('\n'),
      parse: (table, into) =>
        into.azure.push(
          ...cells(table).map((r) => ({
            actor: s(r.Caller),
            ip: s(r.CallerIpAddress),
            operation: s(r.OperationNameValue),
            target: s(r.Resources),
            count: n(r.Count),
            first: t(r.First),
            detail: s(r.ActivityStatusValue),
          })),
        ),
    });
  }
  if (i.hosts.length > 0) {
    queries.push({
      name: 'processes on the incident hosts',
      table: 'DeviceProcessEvents',
      start: i.start,
      end: i.end,
      query: [
        'DeviceProcessEvents',
        `| where ${window}`,
        `| where DeviceName in~ (${list(i.hosts)})`,
        '| summarize Count = count(), First = min(TimeGenerated) by DeviceName, FileName, FolderPath, ProcessCommandLine, AccountName, InitiatingProcessFileName, SHA1, SHA256, MD5',
        `| take ${ROWS}`,
      ].join('\n'),
      parse: (table, into) =>
        into.processes.push(
          ...cells(table).map((r) => ({
            host: s(r.DeviceName),
            fileName: s(r.FileName),
            folder: s(r.FolderPath),
            commandLine: s(r.ProcessCommandLine),
            account: s(r.AccountName),
            parent: s(r.InitiatingProcessFileName),
            hashes: [s(r.SHA1), s(r.SHA256), s(r.MD5)].filter((h) => h !== '').map((h) => h.toLowerCase()),
            count: n(r.Count),
            first: t(r.First),
          })),
        ),
    });
  }
  if (i.hosts.length > 0 || i.domains.length > 0 || i.ips.length > 0) {
    const where = [
      i.hosts.length > 0 ? `DeviceName in~ (${list(i.hosts)})` : '',
      i.domains.length > 0 ? endsWithAny('RemoteUrl', i.domains) : '',
      i.ips.length > 0 ? `RemoteIP in (${list(i.ips)})` : '',
    ].filter(Boolean);
    queries.push({
      name: 'network connections',
      table: 'DeviceNetworkEvents',
      start: i.start,
      end: i.end,
      query: [
        'DeviceNetworkEvents',
        `| where ${window}`,
        `| where ${where.join(' or ')}`,
        '| summarize Count = count(), Urls = dcount(RemoteUrl), Sample = min(RemoteUrl) by DeviceName, RemoteIP, RemotePort, InitiatingProcessFileName, InitiatingProcessFolderPath',
        `| take ${ROWS}`,
      ].join('\n'),
      parse: (table, into) =>
        into.network.push(
          ...cells(table).map((r) => ({
            source: s(r.DeviceName),
            remoteIp: s(r.RemoteIP),
            remoteUrl: s(r.Sample),
            port: n(r.RemotePort),
            process: [s(r.InitiatingProcessFolderPath), s(r.InitiatingProcessFileName)]
              .filter(Boolean)
              .join('\\'),
            action: '',
            count: n(r.Count),
            distinctUrls: n(r.Urls),
            table: 'DeviceNetworkEvents',
          })),
        ),
    });
  }
  if (i.ips.length > 0 || i.domains.length > 0) {
    const where = [
      i.ips.length > 0 ? `SourceIP in (${list(i.ips)}) or DestinationIP in (${list(i.ips)})` : '',
      i.domains.length > 0 ? endsWithAny('RequestURL', i.domains) : '',
    ].filter(Boolean);
    queries.push({
      name: 'firewall traffic',
      table: 'CommonSecurityLog',
      start: i.start,
      end: i.end,
      query: [
        'CommonSecurityLog',
        `| where ${window}`,
        `| where ${where.join(' or ')}`,
        '| summarize Count = count(), Urls = dcount(RequestURL), Sample = min(RequestURL) by SourceIP, DestinationIP, DestinationPort, DeviceAction',
        `| take ${ROWS}`,
      ].join('\n'),
      parse: (table, into) =>
        into.network.push(
          ...cells(table).map((r) => ({
            source: s(r.SourceIP),
            remoteIp: s(r.DestinationIP),
            remoteUrl: s(r.Sample),
            port: n(r.DestinationPort),
            process: '',
            action: s(r.DeviceAction),
            count: n(r.Count),
            distinctUrls: n(r.Urls),
            table: 'CommonSecurityLog',
          })),
        ),
    });
  }
  if (i.ips.length > 0 || i.hosts.length > 0) {
    const where = [
      i.ips.length > 0 ? `IpAddress in (${list(i.ips)})` : '',
      i.hosts.length > 0 ? `(Computer in~ (${list(i.hosts)}) and EventID == 4625)` : '',
    ].filter(Boolean);
    queries.push({
      name: 'Windows logons',
      table: 'SecurityEvent',
      start: i.start,
      end: i.end,
      query: [
        'SecurityEvent',
        `| where ${window}`,
        '| where EventID in (4624, 4625)',
        `| where ${where.join(' or ')}`,
        '| summarize Count = count() by Computer, IpAddress, TargetUserName, EventID',
        `| take ${ROWS}`,
      ].join('\n'),
      parse: (table, into) =>
        into.logons.push(
          ...cells(table).map((r) => ({
            host: s(r.Computer),
            ip: s(r.IpAddress),
            account: s(r.TargetUserName),
            eventId: n(r.EventID),
            count: n(r.Count),
          })),
        ),
    });
  }
  if (i.senders.length > 0 || i.messageIds.length > 0 || i.subjects.length > 0) {
    const where = [
      i.senders.length > 0 ? `SenderFromAddress in~ (${list(i.senders)})` : '',
      i.messageIds.length > 0 ? `NetworkMessageId in (${list(i.messageIds)})` : '',
      i.subjects.length > 0 ? `Subject in (${list(i.subjects)})` : '',
    ].filter(Boolean);
    queries.push({
      name: 'mail delivery',
      table: 'EmailEvents',
      start: i.start,
      end: i.end,
      query: [
        'EmailEvents',
        `| where ${window}`,
        `| where ${where.join(' or ')}`,
        '| summarize Count = count() by SenderFromAddress, RecipientEmailAddress, Subject, DeliveryAction, LatestDeliveryAction',
        `| take ${ROWS}`,
      ].join('\n'),
      parse: (table, into) =>
        into.mail.push(
          ...cells(table).map((r) => ({
            sender: s(r.SenderFromAddress),
            recipient: s(r.RecipientEmailAddress),
            subject: s(r.Subject),
            delivery: s(r.DeliveryAction),
            latest: s(r.LatestDeliveryAction),
            count: n(r.Count),
          })),
        ),
    });
  }
  return queries;
}

function signinRow(r: Record<string, unknown>): SigninRow {
  return {
    ip: s(r.IPAddress),
    user: s(r.UserPrincipalName).toLowerCase(),
    failures: n(r.Failures),
    successes: n(r.Successes),
    mfaSuccesses: n(r.MfaSuccesses),
    days: n(r.Days),
    first: t(r.First),
    last: t(r.Last),
  };
}
