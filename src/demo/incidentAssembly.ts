import { findActorByObjectId } from './directory';
import type { IncidentInput, StoredAlert, StoredEntity, StoredOwner } from './storeTypes';

const PROVIDER_ALERT_NAMES: Record<string, string> = {
  'Microsoft Entra ID Protection': 'IPC',
  'Microsoft Defender for Endpoint': 'MDATP',
  'Microsoft Defender for Office 365': 'OATP',
  'Microsoft Defender for Cloud': 'Azure Security Center',
  'Microsoft Defender for Cloud Apps': 'MCAS',
  'Azure Sentinel': 'ASI Scheduled Alerts',
};

/** Sentinel resolves an owner given only by objectId from Entra ID; the demo uses its directory. */
export function resolveOwner(
  owner: (Omit<StoredOwner, 'ownerType'> & { ownerType?: StoredOwner['ownerType'] }) | null | undefined,
): StoredOwner {
  if (owner === null || owner === undefined || owner.objectId === undefined) {
    return { ...(owner ?? {}), ownerType: 'Unknown' };
  }
  const known = findActorByObjectId(owner.objectId);
  return {
    objectId: owner.objectId,
    email: owner.email ?? known?.email,
    assignedTo: owner.assignedTo ?? known?.name,
    userPrincipalName: owner.userPrincipalName ?? known?.userPrincipalName,
    ownerType: owner.ownerType ?? 'User',
  };
}

/** Names the input's entities and alerts, resolving each alert's entity keys to entity names. */
export function assembleAlertsAndEntities(
  input: IncidentInput,
  newId: () => string,
): { alerts: StoredAlert[]; entities: StoredEntity[] } {
  const keyToName = new Map((input.entities ?? []).map((e) => [e.key, e.name ?? newId()]));
  const entities = (input.entities ?? []).map((e) => ({
    name: keyToName.get(e.key) ?? newId(),
    kind: e.kind,
    properties: { friendlyName: defaultFriendlyName(e.kind, e.properties), ...e.properties },
  }));
  const alerts: StoredAlert[] = (input.alerts ?? []).map((a) => ({
    name: a.name ?? newId(),
    displayName: a.displayName,
    description: a.description,
    severity: a.severity,
    status: a.status ?? (input.status === 'Closed' ? 'Resolved' : 'New'),
    productName: a.productName,
    productComponentName: a.productComponentName,
    providerName: a.providerName ?? PROVIDER_ALERT_NAMES[a.productName] ?? a.productName,
    alertType: a.alertType ?? a.displayName.replace(/[^A-Za-z0-9]+/g, ''),
    providerAlertId: a.providerAlertId ?? newId(),
    confidenceLevel: a.confidenceLevel ?? 'Unknown',
    tactics: a.tactics ?? [],
    techniques: a.techniques ?? [],
    startTimeUtc: a.startTimeUtc,
    endTimeUtc: a.endTimeUtc ?? a.startTimeUtc,
    timeGenerated: a.timeGenerated ?? a.endTimeUtc ?? a.startTimeUtc,
    remediationSteps: a.remediationSteps ?? [],
    compromisedEntity: a.compromisedEntity,
    alertLink: a.alertLink,
    entityNames: a.entityKeys.map((key) => {
      const entityName = keyToName.get(key);
      if (entityName === undefined)
        throw new Error(`Alert "${a.displayName}" names unknown entity key ${key}`);
      return entityName;
    }),
  }));
  return { alerts, entities };
}

/** What Sentinel shows as an entity's name when the provider gave none. */
function defaultFriendlyName(kind: string, p: Record<string, unknown>): string {
  const pickString = (...keys: string[]): string | undefined => {
    for (const k of keys) {
      const v = p[k];
      if (typeof v === 'string' && v.length > 0) return v;
    }
    return undefined;
  };
  const byKind: Record<string, string | undefined> = {
    Account: pickString('accountName', 'displayName'),
    Host: pickString('hostName', 'netBiosName'),
    Ip: pickString('address'),
    Url: pickString('url'),
    FileHash: pickString('hashValue'),
    File: pickString('fileName'),
    Mailbox: pickString('mailboxPrimaryAddress'),
    MailMessage: pickString('subject', 'internetMessageId'),
    CloudApplication: pickString('appName'),
    Process: pickString('commandLine'),
    AzureResource: pickString('resourceId'),
    DnsResolution: pickString('domainName'),
  };
  return byKind[kind] ?? pickString('displayName', 'name') ?? kind;
}
