/**
 * The published table reference lists each table's own columns but not always the columns Log
 * Analytics adds to every table, and it gives the Defender tables without the `Timestamp` column that
 * Sentinel's copies of them carry. A query using those names runs in a real workspace, so the bundled
 * schema (and the demo workspace's tables) add them: see SCHEMA-SOURCES.md for the rule.
 */
import type { WorkspaceSchema, SchemaColumn } from './schema';

/**
 * Columns every Log Analytics table has ("Standard columns in Azure Monitor Logs"), plus
 * `SourceSystem`, which every table we bundle has in a real workspace. `_ItemId` and `_TimeReceived`
 * are hidden from `getschema` but can be queried.
 */
export const STANDARD_COLUMNS: readonly SchemaColumn[] = [
  { name: 'TenantId', type: 'string' },
  { name: 'SourceSystem', type: 'string' },
  { name: 'Type', type: 'string' },
  { name: '_ResourceId', type: 'string' },
  { name: '_SubscriptionId', type: 'string' },
  { name: '_ItemId', type: 'string' },
  { name: '_TimeReceived', type: 'datetime' },
  { name: '_BilledSize', type: 'real' },
  { name: '_IsBillable', type: 'string' },
];

/** Microsoft Defender XDR tables streamed into Sentinel keep Advanced Hunting's `Timestamp` column. */
export const DEFENDER_TABLES: ReadonlySet<string> = new Set([
  'DeviceProcessEvents',
  'DeviceNetworkEvents',
  'DeviceLogonEvents',
  'DeviceFileEvents',
  'DeviceEvents',
  'DeviceRegistryEvents',
  'DeviceImageLoadEvents',
  'DeviceInfo',
  'DeviceNetworkInfo',
  'DeviceFileCertificateInfo',
  'EmailEvents',
  'EmailAttachmentInfo',
  'EmailUrlInfo',
  'EmailPostDeliveryEvents',
  'UrlClickEvents',
  'CloudAppEvents',
  'IdentityLogonEvents',
  'IdentityQueryEvents',
  'IdentityDirectoryEvents',
  'AlertInfo',
  'AlertEvidence',
]);

/** One table's columns as a workspace returns them: published columns first, then what was missing. */
export function withStandardColumns(table: string, columns: readonly SchemaColumn[]): SchemaColumn[] {
  const names = new Set(columns.map((c) => c.name));
  const added: SchemaColumn[] = [];
  if (DEFENDER_TABLES.has(table) && !names.has('Timestamp'))
    added.push({ name: 'Timestamp', type: 'datetime' });
  for (const column of STANDARD_COLUMNS) if (!names.has(column.name)) added.push({ ...column });
  return [...columns.map((c) => ({ ...c })), ...added];
}

/** Every table of a published schema with the standard columns added (see withStandardColumns). */
export function schemaAsReturned(schema: Readonly<Record<string, readonly SchemaColumn[]>>): WorkspaceSchema {
  return Object.fromEntries(
    Object.entries(schema).map(([table, columns]) => [table, withStandardColumns(table, columns)]),
  );
}
