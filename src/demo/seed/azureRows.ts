import { ALL_USERS, TENANT_ID, USERS, type DemoUser } from './identities';
import { ATTACKER_IPS } from './networkAddresses';
import { MINING_SUBSCRIPTION, MINING_VMS, ROGUE_APP } from './incidents07to08';
import type { RowContext } from './rowWriter';
import { MINING, ROLE, SPRAY } from './scenarioTimes';

const TEMP_ADMIN = {
  upn: 'helpdesk.temp07@contoso.com',
  id: '0e2f4a6b-8c0d-4e2f-9a4b-6c8d0e2f4a99',
  displayName: 'Helpdesk Temp 07',
};

function audit(
  ctx: RowContext,
  time: string,
  fields: {
    operation: string;
    category: string;
    type: string;
    by: DemoUser;
    byIp: string;
    targets: unknown[];
  },
): Record<string, unknown> {
  return {
    TimeGenerated: time,
    ActivityDateTime: time,
    OperationName: fields.operation,
    ActivityDisplayName: fields.operation,
    Category: fields.category,
    AADOperationType: fields.type,
    Result: 'success',
    ResultDescription: '',
    ResultReason: '',
    LoggedByService:
      fields.category === 'UserManagement' && fields.operation.includes('security info')
        ? 'Authentication Methods'
        : 'Core Directory',
    InitiatedBy: {
      user: {
        id: fields.by.objectId,
        displayName: null,
        userPrincipalName: fields.by.upn,
        ipAddress: fields.byIp,
      },
    },
    TargetResources: fields.targets,
    AdditionalDetails: [{ key: 'User-Agent', value: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' }],
    Id: `Directory_${ctx.prng.hex(5).toUpperCase()}_${ctx.prng.int(10000000, 99999999)}`,
    CorrelationId: ctx.prng.guid(),
    AADTenantId: TENANT_ID,
    Identity: fields.by.upn,
    Level: '4',
    OperationVersion: '1.0',
    Resource: 'Microsoft.aadiam',
    ResourceProvider: 'Microsoft.aadiam',
    ResourceGroup: 'Microsoft.aadiam',
    ResourceId: `/tenants/${TENANT_ID}/providers/Microsoft.aadiam`,
    SourceSystem: 'Azure AD',
    DurationMs: 0,
  };
}

function userTarget(
  u: { upn: string; id: string; displayName: string },
  modified: { displayName: string; oldValue: string; newValue: string }[] = [],
): unknown {
  return {
    id: u.id,
    displayName: u.displayName,
    type: 'User',
    userPrincipalName: u.upn,
    modifiedProperties: modified,
  };
}

function activity(
  ctx: RowContext,
  time: string,
  f: {
    operation: string;
    caller: string;
    callerIp: string;
    resourceGroup: string;
    provider: string;
    resource: string;
    status?: string;
    properties?: Record<string, unknown>;
  },
): Record<string, unknown> {
  const resourceId = `/subscriptions/${MINING_SUBSCRIPTION}/resourceGroups/${f.resourceGroup}/providers/${f.provider}/${f.resource}`;
  return {
    TimeGenerated: time,
    EventSubmissionTimestamp: time,
    OperationNameValue: f.operation.toUpperCase(),
    OperationName: f.operation,
    Category: 'Administrative',
    CategoryValue: 'Administrative',
    Level: 'Informational',
    ActivityStatus: f.status ?? 'Succeeded',
    ActivityStatusValue: f.status ?? 'Success',
    ActivitySubstatus: '',
    ActivitySubstatusValue: f.status === 'Started' ? '' : 'Created',
    Caller: f.caller,
    CallerIpAddress: f.callerIp,
    CorrelationId: ctx.prng.guid(),
    EventDataId: ctx.prng.guid(),
    OperationId: ctx.prng.guid(),
    ResourceGroup: f.resourceGroup.toUpperCase(),
    ResourceProvider: f.provider,
    ResourceProviderValue: f.provider.toUpperCase(),
    Resource: f.resource.split('/').pop() ?? f.resource,
    ResourceId: resourceId,
    _ResourceId: resourceId.toLowerCase(),
    SubscriptionId: MINING_SUBSCRIPTION,
    _SubscriptionId: MINING_SUBSCRIPTION,
    Hierarchy: `${TENANT_ID}/${MINING_SUBSCRIPTION}`,
    Authorization: JSON.stringify({ action: f.operation, scope: resourceId }),
    Authorization_d: { action: f.operation, scope: resourceId },
    Properties: JSON.stringify(f.properties ?? {}),
    Properties_d: f.properties ?? {},
    HTTPRequest: JSON.stringify({ clientIpAddress: f.callerIp, method: 'PUT' }),
    SourceSystem: 'Azure',
    TenantId: TENANT_ID,
  };
}

export function seedAzureRows(ctx: RowContext): void {
  const { t, prng, append } = ctx;
  const sg = ATTACKER_IPS.miningSp.address;
  // Incident 1: the attacker registers an authenticator app on Adele's account.
  append(
    'AuditLogs',
    audit(ctx, t.ago(SPRAY.successHoursAgo, -6), {
      operation: 'User registered security info',
      category: 'UserManagement',
      type: 'Add',
      by: USERS.adele,
      byIp: ATTACKER_IPS.sprayTor.address,
      targets: [
        userTarget({ upn: USERS.adele.upn, id: USERS.adele.objectId, displayName: USERS.adele.displayName }),
      ],
    }),
  );
  // Incident 7: a new account, a direct Global Administrator assignment, then Owner on the subscription.
  const roleAt = t.ago(ROLE.hoursAgo);
  append(
    'AuditLogs',
    audit(ctx, t.plus(roleAt, -3), {
      operation: 'Add user',
      category: 'UserManagement',
      type: 'Add',
      by: USERS.diego,
      byIp: sg,
      targets: [userTarget(TEMP_ADMIN)],
    }),
  );
  append(
    'AuditLogs',
    audit(ctx, roleAt, {
      operation: 'Add member to role',
      category: 'RoleManagement',
      type: 'Assign',
      by: USERS.diego,
      byIp: sg,
      targets: [
        userTarget(TEMP_ADMIN, [
          { displayName: 'Role.DisplayName', oldValue: '', newValue: '"Global Administrator"' },
          {
            displayName: 'Role.TemplateId',
            oldValue: '',
            newValue: '"62e90394-69f5-4237-9190-012177145e10"',
          },
        ]),
      ],
    }),
  );
  append(
    'AzureActivity',
    activity(ctx, t.plus(roleAt, 4), {
      operation: 'Microsoft.Authorization/roleAssignments/write',
      caller: USERS.diego.upn,
      callerIp: sg,
      resourceGroup: 'rg-ml-training',
      provider: 'Microsoft.Authorization',
      resource: `roleAssignments/${prng.guid()}`,
      properties: {
        requestbody: JSON.stringify({
          Id: prng.guid(),
          Properties: {
            PrincipalId: TEMP_ADMIN.id,
            RoleDefinitionId:
              '/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
            Scope: `/subscriptions/${MINING_SUBSCRIPTION}`,
          },
        }),
      },
    }),
  );
  // Incident 8: GPU VMs in a region the subscription never used.
  const miningAt = t.ago(MINING.hoursAgo);
  MINING_VMS.forEach((vm, i) => {
    for (const [offset, provider, resource] of [
      [0, 'Microsoft.Network', `publicIPAddresses/${vm}-ip`],
      [0.5, 'Microsoft.Network', `networkInterfaces/${vm}-nic`],
      [1, 'Microsoft.Compute', `virtualMachines/${vm}`],
    ] as const) {
      append(
        'AzureActivity',
        activity(ctx, t.plus(miningAt, i + offset), {
          operation: `${provider}/${resource.split('/')[0]}/write`,
          caller: ROGUE_APP.appId,
          callerIp: sg,
          resourceGroup: 'rg-ml-training',
          provider,
          resource,
          properties: {
            location: 'brazilsouth',
            vmSize: provider === 'Microsoft.Compute' ? 'Standard_NC24ads_A100_v4' : undefined,
          },
        }),
      );
    }
  });
  // Background: ordinary directory and Azure administration.
  const admins = [USERS.diego, USERS.itAdmin];
  const directoryOps = [
    ['Update user', 'UserManagement', 'Update'],
    ['Add member to group', 'GroupManagement', 'Assign'],
    ['Reset user password', 'UserManagement', 'Update'],
    ['Consent to application', 'ApplicationManagement', 'Assign'],
  ] as const;
  for (let i = 0; i < 25; i += 1) {
    const [operation, category, type] = prng.pick(directoryOps);
    const target = prng.pick(ALL_USERS);
    append(
      'AuditLogs',
      audit(ctx, t.ago(prng.int(0, 167), prng.int(0, 59)), {
        operation,
        category,
        type,
        by: prng.pick(admins),
        byIp: '10.20.0.15',
        targets: [userTarget({ upn: target.upn, id: target.objectId, displayName: target.displayName })],
      }),
    );
  }
  const azureOps = [
    ['Microsoft.Compute/virtualMachines/start/action', 'Microsoft.Compute', 'virtualMachines/srv-app01'],
    ['Microsoft.Compute/virtualMachines/deallocate/action', 'Microsoft.Compute', 'virtualMachines/srv-app02'],
    [
      'Microsoft.Storage/storageAccounts/listKeys/action',
      'Microsoft.Storage',
      'storageAccounts/contosologs01',
    ],
    ['Microsoft.Network/networkSecurityGroups/write', 'Microsoft.Network', 'networkSecurityGroups/nsg-web'],
  ] as const;
  for (let i = 0; i < 20; i += 1) {
    const [operation, provider, resource] = prng.pick(azureOps);
    append(
      'AzureActivity',
      activity(ctx, t.ago(prng.int(0, 167), prng.int(0, 59)), {
        operation,
        caller: prng.pick(admins).upn,
        callerIp: '10.20.0.15',
        resourceGroup: 'rg-servers',
        provider,
        resource,
      }),
    );
  }
}
