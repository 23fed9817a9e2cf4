import type { Entity } from '../../domain/types';
import { defang } from '../safeText';
import { oneLine } from '../spotlight';
import type { EntityFlags } from './types';

/**
 * Who or what each entity is, independent of its role: the names text may use for it (to find it in
 * comments, tasks and alert texts), the real value an action needs (a full hash, a refanged URL), and
 * properties that forbid destructive actions (a Windows binary, the organisation's own site, a private
 * address). Everything here is derived from entity properties; nothing names a particular incident.
 */

export interface Subject {
  key: string;
  kind: string;
  name: string;
  value?: string;
  aliases: string[];
  flags: EntityFlags;
  /** Kind-specific details other modules read (city of an IP, sender of a message, …). */
  details: SubjectDetails;
  sameAs: string[];
  fromLogs?: boolean;
}

export interface SubjectDetails {
  city?: string;
  country?: string;
  organization?: string;
  /** Threat-intelligence or enrichment text on the entity ("Tor exit", a TI description). */
  reputation?: string;
  sender?: string;
  senderIp?: string;
  recipient?: string;
  threats?: string[];
  urls?: string[];
  directory?: string;
  fileName?: string;
  commandLine?: string;
  imageName?: string;
  imagePath?: string;
  upn?: string;
  hashIds?: string[];
  algorithm?: string;
  resourceName?: string;
  displayName?: string;
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') {
    // Some providers send arrays as JSON text.
    if (v.trim().startsWith('[')) {
      try {
        return strings(JSON.parse(v) as unknown);
      } catch {
        return [v];
      }
    }
    return [v];
  }
  return Array.isArray(v) ? v.flatMap((x) => (typeof x === 'string' ? [x] : [])) : [];
}

/** hxxps://evil[.]com → https://evil.com: indicators in data are often defanged for display. */
export function refang(value: string): string {
  return value
    .replace(/\bhxxp(s?):\/\//gi, 'http$1://')
    .replace(/\[\.\]|\(\.\)|\{\.\}/g, '.')
    .replace(/\[:\]/g, ':')
    .replace(/\[@\]/g, '@');
}

export function hostOfUrl(url: string): string | undefined {
  try {
    const host = new URL(refang(url)).hostname.toLowerCase();
    return host === '' ? undefined : host;
  } catch {
    return undefined;
  }
}

/** 10/8, 172.16/12, 192.168/16, loopback, link-local, CGNAT, IPv6 ULA/link-local. */
export function isPrivateAddress(address: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address.trim());
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  const v6 = address.trim().toLowerCase();
  return v6 === '::1' || /^f[cd][0-9a-f]{2}:/.test(v6) || /^fe[89ab][0-9a-f]:/.test(v6);
}

/** Folders Windows itself owns; a binary there is part of the operating system. */
const WINDOWS_FOLDER = /^(?:[a-z]:|%systemroot%|%windir%|\\\\\?\\[a-z]:)?\\windows(?:\\|$)/i;

/**
 * Windows binaries by name, for when the data gives no folder. A name alone is never enough to block
 * or delete anything, so this list only has to cover what attackers commonly misuse and what keeps
 * Windows running; the folder check above catches every other system binary.
 */
const WINDOWS_BINARY_NAMES = new Set(
  (
    'vssadmin bcdedit wbadmin wevtutil powershell pwsh cmd wmic rundll32 regsvr32 mshta certutil bitsadmin ' +
    'schtasks at net net1 reg cscript wscript msiexec svchost explorer nltest whoami lsass csrss winlogon ' +
    'services smss wininit taskhostw conhost dllhost sc tasklist taskkill netsh ipconfig arp route ping ' +
    'nslookup systeminfo icacls takeown attrib cipher diskshadow ntdsutil dsquery esentutl expand ' +
    'findstr forfiles hh installutil msbuild odbcconf pcalua presentationhost regasm regsvcs sdbinst ' +
    'sfc shutdown spoolsv msdt mstsc notepad calc wusa dism bootcfg fsutil mountvol label format ' +
    'robocopy xcopy qwinsta quser query logoff tscon mavinject msconfig eventvwr compmgmt mmc werfault ' +
    'searchindexer searchprotocolhost lsaiso sihost ctfmon fontdrvhost dwm userinit runonce rdpclip ' +
    'gpupdate klist setspn dsregcmd'
  )
    .split(/\s+/)
    .map((n) => `${n}.exe`),
);

