import { analyst } from '../directory';
import type { IncidentInput } from '../storeTypes';
import { USERS, accountEntityProperties } from './identities';
import { ATTACKER_IPS, ipEntityProperties } from './networkAddresses';
import { MINING, ROLE } from './scenarioTimes';
import type { Timeline } from './timeline';

export const MINING_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
export const MINING_VMS = ['gpu-train-01', 'gpu-train-02', 'gpu-train-03'];
export const ROGUE_APP = { appId: '6a1e3f8b-2c4d-4e5f-9a7b-8c9d0e1f2a3b', name: 'ci-deploy-automation' };

export function incident07RoleAssignment(t: Timeline): IncidentInput {
  const at = t.ago(ROLE.hoursAgo);
  return {
    title: 'Privilege escalation: Global Administrator assigned outside PIM by diego.siciliani',
    description:
      'diego.siciliani@contoso.com added the account helpdesk.temp07@contoso.com to the Global Administrator role directly (not through Privileged Identity Management), and the same session granted Owner on the Contoso-Production subscription. The sign-in for this session came from an unfamiliar IP in Singapore.',
    severity: 'High',
    status: 'Active',
    owner: { objectId: analyst('Marcus Chen').objectId },
    createdTimeUtc: t.plus(at, 8),
    lastModifiedTimeUtc: t.plus(at, 40),
    firstActivityTimeUtc: at,
    lastActivityTimeUtc: t.plus(at, 4),
    relatedAnalyticRuleIds: ['1a2b3c4d-0007-4e5f-8a9b-ab12cd34ef07'],
    entities: [
      { key: 'diego', kind: 'Account', properties: accountEntityProperties(USERS.diego) },
      {
        key: 'temp',
        kind: 'Account',
        properties: {
          accountName: 'helpdesk.temp07',
          upnSuffix: 'contoso.com',
          aadUserId: '0e2f4a6b-8c0d-4e2f-9a4b-6c8d0e2f4a99',
          aadTenantId: '72f988bf-0000-4000-8000-c0e705000001',
          displayName: 'Helpdesk Temp 07',
        },
      },
      { key: 'ip', kind: 'Ip', properties: ipEntityProperties(ATTACKER_IPS.miningSp) },
      {
        key: 'sub',
        kind: 'AzureResource',
        properties: {
          resourceId: `/subscriptions/${MINING_SUBSCRIPTION}`,
          subscriptionId: MINING_SUBSCRIPTION,
        },
      },
    ],
    alerts: [
      {
        displayName: 'User assigned to a privileged role outside PIM',
        description:
          'A user was added to the Global Administrator role by direct assignment rather than an eligible PIM activation. Direct privileged assignments bypass approval and time limits.',
        severity: 'High',
        productName: 'Azure Sentinel',
        tactics: ['PrivilegeEscalation', 'Persistence'],
        techniques: ['T1098.003'],
        startTimeUtc: at,
        entityKeys: ['diego', 'temp', 'ip'],
      },
      {
        displayName: 'Owner role granted on subscription by unusual caller',
        description:
          'Microsoft.Authorization/roleAssignments/write granted Owner at subscription scope; the caller has not performed role assignments in the past 90 days.',
        severity: 'Medium',
        productName: 'Azure Sentinel',
        tactics: ['PrivilegeEscalation'],
        techniques: ['T1098'],
        startTimeUtc: t.plus(at, 4),
        entityKeys: ['diego', 'temp', 'sub'],
      },
    ],
  };
}

export function incident08CryptoMining(t: Timeline): IncidentInput {
  const at = t.ago(MINING.hoursAgo);
  const vmId = (vm: string): string =>
    `/subscriptions/${MINING_SUBSCRIPTION}/resourceGroups/rg-ml-training/providers/Microsoft.Compute/virtualMachines/${vm}`;
  return {
    title: 'Crypto-mining VMs created in Azure subscription Contoso-Production',
    description: `The service principal ${ROGUE_APP.name} created three Standard_NC24ads_A100_v4 GPU virtual machines in Brazil South, a region the subscription has never used. One hour later the VMs showed process and network behaviour of the XMRig Monero miner connecting to pool.supportxmr.com:443.`,
    severity: 'High',
    status: 'New',
    createdTimeUtc: t.plus(at, 70),
    firstActivityTimeUtc: at,
    lastActivityTimeUtc: t.plus(at, 65),
    relatedAnalyticRuleIds: ['1a2b3c4d-0008-4e5f-8a9b-ab12cd34ef08'],
    entities: [
      {
        key: 'sp',
        kind: 'Account',
        properties: {
          accountName: ROGUE_APP.name,
          aadUserId: ROGUE_APP.appId,
          displayName: ROGUE_APP.name,
          additionalData: { AccountType: 'ServicePrincipal' },
        },
      },
      ...MINING_VMS.map((vm) => ({
        key: vm,
        kind: 'AzureResource',
        properties: { resourceId: vmId(vm), subscriptionId: MINING_SUBSCRIPTION },
      })),
      { key: 'ip', kind: 'Ip', properties: ipEntityProperties(ATTACKER_IPS.miningSp) },
      {
        key: 'miner',
        kind: 'Process',
        properties: {
          commandLine:
            './xmrig -o pool.supportxmr.com:443 -u 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A -k --tls --cpu-max-threads-hint 95',
          processId: '2231',
          creationTimeUtc: t.plus(at, 62),
        },
      },
      {
        key: 'vmhost',
        kind: 'Host',
        properties: {
          hostName: 'gpu-train-01',
          osFamily: 'Linux',
          osVersion: 'Ubuntu 22.04',
          azureID: vmId('gpu-train-01'),
        },
      },
    ],
    alerts: [
      {
        displayName: 'Suspicious creation of compute resources detected',
        description: `Microsoft Defender for Resource Manager identified a suspicious creation of compute resources: ${ROGUE_APP.name} created 3 GPU VMs in a new region. This can indicate cryptocurrency mining using compromised credentials.`,
        severity: 'High',
        productName: 'Microsoft Defender for Cloud',
        tactics: ['Impact'],
        techniques: ['T1496'],
        startTimeUtc: at,
        endTimeUtc: t.plus(at, 3),
        entityKeys: ['sp', 'ip', ...MINING_VMS],
      },
      {
        displayName: 'Digital currency mining related behavior detected',
        description:
          'Analysis of host data on gpu-train-01 detected the execution of a process or command normally associated with digital currency mining.',
        severity: 'High',
        productName: 'Microsoft Defender for Cloud',
        tactics: ['Impact'],
        techniques: ['T1496'],
        startTimeUtc: t.plus(at, 62),
        compromisedEntity: 'gpu-train-01',
        remediationSteps: [
          'Delete the VMs and the public IPs created by the service principal.',
          'Rotate the service principal credentials and review its role assignments.',
        ],
        entityKeys: ['vmhost', 'miner', 'gpu-train-01'],
      },
    ],
  };
}
