/**
 * Entry of the validation worker thread (see validator.ts): checks one query per message and answers
 * with plain data. Tables the main thread marks as bundled are swapped back for the bundled lists, so
 * the fallback's leniency (schemaLeniency.ts) applies exactly as it would in-process.
 */
import { parentPort } from 'node:worker_threads';
import { checkQuery } from './analysis';
import { announceReady } from './boundedWorker';
import { applyRowCap } from './rowCap';
import { BUNDLED_SCHEMA, type WorkspaceSchema } from './schema';

export interface ValidationRequest {
  query: string;
  schema: WorkspaceSchema;
  /** Tables whose columns are the bundled fallback (identity does not survive the thread boundary). */
  bundledTables: string[];
  rowCap?: number;
}

parentPort?.on('message', (message: { id: number; request: ValidationRequest }) => {
  const { query, schema, bundledTables, rowCap } = message.request;
  let response: unknown;
  try {
    const restored: WorkspaceSchema = { ...schema };
    for (const table of bundledTables) {
      const bundled = BUNDLED_SCHEMA[table];
      if (bundled) restored[table] = bundled;
    }
    const result = checkQuery(query, restored);
    response =
      result.valid && rowCap !== undefined ? { ...result, cappedQuery: applyRowCap(query, rowCap) } : result;
  } catch (error) {
    response = { failed: 'crash', message: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage({ id: message.id, response });
});

announceReady(() => checkQuery('SigninLogs | take 1', BUNDLED_SCHEMA));
