/**
 * /healthz under hostile load (issue #16, item 1/6): starts the real entry point (src/index.ts, demo
 * mode: the demo workspace in its own process), then posts heavy `kql:` queries and clicks Run on them
 * while probing /healthz every 100 ms, and 200 forged-token-free /healthz probes at once. Prints the
 * probe latencies and whether the bot process stayed up. Numbers only; nothing passes or fails.
 *
 *   npx tsx bench/healthz.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { postActivity, startFakeTeams } from '../test/support/teams';

const HEAVY_QUERIES = [
  // A three-way self-join of the biggest table: unbounded, it exhausts memory.
  'SigninLogs | join kind=inner (SigninLogs) on UserPrincipalName | join kind=inner (SigninLogs) on UserPrincipalName',
  'SigninLogs | join kind=inner (SigninLogs) on IPAddress | join kind=inner (SigninLogs) on IPAddress',
  'SigninLogs | join kind=inner (SigninLogs) on AppDisplayName | join kind=inner (SigninLogs) on AppDisplayName',
  'SigninLogs | join kind=inner (SigninLogs) on ResultType | join kind=inner (SigninLogs) on ResultType',
  'SigninLogs | join kind=inner (SigninLogs) on Location | join kind=inner (SigninLogs) on Location',
];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function stats(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return `n=${sorted.length} p50=${at(50).toFixed(0)} ms p99=${at(99).toFixed(0)} ms max=${at(100).toFixed(0)} ms`;
}

async function main(): Promise<void> {
  const teams = await startFakeTeams();
  const [port, demoPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-healthz-'));
  const bot = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'src', 'index.ts')], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      DEMO_PORT: String(demoPort),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      POLL_INTERVAL_SECONDS: '0',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let botExited = false;
  bot.once('exit', () => {
    botExited = true;
  });
  const botUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`${botUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }

  const probe = async (): Promise<number> => {
    const t = performance.now();
    await fetch(`${botUrl}/healthz`).then((r) => r.text());
    return performance.now() - t;
  };
  const burst = await Promise.all(Array.from({ length: 200 }, probe));
  console.log(`200 concurrent /healthz probes: ${stats(burst)}`);

  // One ordinary query first: the Kusto language service loads on first use (FACTS.md: ~1.8 s, once).
  const conversationId = 'a:1-personal-bench';
  await postActivity(botUrl, teams.message('incident 1', { conversationId }));
  const warm = performance.now();
  await postActivity(botUrl, teams.message('kql: SigninLogs | take 1', { conversationId }));
  console.log(`first kql: (language service load + schema) took ${(performance.now() - warm).toFixed(0)} ms`);

  const during: number[] = [];
  let running = true;
  const prober = (async () => {
    while (running) {
      during.push(await probe().catch(() => Number.POSITIVE_INFINITY));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const started = performance.now();
  await Promise.all(
    HEAVY_QUERIES.map(async (q) => {
      const message = teams.message(`kql: ${q}`, { conversationId });
      await postActivity(botUrl, message);
      const card = teams.activities.find((a) => a.replyToId === message.id && a.activity.attachments?.length);
      const actions = JSON.stringify(card?.activity.attachments?.[0]?.content ?? {});
      const queryId = /"queryId":"([^"]+)"/.exec(actions)?.[1];
      if (queryId)
        await postActivity(
          botUrl,
          teams.invoke('hunt.run', { verb: 'hunt.run', queryId }, { conversationId }),
        );
    }),
  );
  running = false;
  await prober;
  console.log(
    `/healthz every 100 ms while 5 heavy queries were validated and run (${((performance.now() - started) / 1000).toFixed(1)} s): ${stats(during)}`,
  );
  console.log(
    `probes over 1 s: ${during.filter((ms) => ms > 1000).length}; bot process still up: ${!botExited}`,
  );
  bot.kill('SIGTERM');
  await teams.close();
  rmSync(dataDir, { recursive: true, force: true });
}

void main();
