import type { Entity, Incident, QueryResult } from '../../src/domain/types';
import { makeIncident } from '../support/fakeGateway';

export function incident(overrides: Partial<Incident> = {}): Incident {
  return makeIncident(7, {
    name: 'inc-1',
    title: 'Suspicious sign-ins followed by mailbox rule',
    severity: 'High',
    createdTimeUtc: '2024-05-02T10:00:00Z',
    lastModifiedTimeUtc: '2024-05-02T12:00:00Z',
    firstActivityTimeUtc: '2024-05-01T08:00:00Z',
    lastActivityTimeUtc: '2024-05-02T09:30:00Z',
    alertsCount: 1,
    ...overrides,
  });
}

export function entity(kind: string, properties: Record<string, unknown>, friendlyName = kind): Entity {
  return { id: `${kind}-${friendlyName}`, kind, friendlyName, properties };
}

/** One entity of every kind the templates understand. */
export const ALL_KINDS: Entity[] = [
  entity('Account', {
    accountName: 'alice',
    upnSuffix: 'contoso.com',
    aadUserId: '11111111-2222-3333-4444-555555555555',
  }),
  entity('Host', { hostName: 'web01', dnsDomain: 'contoso.local' }),
  entity('Ip', { address: '203.0.113.7' }),
  entity('Url', { url: 'https://evil.example/login?x=1' }),
  entity('FileHash', { algorithm: 'SHA256', hashValue: 'a'.repeat(64) }),
  entity('File', { fileName: 'invoice.exe', directory: 'C:\\Users\\alice\\Downloads' }),
  entity('Mailbox', { mailboxPrimaryAddress: 'alice@contoso.com' }),
  entity('MailMessage', {
    sender: 'billing@evil.example',
    recipient: 'bob@contoso.com',
    urls: ['https://evil.example/a'],
  }),
];

/** What `<Table> | getschema` answers for these columns. */
export function getschemaResult(columns: [string, string][]): QueryResult {
  return {
    status: 'Success',
    tables: [
      {
        name: 'PrimaryResult',
        columns: [
          { name: 'ColumnName', type: 'string' },
          { name: 'ColumnOrdinal', type: 'int' },
          { name: 'DataType', type: 'string' },
          { name: 'ColumnType', type: 'string' },
        ],
        rows: columns.map(([name, type], i) => [name, i, 'System.Object', type]),
      },
    ],
  };
}
