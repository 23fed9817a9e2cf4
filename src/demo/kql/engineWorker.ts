/**
 * Entry of the demo engine's worker thread (see isolatedEngine.ts). It keeps the last tables it was
 * sent, keyed by a version the main thread computes, and asks for them again when it has another.
 */
import v8 from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { announceReady } from '../../kql/boundedWorker';
import { parseKql } from '../../kql/languageService';
import type { LogTables } from '../logTables';
import { executeQuery, type ExecuteOptions } from './engine';

export interface EngineRequest {
  query: string;
  /** ISO timestamp of "now" for the query (Dates do not survive messages as such). */
  now: string;
  options: Omit<ExecuteOptions, 'now'>;
  tablesVersion: string;
  /** Sent only when the worker answered `needTables`: the tables, v8-serialized, in shared memory. */
  tables?: SharedArrayBuffer;
}

let cached: { version: string; tables: LogTables } | undefined;

parentPort?.on('message', (message: { id: number; request: EngineRequest }) => {
  const { request } = message;
  if (request.tables) {
    const tables = v8.deserialize(Buffer.from(new Uint8Array(request.tables))) as LogTables;
    cached = { version: request.tablesVersion, tables };
  }
  const response =
    cached?.version === request.tablesVersion
      ? executeQuery(request.query, cached.tables, { ...request.options, now: new Date(request.now) })
      : { needTables: true };
  parentPort?.postMessage({ id: message.id, response });
});

announceReady(() => parseKql('print 1'));
