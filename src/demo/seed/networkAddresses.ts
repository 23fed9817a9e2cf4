/** Public addresses in the demo's story: attacker infrastructure and the new VPN egress. */

export interface GeoIp {
  address: string;
  countryCode: string;
  countryName: string;
  city: string;
  state?: string;
  latitude: number;
  longitude: number;
  asn: number;
  organization: string;
}

/** Tor exit nodes and other attacker infrastructure (real exit-node ranges, fictional use). */
export const ATTACKER_IPS = {
  sprayTor: {
    address: '185.220.101.45',
    countryCode: 'DE',
    countryName: 'Germany',
    city: 'Frankfurt am Main',
    latitude: 50.1109,
    longitude: 8.6821,
    asn: 60729,
    organization: 'Stiftung Erneuerbare Freiheit (Tor exit)',
  },
  rdpTor1: {
    address: '185.220.101.182',
    countryCode: 'DE',
    countryName: 'Germany',
    city: 'Frankfurt am Main',
    latitude: 50.1109,
    longitude: 8.6821,
    asn: 60729,
    organization: 'Stiftung Erneuerbare Freiheit (Tor exit)',
  },
  rdpTor2: {
    address: '171.25.193.78',
    countryCode: 'SE',
    countryName: 'Sweden',
    city: 'Stockholm',
    latitude: 59.3293,
    longitude: 18.0686,
    asn: 198093,
    organization: 'Foreningen for digitala fri- och rattigheter (Tor exit)',
  },
  rdpTor3: {
    address: '109.70.100.23',
    countryCode: 'AT',
    countryName: 'Austria',
    city: 'Vienna',
    latitude: 48.2082,
    longitude: 16.3738,
    asn: 208323,
    organization: 'Foundation for Applied Privacy (Tor exit)',
  },
  phishSender: {
    address: '45.153.160.140',
    countryCode: 'NL',
    countryName: 'Netherlands',
    city: 'Amsterdam',
    latitude: 52.3676,
    longitude: 4.9041,
    asn: 209588,
    organization: 'Flyservers S.A.',
  },
  cradleC2: {
    address: '194.26.29.113',
    countryCode: 'RU',
    countryName: 'Russia',
    city: 'Moscow',
    latitude: 55.7558,
    longitude: 37.6173,
    asn: 206728,
    organization: 'Media Land LLC',
  },
  inboxRule: {
    address: '102.89.46.211',
    countryCode: 'NG',
    countryName: 'Nigeria',
    city: 'Lagos',
    latitude: 6.5244,
    longitude: 3.3792,
    asn: 29465,
    organization: 'MTN Nigeria',
  },
  miningSp: {
    address: '103.152.220.44',
    countryCode: 'SG',
    countryName: 'Singapore',
    city: 'Singapore',
    latitude: 1.3521,
    longitude: 103.8198,
    asn: 136557,
    organization: 'Host Universal Pty',
  },
  dnsTunnel: {
    address: '91.215.85.201',
    countryCode: 'UA',
    countryName: 'Ukraine',
    city: 'Kyiv',
    latitude: 50.4501,
    longitude: 30.5234,
    asn: 213010,
    organization: 'GigaHostingServer',
  },
  vpnEgress: {
    address: '20.190.151.70',
    countryCode: 'US',
    countryName: 'United States',
    city: 'Chicago',
    state: 'Illinois',
    latitude: 41.8781,
    longitude: -87.6298,
    asn: 8075,
    organization: 'Microsoft Corporation (Contoso Global VPN)',
  },
} as const satisfies Record<string, GeoIp>;

/** An Ip entity with geolocation, as Sentinel enriches it. */
export function ipEntityProperties(ip: GeoIp): Record<string, unknown> {
  return {
    address: ip.address,
    location: {
      asn: ip.asn,
      city: ip.city,
      countryCode: ip.countryCode,
      countryName: ip.countryName,
      latitude: ip.latitude,
      longitude: ip.longitude,
      ...(ip.state ? { state: ip.state } : {}),
    },
    additionalData: { Organization: ip.organization },
  };
}
