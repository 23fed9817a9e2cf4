import { describe, expect, it } from 'vitest';
import { DEMO_WORKSPACE } from '../../src/config';
import { BUILTIN_SCENARIOS_DIR, loadScenarioFolders } from '../../src/demo/scenarioLoader';
import { DemoStore, type StoredIncident } from '../../src/demo/store';

/**
 * What the built-in incidents say in words must be true of their log rows: analysts (and the
 * built-in analyst) check claims against the logs, so a count in a description that the rows do not
 * bear out teaches the wrong answer. Each test reads the number from the text and recounts it.
 */

const NOW = new Date('2026-11-20T12:00:00.000Z');
const store = new DemoStore({ workspace: DEMO_WORKSPACE, now: () => NOW });
loadScenarioFolders(store, [BUILTIN_SCENARIOS_DIR], NOW);

type Row = { [column: string]: unknown };

function rows(table: string): Row[] {
  const t = store.logTables()[table]!;
  return t.rows.map((cells) => Object.fromEntries(t.columns.map((c, i) => [c.name, cells[i]])));
}

function incident(n: number): StoredIncident {
  return store.getByNumber(n)!;
}

/** The number the text states, found by `pattern`'s first group ("1,800" reads as 1800). */
function stated(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  expect(match, `${pattern} in "${text}"`).not.toBeNull();
  return Number(match![1]!.replace(/,/g, ''));
}

const minutesBetween = (a: unknown, b: unknown): number =>
  Math.round((Date.parse(String(b)) - Date.parse(String(a))) / 60_000);
const byTime = (a: Row, b: Row): number =>
  Date.parse(String(a.TimeGenerated)) - Date.parse(String(b.TimeGenerated));

