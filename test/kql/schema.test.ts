import { describe, expect, it, vi } from 'vitest';
import type { QueryResult } from '../../src/domain/types';
import { BUNDLED_SCHEMA, SchemaProvider, columnsFromGetschema } from '../../src/kql/schema';
import { getschemaResult } from './fixtures';

describe('SchemaProvider', () => {
  it('reads each table with getschema and caches it for the TTL', async () => {
    let now = 0;
    const runner = vi.fn(async (query: string) => {
      expect(query).toBe('SigninLogs | getschema');
      return getschemaResult([
        ['TimeGenerated', 'datetime'],
        ['Custom', 'string'],
      ]);
    });
    const provider = new SchemaProvider(runner, { ttlMs: 1000, now: () => now });
    const schema = await provider.getSchema(['SigninLogs']);
    expect(schema).toEqual({
      SigninLogs: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'Custom', type: 'string' },
      ],
    });
    await provider.getSchema(['SigninLogs']);
    expect(runner).toHaveBeenCalledTimes(1);
    now = 1001;
    await provider.getSchema(['SigninLogs']);
    expect(runner).toHaveBeenCalledTimes(2);
  });

  it('falls back to the bundled schema per table when the workspace fails or lacks the table', async () => {
    const runner = vi.fn(async (query: string): Promise<QueryResult> => {
      if (query.startsWith('SigninLogs')) throw new Error('workspace unreachable');
      if (query.startsWith('AuditLogs')) return getschemaResult([]);
      return getschemaResult([['TimeGenerated', 'datetime']]);
    });
    const provider = new SchemaProvider(runner);
    const schema = await provider.getSchema(['SigninLogs', 'AuditLogs', 'Custom_CL', 'NotATable']);
    expect(schema.SigninLogs).toEqual(BUNDLED_SCHEMA.SigninLogs);
    expect(schema.AuditLogs).toEqual(BUNDLED_SCHEMA.AuditLogs);
    expect(schema.Custom_CL).toEqual([{ name: 'TimeGenerated', type: 'datetime' }]);
    expect(schema.NotATable).toEqual([{ name: 'TimeGenerated', type: 'datetime' }]);
  });

  it('never puts a non-identifier table name into a query', async () => {
    const runner = vi.fn(async () => getschemaResult([['X', 'string']]));
    const provider = new SchemaProvider(runner);
    const schema = await provider.getSchema(['SigninLogs | .drop table X']);
    expect(runner).not.toHaveBeenCalled();
    expect(schema).toEqual({});
  });

  it('defaults to the bundled tables', async () => {
    const provider = new SchemaProvider(async () => {
      throw new Error('down');
    });
    expect(Object.keys(await provider.getSchema()).sort()).toEqual(Object.keys(BUNDLED_SCHEMA).sort());
  });

  it('maps .NET DataType when ColumnType is absent, in ordinal order', () => {
    const result: QueryResult = {
      status: 'Success',
      tables: [
        {
          name: 'PrimaryResult',
          columns: [
            { name: 'ColumnName', type: 'string' },
            { name: 'ColumnOrdinal', type: 'int' },
            { name: 'DataType', type: 'string' },
          ],
          rows: [
            ['B', 1, 'System.Int64'],
            ['A', 0, 'System.DateTime'],
          ],
        },
      ],
    };
    expect(columnsFromGetschema(result)).toEqual([
      { name: 'A', type: 'datetime' },
      { name: 'B', type: 'long' },
    ]);
  });
});
