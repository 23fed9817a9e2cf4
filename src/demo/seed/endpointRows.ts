import { ALL_HOSTS, USERS } from './identities';
import {
  SYS32,
  SYSTEM,
  acct,
  fileRecord,
  networkRecord,
  processRecord,
  type ProcessSpec,
} from './deviceRecords';
import { seedIncidentProcesses } from './endpointIncidentRows';
import type { RowContext } from './rowWriter';

const BENIGN = [
  {
    fileName: 'Teams.exe',
    folder: 'C:\\Users\\USER\\AppData\\Local\\Microsoft\\Teams\\current',
    commandLine: '"Teams.exe" --system-initiated',
    remote: { ip: '52.113.194.132', port: 443, url: 'teams.microsoft.com' },
  },
  {
    fileName: 'msedge.exe',
    folder: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application',
    commandLine: '"msedge.exe" --profile-directory=Default',
    remote: { ip: '13.107.42.14', port: 443, url: 'www.office.com' },
  },
  {
    fileName: 'OneDrive.exe',
    folder: 'C:\\Program Files\\Microsoft OneDrive',
    commandLine: '"OneDrive.exe" /background',
    remote: { ip: '13.107.42.12', port: 443, url: 'contoso-my.sharepoint.com' },
  },
  {
    fileName: 'OUTLOOK.EXE',
    folder: 'C:\\Program Files\\Microsoft Office\\root\\Office16',
    commandLine: '"OUTLOOK.EXE"',
    remote: { ip: '52.96.165.18', port: 443, url: 'outlook.office365.com' },
  },
  {
    fileName: 'MsMpEng.exe',
    folder: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0',
    commandLine: '"MsMpEng.exe"',
    remote: { ip: '20.42.65.90', port: 443, url: 'wdcp.microsoft.com' },
  },
  {
    fileName: 'svchost.exe',
    folder: SYS32,
    commandLine: 'svchost.exe -k netsvcs -p -s wuauserv',
    remote: { ip: '13.107.4.50', port: 443, url: 'download.windowsupdate.com' },
  },
] as const;

export function seedEndpointRows(ctx: RowContext): void {
  seedIncidentProcesses(ctx);
  const users = [USERS.megan, USERS.patti, USERS.isaiah, USERS.lee, USERS.joni];
  for (let i = 0; i < 90; i += 1) {
    const host = ctx.prng.pick(ALL_HOSTS);
    const user = host.osVersion.includes('Server') ? undefined : ctx.prng.pick(users);
    const app = ctx.prng.pick(BENIGN);
    const spec: ProcessSpec = {
      time: ctx.t.ago(ctx.prng.int(0, 167), ctx.prng.int(0, 59)),
      host,
      account: user ? acct(user) : SYSTEM,
      fileName: app.fileName,
      folder: app.folder.replace('USER', user?.accountName ?? 'Default'),
      commandLine: app.commandLine,
      parent: { fileName: 'explorer.exe', commandLine: 'C:\\Windows\\Explorer.EXE', folder: 'C:\\Windows' },
      integrity: user ? 'Medium' : 'System',
    };
    ctx.append('DeviceProcessEvents', processRecord(ctx, spec));
    ctx.append('DeviceNetworkEvents', networkRecord(ctx, spec, app.remote));
    if (i % 6 === 0)
      ctx.append(
        'DeviceFileEvents',
        fileRecord(
          ctx,
          spec,
          `report-${ctx.prng.int(100, 999)}.xlsx`,
          `C:\\Users\\${user?.accountName ?? 'Public'}\\Documents`,
        ),
      );
  }
}
