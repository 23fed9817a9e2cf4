import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postActivity, startFakeTeams, type FakeTeams } from './support/teams';

/**
 * Issue #16 item 1: in the default start (demo mode) the demo workspace runs in its own process. The
 * real entry point (src/index.ts) is started as `npm run dev` does; when the demo workspace process
 * dies (as it would from a query that exhausts its memory) the bot keeps serving, says so in its log,
 * and gets a fresh demo workspace; stopping the bot stops the demo workspace too.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface LogLine {
  msg?: string;
  pid?: number;
  logger?: string;
}

describe('the demo workspace in its own process (npm start / npm run dev)', () => {
  let bot: ChildProcess;
  let teams: FakeTeams;
  let botUrl: string;
  const lines: LogLine[] = [];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'demo-process-'));
  let exited: Promise<number | null>;

  const waitForLog = async (match: (l: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = lines.find(match);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no log line matched; got:\n${lines.map((l) => l.msg).join('\n')}`);
  };

  beforeAll(async () => {
    teams = await startFakeTeams();
    const [port, demoPort] = [await freePort(), await freePort()];
    botUrl = `http://127.0.0.1:${port}`;
    bot = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'src', 'index.ts')], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        DEMO_PORT: String(demoPort),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        POLL_INTERVAL_SECONDS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => bot.once('exit', (code) => resolve(code)));
    let buffered = '';
    bot.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const p of parts) {
        try {
          lines.push(JSON.parse(p) as LogLine);
        } catch {
          lines.push({ msg: p });
        }
      }
    });
    await waitForLog((l) => l.msg === 'bot listening');
  }, 60_000);

  afterAll(async () => {
    if (bot.exitCode === null) bot.kill('SIGKILL');
    await teams.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const incidentsAnswered = async (): Promise<boolean> => {
    const activity = teams.message('incidents');
    const { status } = await postActivity(botUrl, activity);
    const reply = teams.activities.find((a) => a.replyToId === activity.id);
    return status === 200 && (reply?.activity.attachments?.length ?? 0) === 1;
  };

  it('serves from a separate demo process, survives its death and stops it on shutdown', async () => {
    const started = await waitForLog((l) => l.msg === 'demo workspace started (no Azure needed)');
    const demoPid = started.pid ?? 0;
    expect(demoPid).toBeGreaterThan(0);
    expect(demoPid).not.toBe(bot.pid);
    expect(await incidentsAnswered()).toBe(true);

    process.kill(demoPid, 'SIGKILL');
    const health = await fetch(`${botUrl}/healthz`);
    expect(health.status).toBe(200);
    await waitForLog((l) => l.msg === 'demo workspace restarted');
    expect(await incidentsAnswered()).toBe(true);

    const restarted = lines.find((l) => l.msg === 'demo workspace restarted')?.pid ?? 0;
    expect(alive(restarted)).toBe(true);
    bot.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(alive(restarted)).toBe(false);
  }, 60_000);
});
