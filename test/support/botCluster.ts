import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AzureBlobStorage } from '../../src/storage/azureBlobStorage';
import { createContainerClient } from '../../src/storage/blobContainer';
import type { DemoWorkspace } from '../../src/demo/server';
import { azuriteConnectionString } from './azureStorage';
import { talkToBot, type BotConversation } from './talkToBot';
import { startFakeTeams, type FakeTeams } from './teams';
import { spawnTsProcess, type TsProcess } from './tsProcess';

/**
 * Several bot processes behind one "Azure Bot Service": each is a real `startBot` in its own process
 * with STORAGE=azure on one shared Azurite container, all against one demo workspace and one fake
 * Teams (their serviceUrl). Tests choose which instance each activity goes to, as the Bot Service may
 * send any activity to any instance; `kill` is a crash (SIGKILL).
 *
 *   const cluster = await startBotCluster({ instances: 2 });
 *   await cluster.instances[0].say('incident 7');
 *   const { replies } = await cluster.instances[1].say('what happened?');
 */
export interface BotInstance extends BotConversation {
  index: number;
  url: string;
  process: TsProcess;
  /** SIGKILL: no shutdown hooks, leases left to lapse. */
  kill(): Promise<void>;
}

export interface BotCluster {
  instances: BotInstance[];
  teams: FakeTeams;
  demo: DemoWorkspace;
  /** The shared state, for assertions (same container the instances use). */
  storage: AzureBlobStorage;
  container: string;
  close(): Promise<void>;
}

export interface BotClusterOptions {
  instances?: number;
  /** Extra environment for every instance (e.g. POLL_INTERVAL_SECONDS). */
  env?: Record<string, string>;
}

const BOT_PROCESS = path.join(__dirname, 'botProcess.ts');

export async function startBotCluster(options: BotClusterOptions = {}): Promise<BotCluster> {
  const { startDemoWorkspace } = await import('../../src/demo/server');
  const demo = await startDemoWorkspace({ port: 0 });
  const teams = await startFakeTeams();
  const container = `cluster-${randomBytes(6).toString('hex')}`;
  const connectionString = azuriteConnectionString();
  const env: Record<string, string> = {
    LOG_LEVEL: 'error',
    // Step 1: instances do not yet share the poller (lease wiring comes with the notification rewrite).
    POLL_INTERVAL_SECONDS: '0',
    ...options.env,
    STORAGE: 'azure',
    AZURE_STORAGE_CONNECTION_STRING: connectionString,
    AZURE_STORAGE_CONTAINER: container,
    DEMO_PORT: String(demo.port),
  };
  // Each instance gets a disk of its own, as separate machines would: state shared through anything but
  // the configured storage would not be shared at all.
  const dataDirs = Array.from({ length: options.instances ?? 2 }, () =>
    mkdtempSync(path.join(os.tmpdir(), 'bot-instance-')),
  );
  const processes = dataDirs.map((dir) => spawnTsProcess(BOT_PROCESS, { ...env, DATA_DIR: dir }));
  const close = async (): Promise<void> => {
    await Promise.all(processes.map((p) => p.stop()));
    await teams.close();
    await demo.close();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const urls = await Promise.all(
      processes.map((p) => p.waitForMessage<{ url: string }>((m) => typeof m.url === 'string', 60_000)),
    );
    const instances = processes.map((proc, index): BotInstance => {
      const url = urls[index]?.url as string;
      return {
        index,
        url,
        process: proc,
        ...talkToBot(url, teams),
        kill: () => proc.kill(),
      };
    });
    const storage = new AzureBlobStorage(
      createContainerClient({ kind: 'connectionString', connectionString }, container),
    );
    return { instances, teams, demo, storage, container, close };
  } catch (err) {
    await close();
    throw err;
  }
}
