import { ALL_USERS, TENANT_ID, USERS, type DemoUser } from './identities';
import { ATTACKER_IPS } from './networkAddresses';
import { SHAREPOINT_SITE } from './incidents05to06';
import { FORWARD_TO } from './incidents09to12';
import type { RowContext } from './rowWriter';
import { INBOX_RULE, INSIDER, PHISH, SPRAY } from './scenarioTimes';

function office(
  ctx: RowContext,
  time: string,
  user: DemoUser,
  ip: string,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  return {
    TimeGenerated: time,
    Start_Time: time,
    UserId: user.upn,
    UserKey: user.objectId,
    UserType: 'Regular',
    ClientIP: ip,
    OrganizationId: TENANT_ID,
    OfficeTenantId: TENANT_ID,
    OfficeId: ctx.prng.guid(),
    ResultStatus: 'Succeeded',
    SourceSystem: 'OfficeActivityManager',
    TenantId: TENANT_ID,
    ...fields,
  };
}

const DOC_STEMS = [
  'Customer_List',
  'Pricing_Model',
  'Pipeline_Forecast',
  'Key_Accounts',
  'Discount_Approvals',
  'Renewals',
  'Territory_Plan',
  'Contract_Terms',
];

export function seedOfficeRows(ctx: RowContext): void {
  const { t, prng, append } = ctx;
  // Incident 5: 64 downloads from the SalesPipeline site in 36 minutes.
  const first = t.ago(INSIDER.firstDownloadHoursAgo);
  for (let i = 0; i < 64; i += 1) {
    const fileName = `${prng.pick(DOC_STEMS)}_${2021 + (i % 4)}_${String(i + 1).padStart(2, '0')}.xlsx`;
    append(
      'OfficeActivity',
      office(ctx, t.plus(first, (36 * i) / 64), USERS.alex, USERS.alex.homeIp, {
        RecordType: 'SharePointFileOperation',
        Operation: i % 8 === 7 ? 'FileSyncDownloadedFull' : 'FileDownloaded',
        OfficeWorkload: 'SharePoint',
        Site_Url: `${SHAREPOINT_SITE}/`,
        SourceRelativeUrl: 'Shared Documents/Accounts',
        SourceFileName: fileName,
        SourceFileExtension: 'xlsx',
        OfficeObjectId: `${SHAREPOINT_SITE}/Shared Documents/Accounts/${fileName}`,
        UserAgent: 'Microsoft SkyDriveSync 24.201.1006.0005 ship; Windows NT 10.0 (19045)',
        EventSource: 'SharePoint',
        ItemType: 'File',
      }),
    );
  }
  // Incident 9: the forwarding rule, and the attacker reading mail first.
  const ruleAt = t.ago(INBOX_RULE.hoursAgo);
  const lagos = ATTACKER_IPS.inboxRule.address;
  append(
    'OfficeActivity',
    office(ctx, t.plus(ruleAt, -5), USERS.lynne, `${lagos}:51123`, {
      RecordType: 'ExchangeItemAggregated',
      Operation: 'MailItemsAccessed',
      OfficeWorkload: 'Exchange',
      MailboxOwnerUPN: USERS.lynne.upn,
      ClientInfoString: 'Client=OWA;Action=ViaProxy',
      Logon_Type: '0',
    }),
  );
  append(
    'OfficeActivity',
    office(ctx, ruleAt, USERS.lynne, `${lagos}:51140`, {
      RecordType: 'ExchangeAdmin',
      Operation: 'New-InboxRule',
      OfficeWorkload: 'Exchange',
      OfficeObjectId: `${USERS.lynne.displayName}\\..`,
      Parameters: JSON.stringify([
        { Name: 'Name', Value: '..' },
        { Name: 'SubjectOrBodyContainsWords', Value: 'invoice;payment;wire' },
        { Name: 'ForwardTo', Value: FORWARD_TO },
        { Name: 'MarkAsRead', Value: 'True' },
        { Name: 'StopProcessingRules', Value: 'True' },
      ]),
      ClientInfoString: 'Client=OWA;Action=ViaProxy',
      ExternalAccess: 'false',
      OriginatingServer: 'BN8PR12MB3321 (15.20.8137.019)',
    }),
  );
  // Incident 1: the attacker's IMAP session reading Adele's mailbox.
  append(
    'OfficeActivity',
    office(ctx, t.ago(SPRAY.successHoursAgo, -2), USERS.adele, ATTACKER_IPS.sprayTor.address, {
      RecordType: 'ExchangeItemAggregated',
      Operation: 'MailItemsAccessed',
      OfficeWorkload: 'Exchange',
      MailboxOwnerUPN: USERS.adele.upn,
      ClientInfoString: 'Client=IMAP4',
      Logon_Type: '0',
    }),
  );

  // Background: everyday SharePoint, Exchange and Teams use.
  const ops = [
    ['SharePointFileOperation', 'FileAccessed', 'SharePoint'],
    ['SharePointFileOperation', 'FileModified', 'OneDrive'],
    ['ExchangeItem', 'Send', 'Exchange'],
    ['MicrosoftTeams', 'MessageSent', 'MicrosoftTeams'],
    ['ExchangeItemAggregated', 'MailItemsAccessed', 'Exchange'],
  ] as const;
  for (let i = 0; i < 60; i += 1) {
    const user = prng.pick(ALL_USERS);
    const [recordType, operation, workload] = prng.pick(ops);
    const isFile = recordType === 'SharePointFileOperation';
    append(
      'OfficeActivity',
      office(ctx, t.ago(prng.int(0, 167), prng.int(0, 59)), user, user.homeIp, {
        RecordType: recordType,
        Operation: operation,
        OfficeWorkload: workload,
        ...(isFile
          ? {
              Site_Url: 'https://contoso.sharepoint.com/sites/Intranet/',
              SourceFileName: `Notes-${prng.int(1, 40)}.docx`,
              SourceFileExtension: 'docx',
            }
          : {}),
        ...(workload === 'Exchange'
          ? { MailboxOwnerUPN: user.upn, ClientInfoString: 'Client=Microsoft Outlook' }
          : {}),
      }),
    );
  }
}

