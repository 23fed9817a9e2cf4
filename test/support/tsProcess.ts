import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * A TypeScript file run in a child process (node + tsx), talking to the test through JSON lines on
 * stdout. stderr is collected and shown only when the child fails, so green runs stay quiet.
 */
export interface TsProcess {
  child: ChildProcess;
  /** Resolves with the first JSON line (past or future) that `match` accepts. */
  waitForMessage<T>(match: (message: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<T>;
  /** SIGKILL: no shutdown hooks run (a crash, as far as anyone else can tell). */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** What the child wrote to stderr so far. */
  readonly stderr: string;
}

export function spawnTsProcess(script: string, env: Record<string, string>): TsProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-20_000);
  });
  const messages: Record<string, unknown>[] = [];
  const listeners = new Set<() => void>();
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    try {
      const parsed: unknown = JSON.parse(line);
      if (parsed !== null && typeof parsed === 'object') messages.push(parsed as Record<string, unknown>);
    } catch {
      return; // not a message (a stray log line)
    }
    for (const l of listeners) l();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;

  return {
    child,
    get stderr() {
      return stderr;
    },
    waitForMessage<T>(match: (m: Record<string, unknown>) => boolean, timeoutMs = 30_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = (): void => {
          const found = messages.find(match);
          if (found !== undefined) {
            done();
            resolve(found as T);
          } else if (!alive()) {
            done();
            reject(new Error(`child ${script} exited (${child.exitCode ?? child.signalCode}):\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`child ${script}: no matching message in ${timeoutMs} ms:\n${stderr}`));
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', check);
        };
        listeners.add(check);
        child.on('exit', check);
        check();
      });
    },
    async kill() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 5_000) {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
