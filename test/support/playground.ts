import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { REPO_ROOT } from './paths';

export const CHROMIUM_PATH = '/usr/bin/chromium';
/**
 * Debian's Chromium as root in a sandbox-less CI container, with background networking off: this
 * machine has no internet and Chromium would otherwise keep trying to reach Google.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface PlaygroundConfig {
  bot: { id: string; name: string };
  currentUser: { id: string; name: string };
  team: { id: string; name: string; channels: { id: string; name: string }[] };
}

function playgroundConfig(): PlaygroundConfig {
  return loadYaml(
    fs.readFileSync(path.join(REPO_ROOT, '.m365agentsplayground.yml'), 'utf8'),
  ) as PlaygroundConfig;
}

/** A channel of the SOC team in the committed Playground config. */
export async function playgroundChannel(name: string): Promise<{ id: string; name: string }> {
  const channel = playgroundConfig().team.channels.find((c) => c.name === name);
  if (channel === undefined) throw new Error(`no channel "${name}" in .m365agentsplayground.yml`);
  return channel;
}

export interface Playground {
  url: string;
  port: number;
  logFile: string;
  /**
   * Posts a channel message as the current user, @mentioning the bot (channel messages reach a bot only
   * with a mention), through the Playground's own conversation API — the same path its compose box uses.
   */
  postMessage(conversationId: string, text: string): Promise<void>;
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(
  url: string,
  timeoutMs: number,
  proc: ChildProcess,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) {
      const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '(no log)';
      throw new Error(`the Playground exited with code ${proc.exitCode}; its log:\n${log}`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the Playground did not answer at ${url} within ${timeoutMs} ms`);
}

/** Starts the M365 Agents Playground (the local Teams client) against a bot endpoint, with the repo's config. */
export async function startPlayground(botEndpoint: string): Promise<Playground> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-'));
  const logFile = path.join(dir, 'playground.log');
  const cli = path.join(REPO_ROOT, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
  const proc = spawn(process.execPath, [cli, '-e', botEndpoint, '-p', String(port), '--disable-telemetry'], {
    cwd: dir,
    stdio: 'ignore',
    env: {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: 'none',
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: path.join(REPO_ROOT, '.m365agentsplayground.yml'),
      M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/`, 30_000, proc, logFile);
  const config = playgroundConfig();
  return {
    url,
    port,
    logFile,
    async postMessage(conversationId, text) {
      const mention = `<at>${config.bot.name}</at>`;
      const res = await fetch(
        `${url}/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            from: { id: config.currentUser.id },
            text: `${mention} ${text}`,
            textFormat: 'plain',
            mentions: [{ text: mention, mentioned: { id: config.bot.id } }],
          }),
        },
      );
      if (!res.ok) throw new Error(`the Playground refused the message: ${res.status} ${await res.text()}`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
