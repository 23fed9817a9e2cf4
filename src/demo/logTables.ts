import { isColumnType, type ColumnType } from '../domain/types';
import { schemaAsReturned } from '../kql/standardColumns';
import schemas from './tableSchemas.json';

/** One Log Analytics table as the demo holds it: rows are arrays in column order. */
export interface LogTable {
  columns: { name: string; type: ColumnType }[];
  rows: unknown[][];
}
export type LogTables = Record<string, LogTable>;

/** A row given by column name; columns left out are null, as in a real workspace. */
export type LogRecord = Record<string, unknown>;

/**
 * `Usage` is in every Log Analytics workspace but not in the Sentinel table reference we copied; its
 * columns are those of the official query example (contracts/loganalytics-v1), so that example runs.
 */
const USAGE_COLUMNS: { name: string; type: ColumnType }[] = [
  { name: 'TenantId', type: 'string' },
  { name: 'Computer', type: 'string' },
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'SourceSystem', type: 'string' },
  { name: 'StartTime', type: 'datetime' },
  { name: 'EndTime', type: 'datetime' },
  { name: 'ResourceUri', type: 'string' },
  { name: 'LinkedResourceUri', type: 'string' },
  { name: 'DataType', type: 'string' },
  { name: 'Solution', type: 'string' },
  { name: 'BatchesWithinSla', type: 'long' },
  { name: 'BatchesOutsideSla', type: 'long' },
  { name: 'BatchesCapped', type: 'long' },
  { name: 'TotalBatches', type: 'long' },
  { name: 'AvgLatencyInSeconds', type: 'real' },
  { name: 'Quantity', type: 'real' },
  { name: 'QuantityUnit', type: 'string' },
  { name: 'IsBillable', type: 'bool' },
  { name: 'MeterId', type: 'string' },
  { name: 'LinkedMeterId', type: 'string' },
  { name: 'Type', type: 'string' },
];

/**
 * Empty tables for the 20 published Sentinel tables plus Usage, every column of each, including the
 * standard columns a real workspace adds (src/kql/standardColumns.ts).
 */
export function createLogTables(): LogTables {
  const tables: LogTables = {};
  for (const [name, columns] of Object.entries(schemaAsReturned(schemas))) {
    tables[name] = {
      columns: columns.map((c) => {
        if (!isColumnType(c.type))
          throw new Error(`tableSchemas.json: ${name}.${c.name} has unknown type ${c.type}`);
        return { name: c.name, type: c.type };
      }),
      rows: [],
    };
  }
  tables.Usage = { columns: USAGE_COLUMNS.map((c) => ({ ...c })), rows: [] };
  return tables;
}

/**
 * Appends a row given by column name. An unknown table or column throws: seed data naming a column the
 * real table does not have would teach the KQL generator (and the analyst) something false.
 */
export function appendLogRow(
  tables: LogTables,
  tableName: string,
  record: LogRecord,
  tenantId: string,
): void {
  const table = tables[tableName];
  if (table === undefined) throw new Error(`Unknown log table ${tableName}`);
  const index = new Map(table.columns.map((c, i) => [c.name, i]));
  const row: unknown[] = table.columns.map(() => null);
  const withSystem: LogRecord = { Type: tableName, TenantId: tenantId, ...record };
  // Defender tables in Sentinel carry Advanced Hunting's Timestamp alongside TimeGenerated.
  if (index.has('Timestamp') && withSystem.Timestamp === undefined)
    withSystem.Timestamp = record.TimeGenerated;
  for (const [column, value] of Object.entries(withSystem)) {
    const i = index.get(column);
    if (i === undefined) {
      // TenantId is missing from some published tables (SigninLogs, SecurityAlert, ...); skip it there.
      if (column === 'TenantId' && record.TenantId === undefined) continue;
      throw new Error(`Log table ${tableName} has no column ${column}`);
    }
    row[i] = value === undefined ? null : value;
  }
  table.rows.push(row);
}
