import type { QueryResult } from '../domain/types';
import { getLogger } from '../logger';
import bundled from './sentinel-tables.json';
import { schemaAsReturned } from './standardColumns';

const log = getLogger('kql.schema');

export interface SchemaColumn {
  name: string;
  type: string;
}

/** Table name → its columns, as the analyzer and the prompt builder need them. */
export type WorkspaceSchema = Record<string, SchemaColumn[]>;

/**
 * Published schema of 20 Sentinel tables with the columns Log Analytics adds to every table (see
 * SCHEMA-SOURCES.md); used when the workspace cannot answer.
 */
export const BUNDLED_SCHEMA: WorkspaceSchema = schemaAsReturned(bundled);

const bundledColumnLists = new WeakSet<SchemaColumn[]>(Object.values(BUNDLED_SCHEMA));

/**
 * Whether a table's columns are the bundled fallback rather than what the workspace said. The
 * fallback cannot know a workspace's resource-specific columns, so the validator is more lenient
 * with it (see validator.ts); a workspace's own `getschema` answer is taken as the truth.
 */
export function isBundledTable(columns: SchemaColumn[] | undefined): boolean {
  return columns !== undefined && bundledColumnLists.has(columns);
}

export type QueryRunner = (query: string) => Promise<QueryResult>;

export interface SchemaProviderOptions {
  /** How long a table's schema read from the workspace stays fresh. Default 1 hour. */
  ttlMs?: number;
  /** Tables to read when getSchema() is called without a list. Default: the bundled tables. */
  defaultTables?: string[];
  now?: () => number;
}

interface CacheEntry {
  columns: SchemaColumn[] | undefined;
  expiresAt: number;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Reads table schemas from the workspace with `<Table> | getschema`, so generated KQL is checked
 * against what the workspace really has (custom columns, tables the bundled list lacks). Any failure
 * falls back to the bundled schema for that table: schema lookup must never break a conversation.
 */
export class SchemaProvider {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly ttlMs: number;
  private readonly defaultTables: string[];
  private readonly now: () => number;

  constructor(
    private readonly runQuery: QueryRunner,
    options: SchemaProviderOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60 * 60 * 1000;
    this.defaultTables = options.defaultTables ?? Object.keys(BUNDLED_SCHEMA);
    this.now = options.now ?? Date.now;
  }

  async getSchema(tables?: string[]): Promise<WorkspaceSchema> {
    const wanted = [...new Set(tables ?? this.defaultTables)];
    const entries = await Promise.all(
      wanted.map(async (table) => [table, await this.tableColumns(table)] as const),
    );
    const schema: WorkspaceSchema = {};
    for (const [table, columns] of entries) {
      if (columns) schema[table] = columns;
    }
    return schema;
  }

  private async tableColumns(table: string): Promise<SchemaColumn[] | undefined> {
    const cached = this.cache.get(table);
    if (cached && cached.expiresAt > this.now()) return cached.columns ?? BUNDLED_SCHEMA[table];
    const columns = await this.readFromWorkspace(table);
    this.cache.set(table, { columns, expiresAt: this.now() + this.ttlMs });
    return columns ?? BUNDLED_SCHEMA[table];
  }

  private async readFromWorkspace(table: string): Promise<SchemaColumn[] | undefined> {
    // Only plain identifiers reach the query text; anything else cannot be a workspace table anyway.
    if (!TABLE_NAME.test(table)) return undefined;
    try {
      const result = await this.runQuery(`${table} | getschema`);
      const columns = columnsFromGetschema(result);
      if (columns.length === 0) return undefined;
      return columns;
    } catch (error) {
      log.warn(
        { table, err: error instanceof Error ? error.message : String(error) },
        'getschema failed; using bundled schema',
      );
      return undefined;
    }
  }
}

/** Reads ColumnName / DataType (or ColumnType) rows of a getschema result, in ColumnOrdinal order. */
export function columnsFromGetschema(result: QueryResult): SchemaColumn[] {
  const table = result.tables[0];
  if (!table) return [];
  const index = (name: string): number => table.columns.findIndex((c) => c.name === name);
  const nameAt = index('ColumnName');
  const ordinalAt = index('ColumnOrdinal');
  const columnTypeAt = index('ColumnType');
  const dataTypeAt = index('DataType');
  if (nameAt < 0 || (columnTypeAt < 0 && dataTypeAt < 0)) return [];
  const rows = [...table.rows].sort((a, b) => Number(a[ordinalAt] ?? 0) - Number(b[ordinalAt] ?? 0));
  const columns: SchemaColumn[] = [];
  for (const row of rows) {
    const name = row[nameAt];
    if (typeof name !== 'string' || name === '') continue;
    const columnType = columnTypeAt >= 0 ? row[columnTypeAt] : undefined;
    const type =
      typeof columnType === 'string' && columnType !== ''
        ? columnType
        : dataTypeToKusto(dataTypeAt >= 0 ? row[dataTypeAt] : undefined);
    columns.push({ name, type });
  }
  return columns;
}

const DOTNET_TYPES: Record<string, string> = {
  'System.String': 'string',
  'System.Int32': 'int',
  'System.Int64': 'long',
  'System.Double': 'real',
  'System.Boolean': 'bool',
  'System.SByte': 'bool',
  'System.DateTime': 'datetime',
  'System.TimeSpan': 'timespan',
  'System.Object': 'dynamic',
  'System.Guid': 'guid',
  'System.Data.SqlTypes.SqlDecimal': 'decimal',
};

function dataTypeToKusto(dataType: unknown): string {
  return typeof dataType === 'string' ? (DOTNET_TYPES[dataType] ?? 'dynamic') : 'dynamic';
}
