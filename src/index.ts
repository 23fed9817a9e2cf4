import { version } from '../package.json';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { configureLogging, getLogger } from './logger';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env, version);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`Configuration error: ${e.message}\n`);
    process.exit(1);
  }
  configureLogging(config.logLevel);
  // Loaded after configureLogging: modules create their named loggers at import time.
  const { startBot, createGateway } = await import('./bot/compose');
  const { startDemoWorkspace } = await import('./demo/server');
  const log = getLogger('main');
  const demo =
    config.sentinel.mode === 'demo'
      ? await startDemoWorkspace({
          port: config.demo.port,
          newIncidentEverySeconds: config.demo.newIncidentEverySeconds,
        })
      : undefined;
  if (demo) log.info({ url: demo.url }, 'demo workspace started (no Azure needed)');
  const bot = await startBot(config, createGateway(config));
  log.info({ url: `${bot.server.url}/api/messages`, mode: config.sentinel.mode }, 'bot listening');

  const shutdown = async (signal: string): Promise<void> => {
    log.info({ signal }, 'shutting down');
    await bot.close();
    await demo?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  getLogger('main').fatal({ err: e }, 'failed to start');
  process.exit(1);
});
