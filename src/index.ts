import { version } from '../package.json';
import { createGateway, startBot } from './bot/compose';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { startDemoWorkspace } from './demo/server';
import { configureLogging, getLogger } from './logger';

const log = getLogger('main');

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

  const demo =
    config.sentinel.mode === 'demo'
      ? await startDemoWorkspace({
          port: config.demo.port,
          newIncidentEverySeconds: config.demo.newIncidentEverySeconds,
          scenariosDir: config.demo.scenariosDir,
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
  log.fatal({ err: e }, 'failed to start');
  process.exit(1);
});
