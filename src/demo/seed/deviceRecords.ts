import { TENANT_ID, type DemoHost, type DemoUser } from './identities';
import type { RowContext } from './rowWriter';

/** Builders for Defender for Endpoint (Device*) rows; each fills the columns analysts query most. */

export interface ProcessSpec {
  time: string;
  host: DemoHost;
  account: { name: string; domain: string; sid: string; upn?: string };
  fileName: string;
  folder: string;
  commandLine: string;
  parent: { fileName: string; commandLine: string; folder: string };
  sha256?: string;
  integrity?: 'Medium' | 'High' | 'System';
}

export function acct(u: DemoUser): ProcessSpec['account'] {
  return { name: u.accountName, domain: 'contoso', sid: u.sid, upn: u.upn };
}

export const SYSTEM = { name: 'system', domain: 'nt authority', sid: 'S-1-5-18' };
export const SVC_BACKUP = {
  name: 'svc-backup',
  domain: 'contoso',
  sid: 'S-1-5-21-1004336348-1177238915-682003330-2107',
};

export function deviceBase(ctx: RowContext, time: string, host: DemoHost): Record<string, unknown> {
  return {
    TimeGenerated: time,
    DeviceId: host.deviceId,
    DeviceName: `${host.hostName.toLowerCase()}.${host.dnsDomain}`,
    ReportId: ctx.prng.int(1000, 99999),
    MachineGroup: host.osVersion.includes('Server') ? 'Servers' : 'Workstations',
    SourceSystem: 'Microsoft Defender for Endpoint',
    TenantId: TENANT_ID,
  };
}

export function initiating(spec: ProcessSpec, pid: number): Record<string, unknown> {
  return {
    InitiatingProcessAccountDomain: spec.account.domain,
    InitiatingProcessAccountName: spec.account.name,
    InitiatingProcessAccountSid: spec.account.sid,
    InitiatingProcessAccountUpn: spec.account.upn ?? null,
    InitiatingProcessFileName: spec.parent.fileName,
    InitiatingProcessFolderPath: `${spec.parent.folder}\\${spec.parent.fileName}`.toLowerCase(),
    InitiatingProcessCommandLine: spec.parent.commandLine,
    InitiatingProcessId: pid,
    InitiatingProcessIntegrityLevel: spec.integrity ?? 'Medium',
  };
}

export function processRecord(ctx: RowContext, spec: ProcessSpec): Record<string, unknown> {
  const pid = ctx.prng.int(1000, 12000);
  return {
    ...deviceBase(ctx, spec.time, spec.host),
    ...initiating(spec, ctx.prng.int(500, 9000)),
    ActionType: 'ProcessCreated',
    AccountDomain: spec.account.domain,
    AccountName: spec.account.name,
    AccountSid: spec.account.sid,
    AccountUpn: spec.account.upn ?? null,
    FileName: spec.fileName,
    FolderPath: `${spec.folder}\\${spec.fileName}`,
    ProcessCommandLine: spec.commandLine,
    ProcessId: pid,
    ProcessCreationTime: spec.time,
    ProcessIntegrityLevel: spec.integrity ?? 'Medium',
    ProcessTokenElevation:
      spec.integrity === 'High' || spec.integrity === 'System'
        ? 'TokenElevationTypeFull'
        : 'TokenElevationTypeLimited',
    SHA256: spec.sha256 ?? ctx.prng.hex(64),
    SHA1: ctx.prng.hex(40),
    MD5: ctx.prng.hex(32),
  };
}

export const SYS32 = 'C:\\Windows\\System32';
export const CMD = { fileName: 'cmd.exe', commandLine: 'cmd.exe /c C:\\PerfLogs\\1.bat', folder: SYS32 };

export function networkRecord(
  ctx: RowContext,
  spec: ProcessSpec,
  remote: { ip: string; port: number; url?: string; protocol?: string },
): Record<string, unknown> {
  return {
    ...deviceBase(ctx, spec.time, spec.host),
    ...initiating(
      { ...spec, parent: { fileName: spec.fileName, commandLine: spec.commandLine, folder: spec.folder } },
      ctx.prng.int(500, 9000),
    ),
    ActionType: remote.port === 53 ? 'DnsConnectionInspected' : 'ConnectionSuccess',
    LocalIP: spec.host.ip,
    LocalIPType: 'Private',
    LocalPort: ctx.prng.int(49152, 65535),
    RemoteIP: remote.ip,
    RemoteIPType: remote.ip.startsWith('10.') ? 'Private' : 'Public',
    RemotePort: remote.port,
    RemoteUrl: remote.url ?? '',
    Protocol: remote.protocol ?? 'Tcp',
    AdditionalFields:
      remote.port === 53 ? { query: remote.url, query_type: 'TXT', direction: 'Outbound' } : null,
  };
}

export function fileRecord(
  ctx: RowContext,
  spec: ProcessSpec,
  fileName: string,
  folder: string,
  originUrl?: string,
): Record<string, unknown> {
  return {
    ...deviceBase(ctx, spec.time, spec.host),
    ...initiating(spec, ctx.prng.int(500, 9000)),
    ActionType: 'FileCreated',
    FileName: fileName,
    FolderPath: `${folder}\\${fileName}`,
    FileSize: ctx.prng.int(20_000, 900_000),
    FileOriginUrl: originUrl ?? null,
    SHA256: ctx.prng.hex(64),
    SHA1: ctx.prng.hex(40),
    MD5: ctx.prng.hex(32),
    IsAzureInfoProtectionApplied: false,
  };
}
