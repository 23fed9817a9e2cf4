/**
 * Runs CPU-heavy query work (Kusto analysis, the demo engine) on a worker thread, so the bot's event
 * loop keeps answering while it runs, with a heap limit and a deadline: a job past its deadline is
 * ended by terminating the worker, and a job that exhausts the worker's heap kills only the worker.
 * The next job starts a fresh worker. Jobs run one at a time per worker, in order.
 */
import path from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { configureLogging, getLogger } from '../logger';

const log = getLogger('kql.boundedWorker');

export interface BoundedWorkerOptions {
  /** Heap of the worker (old generation), in MB. */
  maxHeapMb: number;
  /** Default deadline of one job, in ms. */
  timeoutMs: number;
}

/** Why a job produced no answer. */
export type WorkerFailure =
  | { failed: 'timeout'; ms: number }
  | { failed: 'memory'; heapMb: number }
  | { failed: 'crash'; message: string };

interface Pending {
  resolve(value: unknown): void;
  timer: NodeJS.Timeout;
  worker: Worker;
}

export interface WorkerEntry {
  /** The file, or a bootstrap script when `eval` is set. */
  script: string;
  eval: boolean;
}

/**
 * The worker entry next to `fromFile`: the built `.js` as is; under tsx and vitest (`.ts` sources) a
 * bootstrap that registers tsx's CommonJS hooks in the worker first, as workers do not inherit them.
 */
const TSX_CJS_HOOKS = 'tsx/cjs/api';

export function workerEntry(fromFile: string, name: string): WorkerEntry {
  const extension = path.extname(fromFile);
  const file = path.join(path.dirname(fromFile), `${name}${extension}`);
  if (extension !== '.ts') return { script: file, eval: false };
  // Only reached when running TypeScript sources (npm run dev, tests), where tsx — a devDependency — is
  // installed; the built bot (dist, .js) never loads it, so it is not a production dependency.
  return {
    script: `require(${JSON.stringify(TSX_CJS_HOOKS)}).register(); require(${JSON.stringify(file)});`,
    eval: true,
  };
}

/** How long a new worker may take to load (the language service takes seconds on a busy machine). */
const STARTUP_TIMEOUT_MS = 120_000;

export class BoundedWorker<Request, Response> {
  private worker: Worker | undefined;
  private ready: Promise<boolean> = Promise.resolve(false);
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly entry: WorkerEntry,
    private readonly options: BoundedWorkerOptions,
  ) {}

  /** The worker's answer to `request`, or why there is none. Never rejects. */
  run(request: Request, timeoutMs = this.options.timeoutMs): Promise<Response | WorkerFailure> {
    const job = this.queue.then(() => this.send(request, timeoutMs));
    this.queue = job.catch(() => undefined);
    return job;
  }

  /** Ends the worker; a later job starts a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    this.fail(worker, { failed: 'crash', message: 'the worker was closed' });
    await worker.terminate();
  }

  private async send(request: Request, timeoutMs: number): Promise<Response | WorkerFailure> {
    const worker = this.ensureWorker();
    // The deadline is the job's own: it starts once the worker has loaded, not while it loads.
    if (!(await this.ready)) return { failed: 'crash', message: 'the worker did not start' };
    return new Promise((resolve) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ failed: 'timeout', ms: timeoutMs });
        // The job cannot be interrupted inside the thread; ending the thread ends it.
        if (this.worker === worker) this.worker = undefined;
        void worker.terminate();
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, timer, worker });
      worker.postMessage({ id, request });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.entry.script, {
      eval: this.entry.eval,
      // Not the parent's flags: tsx's loader flags in a worker deadlock module loading on Node 20.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb },
      // Loggers in the thread start at their default level; they follow ours (see adoptParentLogLevel).
      workerData: { logLevel: log.level },
    });
    worker.unref();
    this.ready = new Promise<boolean>((resolve) => {
      const startup = setTimeout(() => {
        resolve(false);
        void worker.terminate();
      }, STARTUP_TIMEOUT_MS);
      startup.unref();
      const settle = (value: boolean): void => {
        clearTimeout(startup);
        resolve(value);
      };
      worker.once('message', (message: { ready?: boolean }) => settle(message.ready === true));
      worker.once('error', () => settle(false));
      worker.once('exit', () => settle(false));
    });
    worker.on('message', (message: { id: number; response: unknown }) => {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      pending.resolve(message.response);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (this.worker === worker) this.worker = undefined;
      const failure: WorkerFailure =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { failed: 'memory', heapMb: this.options.maxHeapMb }
          : { failed: 'crash', message: error.message };
      log.warn({ err: error.message }, 'query worker failed');
      this.fail(worker, failure);
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.fail(worker, { failed: 'crash', message: 'the worker exited' });
    });
    this.worker = worker;
    return worker;
  }

  /** Answers the jobs sent to `worker` (and only those: a new worker may already have work). */
  private fail(worker: Worker, failure: WorkerFailure): void {
    for (const [id, pending] of this.pending) {
      if (pending.worker !== worker) continue;
      clearTimeout(pending.timer);
      pending.resolve(failure);
      this.pending.delete(id);
    }
  }
}

export function isWorkerFailure(value: unknown): value is WorkerFailure {
  return typeof value === 'object' && value !== null && 'failed' in value;
}

/**
 * Called by a worker entry once its modules are loaded: logs at the parent's level from now on, runs
 * `warmUp` (e.g. the language service's first parse), then tells the parent it is ready for jobs.
 */
export function announceReady(warmUp: () => void): void {
  const level = (workerData as { logLevel?: unknown } | null)?.logLevel;
  if (typeof level === 'string') configureLogging(level);
  warmUp();
  parentPort?.postMessage({ ready: true });
}