describe('built-in scenarios: stated facts are true of the log rows', () => {
  it('#1 password spray: attempts, accounts, minutes, the attacker success and the home sign-in', () => {
    const text = incident(1).description;
    const fromTor = rows('SigninLogs')
      .filter((r) => r.IPAddress === '185.220.101.45')
      .sort(byTime);
    const failures = fromTor.filter((r) => r.ResultType !== '0');
    expect(failures).toHaveLength(stated(text, /^(\d+) failed sign-in attempts/));
    expect(new Set(failures.map((r) => r.UserPrincipalName)).size).toBe(
      stated(text, /against (\d+) accounts/),
    );
    expect(minutesBetween(failures[0]!.TimeGenerated, failures.at(-1)!.TimeGenerated)).toBeLessThanOrEqual(
      stated(text, /within (\d+) minutes/),
    );
    const successes = fromTor.filter((r) => r.ResultType === '0');
    expect(successes.map((r) => r.UserPrincipalName)).toEqual(['adele.vance@contoso.com']);
    const seattle = [...rows('SigninLogs')]
      .sort(byTime)
      .find(
        (r) =>
          r.UserPrincipalName === 'adele.vance@contoso.com' &&
          Date.parse(String(r.TimeGenerated)) > Date.parse(String(successes[0]!.TimeGenerated)) &&
          (r.LocationDetails as { city?: string }).city === 'Seattle',
      );
    expect(minutesBetween(successes[0]!.TimeGenerated, seattle?.TimeGenerated)).toBe(
      stated(text, /(\d+) minutes later the same user signed in from Seattle/),
    );
    expect(
      incident(1)
        .alerts.map((a) => a.description)
        .join(' '),
    ).toContain('within 18 minutes');
  });

  it('#1: the bookmark shows what its query returns, and the completed reset is in the audit log', () => {
    const bookmark = incident(1).bookmarks[0]!;
    const shown = JSON.parse(bookmark.queryResult) as { ResultType: string; Attempts: number; Users: number };
    const matching = rows('SigninLogs').filter(
      (r) => r.IPAddress === '185.220.101.45' && r.ResultType === shown.ResultType,
    );
    expect([matching.length, new Set(matching.map((r) => r.UserPrincipalName)).size]).toEqual([
      shown.Attempts,
      shown.Users,
    ]);
    const done = incident(1).tasks.filter((t) => t.status === 'Completed');
    expect(done.map((t) => t.title)).toEqual(['Reset password and revoke sessions for adele.vance']);
    const audit = rows('AuditLogs').filter((r) => JSON.stringify(r.TargetResources).includes('adele.vance'));
    expect(audit.map((r) => r.OperationName)).toEqual([
      'Reset user password',
      'Invalidate all refresh tokens for user',
    ]);
    expect(Date.parse(String(audit[0]!.TimeGenerated))).toBeLessThanOrEqual(
      Date.parse(done[0]!.lastModifiedTimeUtc),
    );
  });

  it('#1: the victim’s home address has routine MFA history, and a comment says it is hers', () => {
    const home = rows('SigninLogs').filter(
      (r) =>
        r.UserPrincipalName === 'adele.vance@contoso.com' &&
        r.IPAddress === '73.42.118.207' &&
        r.AuthenticationRequirement === 'multiFactorAuthentication',
    );
    expect(home.length).toBeGreaterThanOrEqual(5);
    expect(incident(1).comments.some((c) => /73\.42\.118\.207 is her home/.test(c.message))).toBe(true);
  });

  it('#2 and #4: a FileHash entity is the hash the endpoint rows record for that file', () => {
    for (const [n, table, fileName] of [
      [2, 'DeviceProcessEvents', 'vssadmin.exe'],
      [4, 'DeviceFileEvents', 'Q3_Payment_Remittance.docm'],
    ] as const) {
      const hash = incident(n).entities.find((e) => e.kind === 'FileHash')!.properties.hashValue;
      expect(
        rows(table)
          .filter((r) => r.FileName === fileName)
          .map((r) => r.SHA256),
      ).toContain(hash);
    }
  });

  it('#5 mass download: 64 files in 36 minutes, about 20 times the previous days’ rate', () => {
    const text = incident(5).description;
    const alex = rows('OfficeActivity')
      .filter((r) => r.UserId === 'alex.wilber@contoso.com')
      .filter((r) => ['FileDownloaded', 'FileSyncDownloadedFull'].includes(String(r.Operation)))
      .sort(byTime);
    const first = Date.parse(incident(5).firstActivityTimeUtc!);
    const inBurst = alex.filter((r) => Date.parse(String(r.TimeGenerated)) >= first);
    expect(inBurst).toHaveLength(stated(text, /downloaded (\d+) files/));
    expect(inBurst.every((r) => String(r.Site_Url).includes('/sites/SalesPipeline/'))).toBe(true);
    expect(minutesBetween(inBurst[0]!.TimeGenerated, inBurst.at(-1)!.TimeGenerated)).toBeLessThanOrEqual(
      stated(text, /within (\d+) minutes/),
    );
    const before = alex.filter((r) => {
      const t = Date.parse(String(r.TimeGenerated));
      return t < first && t >= first - 72 * 3600_000;
    });
    expect(before).toHaveLength(stated(text, /\((\d+) downloads in the previous 3 days\)/));
    const ratio = inBurst.length / (before.length / 3);
    const about = stated(text, /about (\d+) times/);
    expect(Math.abs(ratio - about) / about).toBeLessThan(0.1);
  });

  it('#5: the SharePoint site is the tenant’s own, in routine use by colleagues', () => {
    const site = incident(5).entities.find((e) => e.kind === 'Url')!.properties.url as string;
    const tenant = String(incident(5).entities.find((e) => e.kind === 'Account')!.properties.upnSuffix);
    expect(new URL(site).hostname).toBe(`${tenant.split('.')[0]}.sharepoint.com`);
    const colleagues = rows('OfficeActivity').filter(
      (r) => String(r.Site_Url).startsWith(site) && r.UserId !== 'alex.wilber@contoso.com',
    );
    expect(new Set(colleagues.map((r) => r.UserId)).size).toBeGreaterThanOrEqual(3);
  });

  it('#6 RDP brute force: 48 failures from 3 Tor exits over 78 minutes, none succeeded', () => {
    const text = incident(6).description;
    const failed = rows('SecurityEvent')
      .filter((r) => r.EventID === 4625 && String(r.Computer).startsWith('JUMP-RDP01'))
      .sort(byTime);
    expect(failed).toHaveLength(stated(text, /received (\d+) failed RDP logons/));
    expect(new Set(failed.map((r) => r.IpAddress)).size).toBe(3);
    expect(minutesBetween(failed[0]!.TimeGenerated, failed.at(-1)!.TimeGenerated)).toBe(
      stated(text, /over (\d+) minutes/),
    );
    const attackers = new Set(failed.map((r) => r.IpAddress));
    expect(rows('SecurityEvent').filter((r) => r.EventID === 4624 && attackers.has(r.IpAddress))).toEqual([]);
  });

  it('#10 DNS tunnelling: the stated query count, interval and example are the rows, above the alert threshold', () => {
    const text = incident(10).description;
    const queries = rows('DeviceNetworkEvents')
      .filter((r) => String(r.RemoteUrl).endsWith('.cdn-telemetry-sync.net'))
      .sort(byTime);
    expect(queries).toHaveLength(stated(text, /sent (\d+) DNS queries/));
    const interval = stated(text, /one every (\d+) seconds/);
    expect(minutesBetween(queries[0]!.TimeGenerated, queries.at(-1)!.TimeGenerated)).toBe(
      ((queries.length - 1) * interval) / 60,
    );
    expect(stated(text, /for (\d+) minutes/)).toBe(((queries.length - 1) * interval) / 60);
    const example = /\(for example ([^ )]+)\)/.exec(text)?.[1];
    expect(queries.map((r) => r.RemoteUrl)).toContain(example);
    const process = incident(10).entities.find((e) => e.kind === 'Process')!.properties.commandLine;
    expect(process).toContain(`--interval ${interval}`);
    const alert = incident(10).alerts.find((a) => a.displayName.startsWith('Potential DNS tunnelling'))!;
    const threshold = stated(alert.description, /more than (\d+) distinct subdomains/);
    const firstHour = queries.filter(
      (r) => Date.parse(String(r.TimeGenerated)) < Date.parse(String(queries[0]!.TimeGenerated)) + 3600_000,
    );
    const long = new Set(
      firstHour.map((r) => String(r.RemoteUrl)).filter((q) => q.split('.')[0]!.length > 40),
    );
    expect(long.size).toBeGreaterThan(threshold);
  });

  it('#12: the VPN egress is recognisably corporate: colleagues’ MFA sign-ins from a named company location', () => {
    const vpn = rows('SigninLogs').filter((r) => r.IPAddress === '20.190.151.70');
    const others = vpn.filter((r) => r.UserPrincipalName !== 'nestor.wilke@contoso.com');
    expect(new Set(others.map((r) => r.UserPrincipalName)).size).toBeGreaterThanOrEqual(5);
    for (const r of vpn) {
      expect(r.AuthenticationRequirement).toBe('multiFactorAuthentication');
      expect(JSON.parse(String(r.NetworkLocationDetails))).toEqual([
        { networkType: 'namedNetwork', networkNames: ['Contoso Global VPN'] },
      ]);
    }
  });

  it('names each user’s managed device the way Defender names it', () => {
    const deviceOf = new Map<string, Set<string>>();
    for (const r of rows('SigninLogs')) {
      const d = r.DeviceDetail as { displayName?: string; deviceId?: string } | null;
      if (d?.displayName === undefined) continue;
      const upn = String(r.UserPrincipalName);
      deviceOf.set(upn, (deviceOf.get(upn) ?? new Set()).add(`${d.displayName}/${d.deviceId}`));
    }
    for (const devices of deviceOf.values()) expect(devices.size).toBe(1);
    expect([...deviceOf.get('megan.bowen@contoso.com')!][0]).toMatch(/^LT-MEGANB\//);
    expect([...deviceOf.get('patti.fernandez@contoso.com')!][0]).toMatch(/^WS-FIN-07\//);
  });
});
