import { version } from '../package.json';
import { createGateway, startBot, type RunningBot } from './bot/compose';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { startDemoWorkspaceProcess, type DemoProcess } from './demo/processHost';
import { configureLogging, getLogger, registerSecrets, routeLibraryOutput } from './logger';

const log = getLogger('main');

async function main(): Promise<void> {
  routeLibraryOutput();
  let config: AppConfig;
  try {
    config = loadConfig(process.env, version);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`Configuration error: ${e.message}\n`);
    process.exit(1);
  }
  configureLogging(config.logLevel);
  registerSecrets(secretsOf(config));

  // What shutdown stops; filled in as things start (a signal may arrive half-way).
  const running: { bot?: RunningBot; demo?: DemoProcess } = {};
  let stopping = false;
  const shutdown = async (why: string, code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ why }, 'shutting down');
    await running.bot?.close();
    await running.demo?.close();
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown('SIGINT', 0));
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0));

  // Demo mode: the demo workspace runs in a process of its own, as a remote Sentinel would.
  if (config.sentinel.mode === 'demo') {
    const demo = await startDemoWorkspaceProcess({
      port: config.demo.port,
      newIncidentEverySeconds: config.demo.newIncidentEverySeconds,
      scenariosDir: config.demo.scenariosDir,
      logLevel: config.logLevel,
      onGiveUp: (reason) => void shutdown(`demo workspace: ${reason}`, 1),
    });
    running.demo = demo;
    log.info({ url: demo.url, pid: demo.pid() }, 'demo workspace started (no Azure needed)');
  }
  const bot = await startBot(config, createGateway(config));
  running.bot = bot;
  log.info({ url: `${bot.server.url}/api/messages`, mode: config.sentinel.mode }, 'bot listening');
}

/** Values no log line may contain (see src/logger.ts). */
function secretsOf(config: AppConfig): (string | undefined)[] {
  const model = config.model;
  const storage = config.storage;
  const connectionString =
    storage.backend === 'azure' && storage.account.kind === 'connectionString'
      ? storage.account.connectionString
      : undefined;
  // The whole connection string and the account key inside it.
  const accountKey = /AccountKey=([^;]+)/i.exec(connectionString ?? '')?.[1];
  return [
    config.bot?.password,
    config.notifications.webhookSecret,
    model.provider === 'none' ? undefined : model.apiKey,
    connectionString,
    accountKey,
  ];
}

main().catch((e: unknown) => {
  log.fatal({ err: e }, 'failed to start');
  process.exit(1);
});
