import { ALL_USERS, HOSTS, TENANT_ID, type DemoHost } from './identities';
import { ATTACKER_IPS } from './networkAddresses';
import { TUNNEL_DOMAIN } from './incidents09to12';
import type { RowContext } from './rowWriter';
import { DNS_TUNNEL, RANSOM, RDP } from './scenarioTimes';

const SUBSCRIPTION_RESOURCE =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-servers/providers/microsoft.compute/virtualmachines';

function securityEvent(
  ctx: RowContext,
  time: string,
  host: DemoHost,
  eventId: number,
  activity: string,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  return {
    TimeGenerated: time,
    Computer: `${host.hostName}.${host.dnsDomain}`,
    EventID: eventId,
    Activity: `${eventId} - ${activity}`,
    Channel: 'Security',
    EventSourceName: 'Microsoft-Windows-Security-Auditing',
    Level: '8',
    EventLevelName: 'Information',
    SourceSystem: 'OpsManager',
    ManagementGroupName: 'AOI-11111111-1111-1111-1111-111111111111',
    SourceComputerId: ctx.prng.guid(),
    EventRecordId: String(ctx.prng.int(100_000, 9_999_999)),
    _ResourceId: `${SUBSCRIPTION_RESOURCE}/${host.hostName.toLowerCase()}`,
    _SubscriptionId: '00000000-0000-0000-0000-000000000000',
    TenantId: TENANT_ID,
    ...fields,
  };
}

function firewall(ctx: RowContext, time: string, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    TimeGenerated: time,
    DeviceVendor: 'Palo Alto Networks',
    DeviceProduct: 'PAN-OS',
    DeviceVersion: '10.2.7',
    DeviceEventClassID: 'TRAFFIC',
    Activity: 'TRAFFIC',
    LogSeverity: '1',
    Computer: 'fw-edge-01',
    DeviceName: 'PA-EDGE-01',
    CollectorHostName: 'syslog-fwd01',
    ReceivedBytes: ctx.prng.int(200, 20_000),
    SentBytes: ctx.prng.int(200, 8_000),
    SourceSystem: 'OpsManager',
    _ResourceId:
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-network/providers/microsoft.compute/virtualmachines/syslog-fwd01',
    _SubscriptionId: '00000000-0000-0000-0000-000000000000',
    TenantId: TENANT_ID,
    ...fields,
  };
}

