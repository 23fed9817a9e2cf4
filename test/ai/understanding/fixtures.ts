import type { IncidentData } from '../../../src/ai/incidentData';
import { noLogEvidence, type LogEvidence } from '../../../src/ai/understanding';
import type { SigninRow } from '../../../src/ai/understanding/logQueries';
import type { Alert, Entity, Incident, IncidentComment, IncidentTask } from '../../../src/domain/types';
import { makeIncident } from '../../support/fakeGateway';
import { makeAlert } from '../incidentFixtures';

/**
 * Small, readable incidents for the understanding and guard tests: a fictional tenant (fabrikam.test),
 * so nothing here matches the demo's seeded incidents.
 */

export const account = (id: string, name: string, display?: string): Entity => ({
  id,
  kind: 'Account',
  friendlyName: name,
  properties: {
    accountName: name,
    upnSuffix: 'fabrikam.test',
    displayName: display ?? name,
    ntDomain: 'FABRIKAM',
  },
});
export const ip = (
  id: string,
  address: string,
  city = 'Testville',
  organization = 'Example ISP',
): Entity => ({
  id,
  kind: 'Ip',
  friendlyName: address,
  properties: {
    address,
    location: { city, countryName: 'Testland' },
    additionalData: { Organization: organization },
  },
});
export const host = (id: string, name: string): Entity => ({
  id,
  kind: 'Host',
  friendlyName: name,
  properties: { hostName: name, dnsDomain: 'fabrikam.local' },
});
export const file = (id: string, fileName: string, directory?: string): Entity => ({
  id,
  kind: 'File',
  friendlyName: fileName,
  properties: { fileName, ...(directory ? { directory } : {}) },
});
export const hash = (id: string, hashValue: string): Entity => ({
  id,
  kind: 'FileHash',
  friendlyName: `${hashValue.slice(0, 4)}…${hashValue.slice(-4)}(SHA1)`,
  properties: { algorithm: 'SHA1', hashValue },
});
export const url = (id: string, value: string): Entity => ({
  id,
  kind: 'Url',
  friendlyName: value,
  properties: { url: value },
});
export const mailbox = (id: string, address: string): Entity => ({
  id,
  kind: 'Mailbox',
  friendlyName: address,
  properties: { mailboxPrimaryAddress: address, upn: address },
});
export const app = (id: string, appName: string): Entity => ({
  id,
  kind: 'CloudApplication',
  friendlyName: appName,
  properties: { appName },
});
export const resource = (id: string, resourceId: string): Entity => ({
  id,
  kind: 'AzureResource',
  friendlyName: resourceId,
  properties: { resourceId },
});

export function alert(displayName: string, description: string, overrides: Partial<Alert> = {}): Alert {
  return makeAlert(0, { displayName, description, compromisedEntity: undefined, tactics: [], ...overrides });
}

export function comment(message: string, author = 'Kim Analyst', minute = 0): IncidentComment {
  return {
    name: `c-${message.length}-${minute}`,
    message,
    createdTimeUtc: `2026-11-02T12:${String(minute).padStart(2, '0')}:00Z`,
    author: { name: author },
  };
}

export function task(title: string, status: 'New' | 'Completed' = 'New', description?: string): IncidentTask {
  return { name: `t-${title.length}-${status}`, title, status, description };
}

export function incidentData(
  entities: Entity[],
  parts: {
    incident?: Partial<Incident>;
    alerts?: Alert[];
    comments?: IncidentComment[];
    tasks?: IncidentTask[];
  } = {},
): IncidentData {
  return {
    incident: makeIncident(77, {
      title: 'Test incident',
      description: '',
      firstActivityTimeUtc: '2026-11-02T10:00:00Z',
      lastActivityTimeUtc: '2026-11-02T11:00:00Z',
      ...parts.incident,
    }),
    alerts: parts.alerts ?? [],
    entities,
    comments: parts.comments ?? [],
    tasks: parts.tasks ?? [],
    unavailable: [],
    loadedAt: '2026-11-02T13:00:00Z',
  };
}

export function signin(
  ip: string,
  user: string,
  failures: number,
  successes: number,
  days = 1,
  mfaSuccesses = 0,
): SigninRow {
  return { ip, user, failures, successes, mfaSuccesses, days };
}

export function logs(parts: Partial<LogEvidence>): LogEvidence {
  return { ...noLogEvidence(), status: { ran: ['test'], failed: [], skipped: false }, ...parts };
}
