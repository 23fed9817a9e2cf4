/** The people, machines and addresses of the fictional Contoso tenant the demo data is about. */

export const TENANT_ID = '72f988bf-0000-4000-8000-c0e705000001';

export interface DemoUser {
  displayName: string;
  upn: string;
  accountName: string;
  objectId: string;
  sid: string;
  /** Where the user normally signs in from. */
  homeIp: string;
  city: string;
  state: string;
  countryOrRegion: string;
  department: string;
}

function user(
  displayName: string,
  accountName: string,
  objectId: string,
  rid: number,
  homeIp: string,
  city: string,
  state: string,
  department: string,
): DemoUser {
  return {
    displayName,
    upn: `${accountName}@contoso.com`,
    accountName,
    objectId,
    sid: `S-1-5-21-1004336348-1177238915-682003330-${rid}`,
    homeIp,
    city,
    state,
    countryOrRegion: 'US',
    department,
  };
}

export const USERS = {
  adele: user(
    'Adele Vance',
    'adele.vance',
    '8a1f3c5e-2b4d-4f6a-9c8e-0d2f4a6b8c11',
    1611,
    '73.42.118.207',
    'Seattle',
    'Washington',
    'Retail',
  ),
  megan: user(
    'Megan Bowen',
    'megan.bowen',
    '3c5e7a9b-4d6f-4b8a-8c0e-2f4a6b8cad12',
    1612,
    '98.97.33.14',
    'Redmond',
    'Washington',
    'Marketing',
  ),
  patti: user(
    'Patti Fernandez',
    'patti.fernandez',
    '5e7a9b1d-6f8b-4d0c-9e2a-4b6c8d0e1f13',
    1613,
    '24.16.201.88',
    'Bellevue',
    'Washington',
    'Finance',
  ),
  alex: user(
    'Alex Wilber',
    'alex.wilber',
    '7a9b1d3f-8b0d-4f2e-8a4c-6d8e0f2a3b14',
    1614,
    '67.185.40.9',
    'Kirkland',
    'Washington',
    'Sales',
  ),
  diego: user(
    'Diego Siciliani',
    'diego.siciliani',
    '9b1d3f5a-0d2f-4a4b-9c6e-8f0a2b4c5d15',
    1615,
    '71.197.12.140',
    'Seattle',
    'Washington',
    'IT',
  ),
  lynne: user(
    'Lynne Robbins',
    'lynne.robbins',
    'b1d3f5a7-2f4a-4c6d-8e8a-0b2c4d6e7f16',
    1616,
    '50.47.102.33',
    'Tacoma',
    'Washington',
    'Finance',
  ),
  nestor: user(
    'Nestor Wilke',
    'nestor.wilke',
    'd3f5a7b9-4a6c-4e8f-9a0b-2c4d6e8f9a17',
    1617,
    '76.121.8.250',
    'Everett',
    'Washington',
    'Operations',
  ),
  isaiah: user(
    'Isaiah Langer',
    'isaiah.langer',
    'f5a7b9c1-6c8e-4a0b-8b2d-4e6f8a0b1c18',
    1618,
    '97.113.64.71',
    'Redmond',
    'Washington',
    'Engineering',
  ),
  joni: user(
    'Joni Sherman',
    'joni.sherman',
    '17b9c1d3-8e0a-4c2d-9d4f-6a8b0c2d3e19',
    1619,
    '73.140.22.185',
    'Seattle',
    'Washington',
    'Legal',
  ),
  lee: user(
    'Lee Gu',
    'lee.gu',
    '39c1d3e5-0a2c-4e4f-8f6b-8c0d2e4f5a20',
    1620,
    '24.18.77.203',
    'Renton',
    'Washington',
    'Engineering',
  ),
  itAdmin: user(
    'IT Automation',
    'it.admin',
    '5bd3e5f7-2c4e-4a6b-9b8d-0e2f4a6b7c21',
    1500,
    '10.20.0.15',
    'Seattle',
    'Washington',
    'IT',
  ),
} as const;

export type UserKey = keyof typeof USERS;
export const ALL_USERS: readonly DemoUser[] = Object.values(USERS);

export interface DemoHost {
  hostName: string;
  dnsDomain: string;
  deviceId: string;
  osFamily: 'Windows' | 'Linux';
  osVersion: string;
  ip: string;
}

function host(hostName: string, deviceId: string, osVersion: string, ip: string): DemoHost {
  return { hostName, dnsDomain: 'contoso.local', deviceId, osFamily: 'Windows', osVersion, ip };
}

export const HOSTS = {
  fileServer: host(
    'SRV-FILE01',
    '4c2a9e1b7d3f5a8c0e2b4d6f8a1c3e5b7d9f0a2c',
    'Windows Server 2019',
    '10.20.1.21',
  ),
  meganLaptop: host('LT-MEGANB', '8e4c1a3b5d7f9b0d2f4a6c8e0b2d4f6a8c0e2b4d', 'Windows 11', '10.30.4.57'),
  pattiWorkstation: host(
    'WS-FIN-07',
    '1a3c5e7b9d0f2b4d6f8a0c2e4b6d8f0a2c4e6b8d',
    'Windows 11',
    '10.30.2.107',
  ),
  jumpHost: host(
    'JUMP-RDP01',
    '3b5d7f9a1c3e5b7d9f0a2c4e6b8d0f2a4c6e8b0d',
    'Windows Server 2022',
    '10.20.9.10',
  ),
  engWorkstation: host('WS-ENG-12', '5c7e9a1b3d5f7a9c1e3b5d7f9a0c2e4b6d8f0a2c', 'Windows 11', '10.30.6.112'),
  mgmtServer: host(
    'SRV-MGMT01',
    '7d9f1b3c5e7a9c1e3b5d7f9a1c2e4b6d8f0a2c4e',
    'Windows Server 2022',
    '10.20.0.15',
  ),
  dc: host('DC01', '9e1a3c5d7f9b1d3f5a7c9e1b3d4f6a8c0e2b4d6f', 'Windows Server 2022', '10.20.0.4'),
} as const;

export const ALL_HOSTS: readonly DemoHost[] = Object.values(HOSTS);

export function accountEntityProperties(u: DemoUser): Record<string, unknown> {
  const [, upnSuffix] = u.upn.split('@');
  return {
    accountName: u.accountName,
    ntDomain: 'CONTOSO',
    upnSuffix,
    aadTenantId: TENANT_ID,
    aadUserId: u.objectId,
    sid: u.sid,
    displayName: u.displayName,
    isDomainJoined: true,
    friendlyName: u.accountName,
  };
}

export function hostEntityProperties(h: DemoHost): Record<string, unknown> {
  return {
    hostName: h.hostName,
    dnsDomain: h.dnsDomain,
    netBiosName: h.hostName,
    ntDomain: 'CONTOSO',
    osFamily: h.osFamily,
    osVersion: h.osVersion,
    isDomainJoined: true,
    additionalData: { MdatpDeviceId: h.deviceId, FQDN: `${h.hostName.toLowerCase()}.${h.dnsDomain}` },
  };
}
