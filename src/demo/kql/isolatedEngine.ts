/**
 * The demo engine as the demo workspace's HTTP route uses it: on a worker thread with a heap limit,
 * cut at the query's deadline by terminating the thread. A query that would exhaust memory or run
 * forever (a 3-way self-join of SigninLogs) ends in a Log Analytics-style error and the process, and
 * its event loop, carry on. Inside the worker the engine also keeps its own budget (budget.ts).
 */
import v8 from 'node:v8';
import { BoundedWorker, isWorkerFailure, workerEntry, type WorkerFailure } from '../../kql/boundedWorker';
import type { LogTables } from '../logTables';
import type { EngineResult, ExecuteOptions } from './engine';
import type { EngineRequest } from './engineWorker';

export interface IsolationLimits {
  /** Heap of the engine's worker thread, in MB. */
  maxHeapMb: number;
}

export const DEFAULT_ISOLATION: IsolationLimits = { maxHeapMb: 768 };

type EngineAnswer = EngineResult | { needTables: true };

/** A version for a tables object: its identity (per process) and its row counts. */
const tableIds = new WeakMap<LogTables, number>();
let nextTableId = 1;
function versionOf(tables: LogTables): string {
  let id = tableIds.get(tables);
  if (id === undefined) {
    id = nextTableId++;
    tableIds.set(tables, id);
  }
  const counts = Object.entries(tables).map(([name, t]) => `${name}:${t.rows.length}`);
  return `${id}|${counts.join(',')}`;
}

function limitError(failure: WorkerFailure, timeoutMs: number): EngineResult {
  const what =
    failure.failed === 'timeout'
      ? `it ran past the server timeout of ${Math.round(timeoutMs / 1000)} s and was cancelled`
      : failure.failed === 'memory'
        ? `it needed more than the ${failure.heapMb} MB of memory a query may use`
        : `the query process failed (${failure.message})`;
  return {
    ok: false,
    code: 'BadArgumentError',
    innerCode: 'LimitsExceeded',
    message: `Query execution has exceeded the allowed limits: ${what}. Narrow the time range, filter earlier or summarize.`,
  };
}

export class IsolatedEngine {
  private readonly worker: BoundedWorker<EngineRequest, EngineAnswer>;

  constructor(limits: IsolationLimits = DEFAULT_ISOLATION) {
    this.worker = new BoundedWorker(workerEntry(__filename, 'engineWorker'), {
      maxHeapMb: limits.maxHeapMb,
      timeoutMs: 30_000,
    });
  }

  /** Runs the query with `options.timeoutMs` as its hard deadline (the engine's own checks use it too). */
  /** The tables as serialized bytes in shared memory, made once per version of the data. */
  private snapshot: { version: string; bytes: SharedArrayBuffer } | undefined;

  private tablesFor(tables: LogTables, version: string): SharedArrayBuffer {
    if (this.snapshot?.version !== version) {
      // Serialized once per change of the data: a restarted worker then gets the bytes without the
      // main thread cloning every row again.
      const serialized = v8.serialize(tables);
      const bytes = new SharedArrayBuffer(serialized.length);
      new Uint8Array(bytes).set(serialized);
      this.snapshot = { version, bytes };
    }
    return this.snapshot.bytes;
  }

  async execute(
    query: string,
    tables: LogTables,
    options: ExecuteOptions & { timeoutMs: number },
  ): Promise<EngineResult> {
    const { now, ...rest } = options;
    // The engine's own deadline comes a little earlier, so the usual answer is its clean error.
    const engineOptions = { ...rest, timeoutMs: Math.floor(options.timeoutMs * 0.9) };
    const request: EngineRequest = {
      query,
      now: now.toISOString(),
      options: engineOptions,
      tablesVersion: versionOf(tables),
    };
    // The deadline covers a first answer of needTables and the resend: one budget for the query.
    const startedAt = Date.now();
    let answer = await this.worker.run(request, options.timeoutMs);
    if (!isWorkerFailure(answer) && 'needTables' in answer) {
      const left = Math.max(1, options.timeoutMs - (Date.now() - startedAt));
      answer = await this.worker.run(
        { ...request, tables: this.tablesFor(tables, request.tablesVersion) },
        left,
      );
    }
    if (isWorkerFailure(answer)) return limitError(answer, options.timeoutMs);
    if ('needTables' in answer)
      return limitError({ failed: 'crash', message: 'tables were not received' }, 0);
    return answer;
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}
