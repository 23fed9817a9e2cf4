import fs from 'node:fs';
import path from 'node:path';
import type { LogTables } from '../../src/demo/logTables';
import type { ColumnType } from '../../src/domain/types';
import { BUNDLED_SCHEMA } from '../../src/kql/schema';
import { SHARED_DIR } from '../support/paths';

export interface CorpusQuery {
  source: string;
  name: string;
  tables: string[];
  query: string;
}

/** A query collected for bench/kql.ts, with where it was published. */
export interface PublishedQuery {
  repo: string;
  path: string;
  commit: string;
  name: string;
  query: string;
}

/** bench/kql-corpus/queries.jsonl: published queries collected for the bench (see its README). */
export function loadBenchCorpus(): PublishedQuery[] {
  const file = path.join(__dirname, '..', '..', 'bench', 'kql-corpus', 'queries.jsonl');
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as PublishedQuery);
}

/** The 71 published Sentinel queries in shared/kql-corpus. */
export function loadCorpus(): CorpusQuery[] {
  const text = fs.readFileSync(path.join(SHARED_DIR, 'kql-corpus', 'queries.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusQuery);
}

/**
 * Queries with a genuine fault: this one reads DeviceName, a Defender column, from SecurityEvent. (The
 * Timestamp and AzureDiagnostics queries the published list once made invalid run in real workspaces
 * and are accepted since the bundled schema carries what Log Analytics returns.)
 */
export const KNOWN_INVALID = ['Clearing of forensic evidence from event logs using wevtutil'];

const SAMPLE_CELLS: Record<string, unknown> = {
  string: 'x',
  int: 1,
  long: 1,
  real: 1.5,
  bool: false,
  dynamic: '{}',
  guid: '00000000-0000-0000-0000-000000000000',
};

/**
 * Demo-engine tables for every bundled-schema table, `rows` rows each, so corpus queries have something
 * to run on: datetimes spaced `stepMs` apart going back from `now`, a fixed sample value otherwise.
 */
export function sampleTables(now: Date, rows: number, stepMs: number): LogTables {
  return Object.fromEntries(
    Object.entries(BUNDLED_SCHEMA).map(([name, columns]) => [
      name,
      {
        columns: columns.map((c) => ({ name: c.name, type: c.type as ColumnType })),
        rows: Array.from({ length: rows }, (_, i) =>
          columns.map((c) =>
            c.type === 'datetime'
              ? new Date(now.getTime() - (i + 1) * stepMs).toISOString()
              : (SAMPLE_CELLS[c.type] ?? null),
          ),
        ),
      },
    ]),
  );
}
