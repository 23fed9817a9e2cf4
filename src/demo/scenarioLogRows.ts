import type { ColumnType } from '../domain/types';
import type { LogRecord, LogTables } from './logTables';
import { PACK_LIMITS, PackProblem } from './scenarioPack';
import { isIsoDatetime } from './scenarioTime';

const TIMESPAN = /^-?(\d+\.)?\d{1,2}:\d{2}:\d{2}(\.\d{1,7})?$/;

const FITS: Record<ColumnType, (value: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  guid: (v) => typeof v === 'string',
  int: (v) => Number.isSafeInteger(v),
  long: (v) => Number.isSafeInteger(v),
  real: (v) => typeof v === 'number' && Number.isFinite(v),
  decimal: (v) => typeof v === 'number' && Number.isFinite(v),
  bool: (v) => typeof v === 'boolean',
  datetime: (v) => typeof v === 'string' && isIsoDatetime(v),
  timespan: (v) => typeof v === 'string' && TIMESPAN.test(v),
  dynamic: () => true,
};

const EXPECTED: Record<ColumnType, string> = {
  string: 'a string',
  guid: 'a string',
  int: 'a whole number',
  long: 'a whole number',
  real: 'a number',
  decimal: 'a number',
  bool: 'true or false',
  datetime: 'an ISO-8601 date-time',
  timespan: 'a timespan such as 00:05:00',
  dynamic: 'any JSON value',
};

function isRow(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/**
 * Checks a pack's rows against the tables the demo workspace serves: the table and every column
 * must exist and each value must fit its column's type, or the KQL answers would mislead. Returns
 * the rows, now known to be column records.
 */
export function checkLogRows(
  logs: Record<string, unknown[]>,
  tables: LogTables,
): Record<string, LogRecord[]> {
  let count = 0;
  for (const [tableName, rows] of Object.entries(logs)) {
    const table = Object.prototype.hasOwnProperty.call(tables, tableName) ? tables[tableName] : undefined;
    if (table === undefined)
      throw new PackProblem(
        ['logs', tableName],
        `the demo workspace has no table ${tableName}; it serves ${Object.keys(tables).sort().join(', ')}`,
      );
    const types = new Map(table.columns.map((c) => [c.name, c.type]));
    count += rows.length;
    if (count > PACK_LIMITS.rowsPerPack)
      throw new PackProblem(['logs', tableName], `a pack may hold at most ${PACK_LIMITS.rowsPerPack} rows`);
    rows.forEach((row, r) => {
      if (!isRow(row)) throw new PackProblem(['logs', tableName, r], 'must be an object of column values');
      for (const [column, value] of Object.entries(row)) {
        const at = ['logs', tableName, r, column];
        const type = types.get(column);
        if (type === undefined) throw new PackProblem(at, `table ${tableName} has no column ${column}`);
        if (column === 'Type' && value !== tableName)
          throw new PackProblem(at, `Type is the table's name (${tableName}); leave it out`);
        if (value !== null && !FITS[type](value))
          throw new PackProblem(
            at,
            `${column} is ${type}: expected ${EXPECTED[type]}, got ${describe(value)}`,
          );
      }
    });
  }
  return logs as Record<string, LogRecord[]>;
}