export function seedEmailRows(ctx: RowContext): void {
  const { t, prng, append } = ctx;
  const email = (time: string, to: DemoUser, fields: Record<string, unknown>): void =>
    append('EmailEvents', {
      TimeGenerated: time,
      NetworkMessageId: prng.guid(),
      InternetMessageId: `<${prng.hex(16)}@${String(fields.SenderFromDomain ?? 'contoso.com')}>`,
      RecipientEmailAddress: to.upn,
      RecipientObjectId: to.objectId,
      EmailDirection: 'Inbound',
      EmailLanguage: 'en',
      AttachmentCount: 0,
      UrlCount: 1,
      DeliveryAction: 'Delivered',
      DeliveryLocation: 'Inbox/folder',
      LatestDeliveryAction: 'Delivered',
      LatestDeliveryLocation: 'Inbox/folder',
      ReportId: prng.guid(),
      SourceSystem: 'Microsoft Defender for Office 365',
      TenantId: TENANT_ID,
      AuthenticationDetails: JSON.stringify({ SPF: 'pass', DKIM: 'pass', DMARC: 'pass', CompAuth: 'pass' }),
      ...fields,
    });
  // Incident 3: the phishing message to Megan, plus two copies quarantined for colleagues.
  const delivered = t.ago(PHISH.deliveredHoursAgo);
  const phish = {
    SenderFromAddress: 'billing@micros0ft-billing-portal.com',
    SenderMailFromAddress: 'bounce@micros0ft-billing-portal.com',
    SenderFromDomain: 'micros0ft-billing-portal.com',
    SenderMailFromDomain: 'micros0ft-billing-portal.com',
    SenderDisplayName: 'Microsoft 365 Billing',
    SenderIPv4: ATTACKER_IPS.phishSender.address,
    Subject: 'Action required: your Microsoft 365 invoice is overdue',
    ThreatTypes: 'Phish',
    DetectionMethods: JSON.stringify({ Phish: ['URL detonation reputation', 'Impersonation brand'] }),
    AuthenticationDetails: JSON.stringify({ SPF: 'pass', DKIM: 'none', DMARC: 'none', CompAuth: 'fail' }),
    ConfidenceLevel: JSON.stringify({ Phish: 'High' }),
  };
  email(delivered, USERS.megan, {
    ...phish,
    NetworkMessageId: 'f1c2d3e4-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
    InternetMessageId: '<20241104.88213.billing@micros0ft-billing-portal.com>',
    LatestDeliveryAction: 'Moved to quarantine',
    LatestDeliveryLocation: 'Quarantine',
  });
  for (const to of [USERS.joni, USERS.lee]) {
    email(t.plus(delivered, 1), to, {
      ...phish,
      DeliveryAction: 'Blocked',
      DeliveryLocation: 'Quarantine',
      LatestDeliveryAction: 'Blocked',
      LatestDeliveryLocation: 'Quarantine',
    });
  }
  // Background: partners, newsletters and the odd spam.
  const senders = [
    ['orders@fabrikam.com', 'fabrikam.com', 'Fabrikam Orders', 'Order confirmation'],
    ['news@northwindtraders.com', 'northwindtraders.com', 'Northwind News', 'Your weekly industry digest'],
    ['it@contoso.com', 'contoso.com', 'Contoso IT', 'Planned maintenance this weekend'],
    ['promo@cheap-deals-now.biz', 'cheap-deals-now.biz', 'Deals', 'You have won a gift card'],
  ] as const;
  for (let i = 0; i < 40; i += 1) {
    const [from, domain, name, subject] = prng.pick(senders);
    const spam = domain === 'cheap-deals-now.biz';
    email(t.ago(prng.int(0, 167), prng.int(0, 59)), prng.pick(ALL_USERS), {
      SenderFromAddress: from,
      SenderMailFromAddress: from,
      SenderFromDomain: domain,
      SenderMailFromDomain: domain,
      SenderDisplayName: name,
      SenderIPv4: `40.107.${prng.int(1, 250)}.${prng.int(1, 250)}`,
      Subject: subject,
      EmailDirection: domain === 'contoso.com' ? 'Intra-org' : 'Inbound',
      ThreatTypes: spam ? 'Spam' : '',
      DeliveryLocation: spam ? 'Junk folder' : 'Inbox/folder',
      LatestDeliveryLocation: spam ? 'Junk folder' : 'Inbox/folder',
      BulkComplaintLevel: spam ? 7 : 0,
    });
  }
}