export function isWindowsFolder(directory: string | undefined): boolean {
  return directory !== undefined && WINDOWS_FOLDER.test(directory.trim());
}

export function isWindowsBinaryName(fileName: string): boolean {
  return WINDOWS_BINARY_NAMES.has(fileName.trim().toLowerCase());
}

/**
 * System binary by path when a path is known, by name only when it is not. A Windows binary's name in a
 * user folder is masquerading (C:\Users\x\AppData\Local\Temp\svchost.exe): malware, not Windows.
 */
export function classifyBinary(
  fileName: string | undefined,
  directory: string | undefined,
): { systemBinary: boolean; masquerading: boolean } {
  if (!fileName) return { systemBinary: isWindowsFolder(directory), masquerading: false };
  const known = isWindowsBinaryName(fileName);
  if (directory === undefined || directory.trim() === '') return { systemBinary: known, masquerading: false };
  const inWindows = isWindowsFolder(directory);
  return { systemBinary: inWindows, masquerading: known && !inWindows };
}

/** The executable a command line starts, with its folder when the command line has one. */
export function imageOfCommandLine(commandLine: string): { name: string; directory?: string } | undefined {
  const trimmed = commandLine.trim();
  const quoted = /^"([^"]+)"/.exec(trimmed);
  const first = quoted ? quoted[1] : trimmed.split(/\s+/)[0];
  if (!first) return undefined;
  const slash = Math.max(first.lastIndexOf('\\'), first.lastIndexOf('/'));
  const name = slash >= 0 ? first.slice(slash + 1) : first;
  if (!/\.[a-z0-9]{2,4}$/i.test(name) && !/^[\w.-]+$/.test(name)) return undefined;
  return { name, directory: slash > 0 ? first.slice(0, slash) : undefined };
}

/** Microsoft's own services: blocking or deleting them breaks the tenant. */
const FIRST_PARTY_DOMAINS = [
  'microsoft.com',
  'microsoftonline.com',
  'office.com',
  'office365.com',
  'office.net',
  'sharepoint.com',
  'onmicrosoft.com',
  'windows.net',
  'azure.com',
  'azure.net',
  'live.com',
  'outlook.com',
  'windowsupdate.com',
  'msftauth.net',
  'msauth.net',
  'teams.microsoft.com',
];

export function isFirstPartyHost(host: string): boolean {
  const h = host.toLowerCase();
  return FIRST_PARTY_DOMAINS.some((d) => h === d || h.endsWith(`.${d}`));
}

/** Exchange Online, SharePoint Online, Teams, Azure portal, …: the service, not an attacker's app. */
export function isFirstPartyApp(appName: string | undefined): boolean {
  return (
    appName !== undefined &&
    /^(microsoft|office 365|azure|windows|exchange|sharepoint|onedrive|teams|outlook|dynamics|power (bi|apps|automate))\b/i.test(
      appName.trim(),
    )
  );
}

/**
 * The organisation's own domains: UPN suffixes of its accounts and mailboxes, and the tenant's
 * Microsoft 365 hosts derived from them (contoso.com → contoso.sharepoint.com, contoso-my…).
 */
export function orgDomainsOf(entities: readonly Entity[]): string[] {
  const domains = new Set<string>();
  for (const e of entities) {
    const p = e.properties;
    if (e.kind === 'Account') {
      const suffix = str(p.upnSuffix);
      if (suffix && !isServicePrincipal(p)) domains.add(suffix.toLowerCase());
    }
    if (e.kind === 'Mailbox') {
      const address = str(p.mailboxPrimaryAddress) ?? str(p.upn);
      const domain = address?.split('@')[1];
      if (domain) domains.add(domain.toLowerCase());
    }
  }
  for (const d of [...domains]) {
    const label = d.split('.')[0];
    if (!label || d.endsWith('.onmicrosoft.com')) continue;
    domains.add(`${label}.sharepoint.com`);
    domains.add(`${label}-my.sharepoint.com`);
    domains.add(`${label}.onmicrosoft.com`);
  }
  return [...domains].sort();
}