export function seedSecurityRows(ctx: RowContext): void {
  const { t, prng, append } = ctx;
  // Incident 6: 48 failed RDP logons from three Tor exit nodes, and the firewall allowing them in.
  const tors = [ATTACKER_IPS.rdpTor1, ATTACKER_IPS.rdpTor2, ATTACKER_IPS.rdpTor3];
  const names = ['administrator', 'admin', 'scanner', 'administrator'];
  const span = (RDP.startHoursAgo - RDP.endHoursAgo) * 60;
  for (let i = 0; i < 48; i += 1) {
    const ip = tors[i % 3] ?? ATTACKER_IPS.rdpTor1;
    const time = t.ago(RDP.startHoursAgo, -(span * i) / 48);
    const name = names[i % names.length] ?? 'administrator';
    append(
      'SecurityEvent',
      securityEvent(ctx, time, HOSTS.jumpHost, 4625, 'An account failed to log on.', {
        Account: `\\${name.toUpperCase()}`,
        AccountType: 'User',
        TargetAccount: `\\${name.toUpperCase()}`,
        TargetUserName: name,
        TargetDomainName: '',
        LogonType: i % 4 === 0 ? 3 : 10,
        LogonTypeName: i % 4 === 0 ? '3 - Network' : '10 - RemoteInteractive',
        IpAddress: ip.address,
        IpPort: String(prng.int(40000, 65000)),
        WorkstationName: prng.pick(['kali', 'WIN-8J3HD2K', '-']),
        AuthenticationPackageName: 'NTLM',
        LogonProcessName: 'NtLmSsp ',
        FailureReason: '%%2313',
        Status: '0xc000006d',
        SubStatus: name === 'scanner' ? '0xc0000064' : '0xc000006a',
      }),
    );
    if (i % 4 === 0) {
      append(
        'CommonSecurityLog',
        firewall(ctx, time, {
          SourceIP: ip.address,
          SourcePort: prng.int(40000, 65000),
          DestinationIP: HOSTS.jumpHost.ip,
          DestinationPort: 3389,
          Protocol: 'tcp',
          ApplicationProtocol: 'ms-rdp',
          DeviceAction: 'allow',
          SimplifiedDeviceAction: 'Allow',
          DeviceCustomString1: 'Allow-RDP-Vendors',
          DeviceCustomString1Label: 'Rule',
          CommunicationDirection: 'Inbound',
          MaliciousIP: ip.address,
          MaliciousIPCountry: ip.countryName,
          ThreatDescription: 'Tor exit node',
        }),
      );
    }
  }

  // Incident 2: the Security log cleared on the file server, and the process creations around it.
  const ransomAt = t.ago(RANSOM.hoursAgo);
  append(
    'SecurityEvent',
    securityEvent(ctx, t.plus(ransomAt, 2), HOSTS.fileServer, 1102, 'The audit log was cleared.', {
      Account: 'CONTOSO\\svc-backup',
      SubjectUserName: 'svc-backup',
      SubjectDomainName: 'CONTOSO',
      EventSourceName: 'Microsoft-Windows-Eventlog',
    }),
  );
  for (const [offset, process, commandLine] of [
    [0, 'vssadmin.exe', 'vssadmin.exe delete shadows /all /quiet'],
    [1, 'bcdedit.exe', 'bcdedit.exe /set {default} recoveryenabled No'],
  ] as const) {
    append(
      'SecurityEvent',
      securityEvent(
        ctx,
        t.plus(ransomAt, offset),
        HOSTS.fileServer,
        4688,
        'A new process has been created.',
        {
          Account: 'CONTOSO\\svc-backup',
          SubjectUserName: 'svc-backup',
          SubjectDomainName: 'CONTOSO',
          NewProcessName: `C:\\Windows\\System32\\${process}`,
          Process: process,
          CommandLine: commandLine,
          ParentProcessName: 'C:\\Windows\\System32\\cmd.exe',
          TokenElevationType: '%%1937',
        },
      ),
    );
  }
  append(
    'SecurityEvent',
    securityEvent(
      ctx,
      t.plus(ransomAt, -12),
      HOSTS.fileServer,
      4624,
      'An account was successfully logged on.',
      {
        Account: 'CONTOSO\\svc-backup',
        TargetUserName: 'svc-backup',
        TargetDomainName: 'CONTOSO',
        LogonType: 10,
        LogonTypeName: '10 - RemoteInteractive',
        IpAddress: HOSTS.pattiWorkstation.ip,
        AuthenticationPackageName: 'Negotiate',
        LogonProcessName: 'User32 ',
      },
    ),
  );

  // Incident 10: the DNS resolver forwarding the tunnel's queries out through the firewall.
  const tunnelStart = t.ago(DNS_TUNNEL.startHoursAgo);
  for (let i = 0; i < 12; i += 1) {
    append(
      'CommonSecurityLog',
      firewall(ctx, t.plus(tunnelStart, i * 5.5), {
        SourceIP: HOSTS.dc.ip,
        DestinationIP: ATTACKER_IPS.dnsTunnel.address,
        DestinationPort: 53,
        Protocol: 'udp',
        ApplicationProtocol: 'dns',
        DeviceAction: 'allow',
        SimplifiedDeviceAction: 'Allow',
        DeviceCustomString1: 'Allow-DNS-Out',
        DeviceCustomString1Label: 'Rule',
        RequestURL: `${prng.hex(30)}.${TUNNEL_DOMAIN}`,
        CommunicationDirection: 'Outbound',
        SentBytes: prng.int(180, 260),
      }),
    );
  }

  // Background: domain logons on DC01 and ordinary web traffic.
  for (let i = 0; i < 40; i += 1) {
    const user = prng.pick(ALL_USERS);
    append(
      'SecurityEvent',
      securityEvent(
        ctx,
        t.ago(prng.int(0, 167), prng.int(0, 59)),
        HOSTS.dc,
        4624,
        'An account was successfully logged on.',
        {
          Account: `CONTOSO\\${user.accountName}`,
          AccountType: 'User',
          TargetUserName: user.accountName,
          TargetDomainName: 'CONTOSO',
          TargetUserSid: user.sid,
          LogonType: prng.pick([2, 3, 3, 10]),
          LogonTypeName: '3 - Network',
          IpAddress: prng.pick(['10.30.4.57', '10.30.2.107', '10.30.6.112']),
          AuthenticationPackageName: 'Kerberos',
          LogonProcessName: 'Kerberos',
        },
      ),
    );
  }
  const sites = [
    ['13.107.42.14', 'www.office.com'],
    ['140.82.112.3', 'github.com'],
    ['142.250.72.14', 'www.google.com'],
    ['104.16.132.229', 'cdnjs.cloudflare.com'],
  ] as const;
  for (let i = 0; i < 30; i += 1) {
    const [ip, url] = prng.pick(sites);
    const blocked = prng.next() < 0.1;
    append(
      'CommonSecurityLog',
      firewall(ctx, t.ago(prng.int(0, 167), prng.int(0, 59)), {
        SourceIP: prng.pick(['10.30.4.57', '10.30.2.107', '10.30.6.112']),
        DestinationIP: ip,
        DestinationPort: 443,
        Protocol: 'tcp',
        ApplicationProtocol: 'ssl',
        RequestURL: url,
        DeviceAction: blocked ? 'deny' : 'allow',
        SimplifiedDeviceAction: blocked ? 'Deny' : 'Allow',
        DeviceCustomString1: blocked ? 'Block-Uncategorized' : 'Allow-Web',
        DeviceCustomString1Label: 'Rule',
        CommunicationDirection: 'Outbound',
      }),
    );
  }
}
