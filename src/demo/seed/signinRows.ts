import { ALL_USERS, TENANT_ID, USERS, type DemoUser } from './identities';
import { ATTACKER_IPS, type GeoIp } from './networkAddresses';
import type { RowContext } from './rowWriter';
import { INBOX_RULE, ROLE, SPRAY, VPN_FALSE_POSITIVE } from './scenarioTimes';

const APPS = [
  { name: 'Office 365 Exchange Online', id: '00000002-0000-0ff1-ce00-000000000000' },
  { name: 'Microsoft Teams', id: '1fec8e78-bce4-4aaf-ab1b-5451cc387264' },
  { name: 'Office 365 SharePoint Online', id: '00000003-0000-0ff1-ce00-000000000000' },
  { name: 'Azure Portal', id: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c' },
  { name: 'My Apps', id: '2793995e-0a7d-40d7-bd35-6968ba142197' },
] as const;

const BROWSER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0';

const FAILURES: Record<string, string> = {
  '0': '',
  '50126': 'Error validating credentials due to invalid username or password.',
  '50053':
    'Account is locked because user tried to sign in too many times with an incorrect user ID or password.',
  '50074': 'Strong Authentication is required.',
};

interface SigninSpec {
  time: string;
  user: DemoUser;
  ip: string;
  geo: {
    city: string;
    state?: string;
    countryOrRegion: string;
    latitude: number;
    longitude: number;
    asn?: number;
  };
  resultType: keyof typeof FAILURES;
  app?: (typeof APPS)[number];
  clientAppUsed?: string;
  userAgent?: string;
  mfa?: boolean;
  risk?: { level: 'low' | 'medium' | 'high'; events: string[] };
  managedDevice?: boolean;
}

function geoOf(ip: GeoIp): SigninSpec['geo'] {
  return {
    city: ip.city,
    state: ip.state,
    countryOrRegion: ip.countryCode,
    latitude: ip.latitude,
    longitude: ip.longitude,
    asn: ip.asn,
  };
}

function homeGeo(u: DemoUser): SigninSpec['geo'] {
  return {
    city: u.city,
    state: u.state,
    countryOrRegion: u.countryOrRegion,
    latitude: 47.6,
    longitude: -122.3,
    asn: 7922,
  };
}

function signinRecord(ctx: RowContext, s: SigninSpec): Record<string, unknown> {
  const app = s.app ?? APPS[0];
  const ok = s.resultType === '0';
  const id = ctx.prng.guid();
  const risk = s.risk;
  return {
    TimeGenerated: s.time,
    CreatedDateTime: s.time,
    OperationName: 'Sign-in activity',
    OperationVersion: '1.0',
    Category: 'SignInLogs',
    Level: '4',
    SourceSystem: 'Azure AD',
    Id: id,
    CorrelationId: ctx.prng.guid(),
    OriginalRequestId: id,
    AADTenantId: TENANT_ID,
    HomeTenantId: TENANT_ID,
    ResourceTenantId: TENANT_ID,
    ResourceId: `/tenants/${TENANT_ID}/providers/Microsoft.aadiam`,
    ResourceProvider: 'Microsoft.aadiam',
    ResourceGroup: 'Microsoft.aadiam',
    Identity: s.user.displayName,
    UserDisplayName: s.user.displayName,
    UserPrincipalName: s.user.upn,
    AlternateSignInName: s.user.upn,
    UserId: s.user.objectId,
    UserType: 'Member',
    AppDisplayName: app.name,
    AppId: app.id,
    ResourceDisplayName: app.name,
    ClientAppUsed: s.clientAppUsed ?? 'Browser',
    UserAgent: s.userAgent ?? BROWSER_AGENT,
    IPAddress: s.ip,
    AutonomousSystemNumber: s.geo.asn === undefined ? null : String(s.geo.asn),
    Location: s.geo.countryOrRegion,
    LocationDetails: {
      city: s.geo.city,
      state: s.geo.state ?? '',
      countryOrRegion: s.geo.countryOrRegion,
      geoCoordinates: { latitude: s.geo.latitude, longitude: s.geo.longitude },
    },
    ResultType: s.resultType,
    ResultSignature: ok ? 'SUCCESS' : 'None',
    ResultDescription: FAILURES[s.resultType] ?? '',
    Status: ok
      ? { errorCode: 0 }
      : { errorCode: Number(s.resultType), failureReason: FAILURES[s.resultType] },
    IsInteractive: true,
    IsRisky: risk !== undefined,
    RiskLevelDuringSignIn: risk?.level ?? 'none',
    RiskLevelAggregated: risk?.level ?? 'none',
    RiskState: risk ? 'atRisk' : 'none',
    RiskDetail: 'none',
    RiskEventTypes: JSON.stringify(risk?.events ?? []),
    RiskEventTypes_V2: JSON.stringify(risk?.events ?? []),
    AuthenticationRequirement: s.mfa ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
    ConditionalAccessStatus: ok ? (s.mfa ? 'success' : 'notApplied') : 'notApplied',
    AuthenticationDetails: JSON.stringify([
      {
        authenticationMethod: 'Password',
        succeeded: ok || s.resultType === '50074',
        authenticationStepResultDetail: ok ? 'Correct password' : FAILURES[s.resultType],
      },
      ...(s.mfa && ok
        ? [
            {
              authenticationMethod: 'Mobile app notification',
              succeeded: true,
              authenticationStepResultDetail: 'MFA successfully completed',
            },
          ]
        : []),
    ]),
    MfaDetail: s.mfa && ok ? { authMethod: 'Mobile app notification' } : {},
    DeviceDetail: s.managedDevice
      ? {
          deviceId: ctx.prng.guid(),
          displayName: `LT-${s.user.accountName.split('.')[0]?.toUpperCase()}`,
          operatingSystem: 'Windows10',
          browser: 'Edge 130.0.0',
          isCompliant: true,
          isManaged: true,
          trustType: 'Azure AD joined',
        }
      : {
          operatingSystem: s.clientAppUsed === 'IMAP4' ? '' : 'Windows10',
          browser: s.clientAppUsed === 'IMAP4' ? '' : 'Edge 130.0.0',
        },
    TokenIssuerType: 'AzureAD',
    DurationMs: 0,
  };
}

export function seedSigninRows(ctx: RowContext): void {
  const { t, prng } = ctx;
  const write = (s: SigninSpec): void => ctx.append('SigninLogs', signinRecord(ctx, s));
  const tor = ATTACKER_IPS.sprayTor;

  // Incident 1: 28 failures against 8 users from one Tor exit node, then a success for Adele.
  const targets = [
    USERS.adele,
    USERS.patti,
    USERS.joni,
    USERS.megan,
    USERS.alex,
    USERS.lynne,
    USERS.nestor,
    USERS.isaiah,
  ];
  const attempts = [4, 4, 4, 4, 3, 3, 3, 3];
  let minute = 0;
  for (let round = 0; round < 4; round += 1) {
    targets.forEach((user, i) => {
      if (round >= (attempts[i] ?? 0)) return;
      minute += 1.2;
      const locked = round === 3 && user === USERS.joni;
      write({
        time: t.ago(SPRAY.startHoursAgo, -minute),
        user,
        ip: tor.address,
        geo: geoOf(tor),
        resultType: locked ? '50053' : '50126',
        clientAppUsed: 'IMAP4',
        userAgent: 'python-requests/2.31.0',
      });
    });
  }
  write({
    time: t.ago(SPRAY.successHoursAgo),
    user: USERS.adele,
    ip: tor.address,
    geo: geoOf(tor),
    resultType: '0',
    clientAppUsed: 'IMAP4',
    userAgent: 'python-requests/2.31.0',
    risk: { level: 'high', events: ['passwordSpray', 'anonymizedIPAddress'] },
  });
  write({
    time: t.ago(SPRAY.homeSignInHoursAgo),
    user: USERS.adele,
    ip: USERS.adele.homeIp,
    geo: homeGeo(USERS.adele),
    resultType: '0',
    mfa: true,
    managedDevice: true,
    app: APPS[1],
    risk: { level: 'medium', events: ['impossibleTravel'] },
  });

  // Incident 7: Diego's session from Singapore; incident 9: Lynne from Lagos; incident 12: the new VPN egress.
  write({
    time: t.ago(ROLE.hoursAgo, 9),
    user: USERS.diego,
    ip: ATTACKER_IPS.miningSp.address,
    geo: geoOf(ATTACKER_IPS.miningSp),
    resultType: '0',
    mfa: true,
    app: APPS[3],
    risk: { level: 'medium', events: ['unfamiliarFeatures'] },
  });
  write({
    time: t.ago(INBOX_RULE.hoursAgo, 8),
    user: USERS.lynne,
    ip: ATTACKER_IPS.inboxRule.address,
    geo: geoOf(ATTACKER_IPS.inboxRule),
    resultType: '0',
    risk: { level: 'medium', events: ['unfamiliarFeatures'] },
  });
  write({
    time: t.ago(VPN_FALSE_POSITIVE.hoursAgo),
    user: USERS.nestor,
    ip: ATTACKER_IPS.vpnEgress.address,
    geo: geoOf(ATTACKER_IPS.vpnEgress),
    resultType: '0',
    mfa: true,
    managedDevice: true,
    app: APPS[1],
  });

  // Background: every user signs in from home or office a few times a day, with the odd typo.
  for (let day = 6; day >= 0; day -= 1) {
    for (const user of ALL_USERS) {
      if (user === USERS.itAdmin) continue;
      const sessions = prng.int(1, 3);
      for (let s = 0; s < sessions; s += 1) {
        const hoursAgo = day * 24 + prng.int(1, 22) + prng.next();
        const typo = prng.next() < 0.06;
        write({
          time: t.ago(hoursAgo),
          user,
          ip: user.homeIp,
          geo: homeGeo(user),
          resultType: typo ? '50126' : '0',
          mfa: !typo,
          managedDevice: true,
          app: prng.pick(APPS),
        });
      }
    }
  }
}