export function isOrgHost(host: string, orgDomains: readonly string[]): boolean {
  const h = host.toLowerCase();
  return orgDomains.some((d) => h === d || h.endsWith(`.${d}`));
}

function isServicePrincipal(p: Record<string, unknown>): boolean {
  const type = str(record(p.additionalData).AccountType) ?? str(p.accountType) ?? '';
  return /serviceprincipal|application|managedidentity/i.test(type) || str(p.appId) !== undefined;
}

/** One subject per entity: names, value, flags and details. Links between subjects come later. */
export function describeEntity(e: Entity, orgDomains: readonly string[]): Subject {
  const p = e.properties;
  const aliases: (string | undefined)[] = [];
  const flags: EntityFlags = {};
  const details: SubjectDetails = {};
  let value: string | undefined;
  let name = e.friendlyName || e.id;
  switch (e.kind) {
    case 'Account': {
      const account = str(p.accountName);
      const suffix = str(p.upnSuffix);
      const upn = str(p.userPrincipalName) ?? (account && suffix ? `${account}@${suffix}` : undefined);
      const domain = str(p.ntDomain);
      aliases.push(account, upn, str(p.displayName), str(p.aadUserId), str(p.sid), str(p.objectGuid));
      if (account && domain) aliases.push(`${domain}\\${account}`);
      value = upn ?? (account && domain ? `${domain}\\${account}` : account) ?? name;
      name = upn ?? account ?? name;
      details.upn = upn;
      details.displayName = str(p.displayName);
      if (isServicePrincipal(p)) flags.servicePrincipal = true;
      break;
    }
    case 'Host': {
      const host = str(p.hostName) ?? str(p.netBiosName);
      const fqdn =
        str(record(p.additionalData).FQDN) ??
        (host && str(p.dnsDomain) ? `${host}.${str(p.dnsDomain)}` : undefined);
      aliases.push(host, str(p.netBiosName), fqdn, str(p.azureID)?.split('/').pop());
      value = host ?? name;
      name = host ?? name;
      break;
    }
    case 'Ip': {
      const address = str(p.address) ?? name;
      aliases.push(address);
      value = address;
      name = address;
      const loc = record(p.location);
      details.city = str(loc.city);
      details.country = str(loc.countryName) ?? str(loc.countryCode);
      const extra = record(p.additionalData);
      details.organization = str(extra.Organization) ?? str(loc.organization) ?? str(loc.carrier);
      const ti = Array.isArray(p.threatIntelligence)
        ? p.threatIntelligence.map((t) => JSON.stringify(t)).join(' ')
        : '';
      details.reputation = [details.organization, ti, str(extra.ThreatDescription)].filter(Boolean).join(' ');
      if (isPrivateAddress(address)) flags.privateAddress = true;
      break;
    }
    case 'Url': {
      const url = refang(str(p.url) ?? name);
      value = url;
      name = defang(oneLine(url, 200));
      const host = hostOfUrl(url);
      aliases.push(url, host);
      if (host && isOrgHost(host, orgDomains)) flags.orgOwned = true;
      if (host && isFirstPartyHost(host)) flags.firstParty = true;
      break;
    }
    case 'DnsResolution': {
      const domain = str(p.domainName) ?? name;
      value = refang(domain).toLowerCase();
      name = defang(domain);
      aliases.push(value);
      if (isOrgHost(value, orgDomains)) flags.orgOwned = true;
      if (isFirstPartyHost(value)) flags.firstParty = true;
      break;
    }
    case 'FileHash': {
      const hash = str(p.hashValue);
      const algorithm = str(p.algorithm);
      value = hash;
      details.algorithm = algorithm;
      aliases.push(hash);
      // Sentinel's friendlyName for hashes is a short form ("3395…4140(SHA1)"): never the value to act on.
      name = hash ? `${algorithm ?? 'hash'} ${hash}` : name;
      break;
    }
    case 'File': {
      const fileName = str(p.fileName) ?? str(p.name) ?? name;
      const directory = str(p.directory);
      details.fileName = fileName;
      details.directory = directory;
      const full = directory ? `${directory.replace(/[\\/]+$/, '')}\\${fileName}` : fileName;
      value = full;
      name = full;
      aliases.push(full, fileName);
      const binary = classifyBinary(fileName, directory);
      if (binary.systemBinary) flags.systemBinary = true;
      if (binary.masquerading) flags.masquerading = true;
      details.hashIds = [
        ...strings(p.fileHashEntityIds),
        ...strings(p.fileHashes).filter((h) => /^[0-9a-f]{32,64}$/i.test(h)),
      ];
      break;
    }
    case 'Process': {
      const commandLine = str(p.commandLine) ?? '';
      details.commandLine = commandLine;
      const image = imageOfCommandLine(commandLine);
      details.imageName = image?.name;
      details.imagePath = image?.directory ? `${image.directory}\\${image.name}` : undefined;
      const binary = classifyBinary(image?.name, image?.directory);
      if (binary.systemBinary) flags.systemBinary = true;
      if (binary.masquerading) flags.masquerading = true;
      value = commandLine || name;
      name = oneLine(commandLine || name, 160);
      // "is svchost.exe legitimate?" asks about this process too.
      aliases.push(details.imagePath, details.imageName);
      break;
    }
    case 'Mailbox': {
      const address = str(p.mailboxPrimaryAddress) ?? str(p.upn);
      aliases.push(address, str(p.upn), str(p.displayName));
      value = address;
      name = address ?? name;
      details.upn = address;
      flags.recipient = true;
      break;
    }
    case 'MailMessage': {
      const extra = record(p.additionalData);
      const sender =
        str(p.sender) ?? str(extra.P2Sender) ?? str(extra.P1Sender) ?? str(p.p1Sender) ?? str(p.p2Sender);
      details.sender = sender?.toLowerCase();
      details.senderIp = str(p.senderIP);
      details.recipient = str(p.recipient)?.toLowerCase();
      details.threats = strings(p.threats);
      details.urls = strings(p.urls).map(refang);
      aliases.push(str(p.subject), str(p.internetMessageId), str(p.networkMessageId));
      value = sender;
      name = str(p.subject) ?? name;
      break;
    }
    case 'CloudApplication': {
      const app = str(p.appName) ?? name;
      aliases.push(app);
      value = app;
      name = app;
      if (isFirstPartyApp(app)) flags.firstParty = true;
      break;
    }
    case 'AzureResource': {
      const id = str(p.resourceId) ?? name;
      const segments = id.split('/').filter((s) => s.length > 0);
      const last = segments[segments.length - 1];
      // "/subscriptions/<id>" or a resource group: a scope, never something to delete.
      if (segments.length <= 4 || !/\/providers\//i.test(id)) flags.scope = true;
      details.resourceName = last;
      aliases.push(id, flags.scope ? undefined : last);
      value = id;
      name = flags.scope ? id : (last ?? id);
      break;
    }
    default:
      aliases.push(name);
      value = name;
  }
  return {
    key: e.id,
    kind: e.kind,
    name: oneLine(name, 200),
    value,
    // Sentinel's own display name finds the entity too, except where it is a short form ("abcd…(SHA1)")
    // or a whole command line.
    aliases: cleanAliases(
      e.kind === 'FileHash' || e.kind === 'Process' ? aliases : [...aliases, e.friendlyName],
    ),
    flags,
    details,
    sameAs: [],
  };
}

function cleanAliases(values: (string | undefined)[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    const a = v?.trim().toLowerCase();
    if (a && a.length >= 3) out.add(a);
  }
  return [...out];
}
