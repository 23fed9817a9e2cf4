/**
 * `npm start`: the product on its embedded default.
 * Demo mode (no SENTINEL_* set): the bot process — which runs the demo Sentinel workspace as a process of
 * its own (src/demo/processHost.ts), restarts it if it dies and exits if it keeps dying — plus the M365
 * Agents Playground, a local Teams client. Real mode: only the bot.
 * The bot and the Playground are separate processes so the Playground's output and lifetime do not
 * mix with the bot's structured logs; the launcher only supervises them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

const repoRoot = path.resolve(__dirname, '..', '..');
const started = Date.now();
const children: ChildProcess[] = [];

function fail(message: string): never {
  console.error(`\n✖ ${message}\n`);
  for (const c of children) c.kill('SIGTERM');
  process.exit(1);
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`${what} did not come up within ${timeoutMs / 1000} s (see the output above)`);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url);
    return res.ok;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  let config;
  try {
    // Validate here too so a misconfiguration is reported before anything starts.
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) fail(`Configuration error — ${e.message}`);
    throw e;
  }
  const demo = config.sentinel.mode === 'demo';
  if (demo && (await portOpen(config.demo.playgroundPort))) {
    fail(
      `port ${config.demo.playgroundPort} is taken (another Playground?). Stop it or set PLAYGROUND_PORT.`,
    );
  }

  const bot = spawn(process.execPath, [path.join(repoRoot, 'dist', 'src', 'index.js')], {
    stdio: 'inherit',
    env: process.env,
  });
  children.push(bot);
  bot.on('exit', (code) => fail(`the bot exited (code ${code ?? 'signal'})`));
  await waitFor(() => healthy(`http://127.0.0.1:${config.port}/healthz`), 'The bot', 45_000);

  if (!demo) {
    console.log(
      `\n✔ Bot listening on port ${config.port} (real workspace ${config.sentinel.workspace.workspaceName}).\n`,
    );
    return;
  }

  const dataDir = path.resolve(repoRoot, config.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const cli = path.join(repoRoot, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
  const playground = spawn(
    process.execPath,
    [
      cli,
      '-e',
      `http://127.0.0.1:${config.port}/api/messages`,
      '-p',
      String(config.demo.playgroundPort),
      '--disable-telemetry',
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: path.join(repoRoot, '.m365agentsplayground.yml'),
        M365_AGENTS_PLAYGROUND_LOGFILE: path.join(dataDir, 'playground.log'),
      },
    },
  );
  children.push(playground);
  playground.on('exit', (code) =>
    fail(
      `the Playground exited (code ${code ?? 'signal'}); its log is ${path.join(dataDir, 'playground.log')}`,
    ),
  );
  await waitFor(() => portOpen(config.demo.playgroundPort), 'The Playground', 45_000);

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    [
      '',
      `✔ Sentinel Assistant is running on the demo workspace (${seconds} s).`,
      `  Open http://localhost:${config.demo.playgroundPort} — a local Teams client.`,
      '  Try: "incidents", "incident 1", then ask "what happened?".',
      '  In the SOC team\'s Incidents channel: "@Sentinel Assistant subscribe".',
      '  Ctrl+C stops everything.',
      '',
    ].join('\n'),
  );
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const c of children) {
      c.removeAllListeners('exit');
      c.kill('SIGTERM');
    }
    process.exit(0);
  });
}

main().catch((e: unknown) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e)));
