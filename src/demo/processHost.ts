import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { getLogger } from '../logger';

const log = getLogger('demo.host');

/**
 * Runs the demo workspace as its own process (src/demo/workspaceProcess.ts) and supervises it. If it
 * dies (e.g. a query exhausted its memory), the bot keeps running — Sentinel calls fail with "Sentinel
 * is unavailable" meanwhile — and the workspace is started again on the same port, with fresh demo
 * data, waiting longer if it keeps dying; the log says so each time. If it cannot be started again,
 * `onGiveUp` is told why (the entry point then exits with that message).
 */
export interface DemoProcessOptions {
  port: number;
  newIncidentEverySeconds?: number;
  /** A folder of extra scenario packs (DEMO_SCENARIOS). */
  scenariosDir?: string;
  logLevel?: string;
  /** Heap limit of the demo process (MB); a runaway query ends there instead of swapping the machine. */
  maxHeapMb?: number;
  /** Called when the workspace cannot be started again (not when it dies: then it is restarted). */
  onGiveUp?: (reason: string) => void;
  /** Deaths within this window lengthen the wait before the next restart (0.5 s doubling, at most 30 s). */
  restartWindowMs?: number;
  startTimeoutMs?: number;
}

/** What the child is started with (validated config, passed as its one argument). */
export interface DemoProcessSettings {
  port: number;
  newIncidentEverySeconds: number;
  scenariosDir?: string;
  logLevel: string;
}

export interface DemoProcess {
  url: string;
  port: number;
  /** The current child's pid (changes after a restart). */
  pid(): number | undefined;
  close(): Promise<void>;
}

const ENTRY = path.join(__dirname, `workspaceProcess${path.extname(__filename)}`);

function spawnWorkspace(options: DemoProcessOptions, port: number): ChildProcess {
  // Under tsx (npm run dev, tests) the entry is TypeScript; compiled, it is JavaScript.
  const loader =
    ENTRY.endsWith('.ts') && !process.execArgv.join(' ').includes('tsx') ? ['--import', 'tsx'] : [];
  const settings: DemoProcessSettings = {
    port,
    newIncidentEverySeconds: options.newIncidentEverySeconds ?? 0,
    scenariosDir: options.scenariosDir,
    logLevel: options.logLevel ?? 'info',
  };
  return fork(ENTRY, [JSON.stringify(settings)], {
    execArgv: [...process.execArgv, ...loader, `--max-old-space-size=${options.maxHeapMb ?? 1024}`],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function whenReady(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the demo workspace did not start within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.once('message', (message: unknown) => {
      const port = (message as { ready?: unknown } | null)?.ready;
      clearTimeout(timer);
      if (typeof port === 'number') resolve(port);
      else reject(new Error('the demo workspace sent an unexpected start message'));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the demo workspace exited while starting (${signal ?? `code ${code}`})`));
    });
  });
}

export async function startDemoWorkspaceProcess(options: DemoProcessOptions): Promise<DemoProcess> {
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  let child = spawnWorkspace(options, options.port);
  const port = await whenReady(child, startTimeoutMs);
  let closing = false;
  const restarts: number[] = [];

  const supervise = (current: ChildProcess): void => {
    current.once('exit', (code, signal) => {
      if (closing) return;
      const how = signal ?? `code ${code}`;
      // A reader's query can kill the demo workspace again and again (the SDK even retries it): keep
      // restarting, waiting longer each time, rather than let the deaths take the bot down with them.
      const now = Date.now();
      const recent = restarts.filter((t) => now - t < (options.restartWindowMs ?? 5 * 60_000));
      restarts.splice(0, restarts.length, ...recent, now);
      const waitMs = Math.min(30_000, 500 * 2 ** Math.min(recent.length, 6));
      log.error(
        { exit: how, port, restartInMs: waitMs },
        'the demo workspace process died (a query may have exhausted its memory); restarting it with fresh demo data',
      );
      setTimeout(() => {
        if (closing) return;
        child = spawnWorkspace(options, port);
        whenReady(child, startTimeoutMs).then(
          () => {
            log.info({ port, pid: child.pid }, 'demo workspace restarted');
            supervise(child);
          },
          (err: unknown) => {
            // It died on start, not from a query: something is wrong with the install or the port.
            log.fatal({ err }, 'the demo workspace could not be restarted');
            options.onGiveUp?.(`the demo workspace could not be restarted: ${String(err)}`);
          },
        );
      }, waitMs).unref();
    });
  };
  supervise(child);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: () => child.pid,
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
