/**
 * One bot instance in a process of its own, built by the same compose function as src/index.ts, against
 * a Sentinel workspace it does NOT start (DEMO_PORT points at one shared by every instance). Its
 * configuration comes from the environment, as in production (STORAGE=azure, ...). Prints
 * {"url":"http://127.0.0.1:N"} once listening; SIGTERM or the end of stdin closes it.
 */
import { createGateway, startBot } from '../../src/bot/compose';
import { loadConfig } from '../../src/config';
import { configureLogging } from '../../src/logger';

async function main(): Promise<void> {
  const config = { ...loadConfig(process.env, 'test'), port: 0 };
  configureLogging(config.logLevel);
  const bot = await startBot(config, createGateway(config));
  process.stdout.write(`${JSON.stringify({ url: bot.server.url })}\n`);
  const shutdown = (): void => void bot.close().then(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  // The test that started it ended (even killed): stdin closes, and no bot is left behind.
  process.stdin.once('end', shutdown).resume();
}

main().catch((err: unknown) => {
  process.stderr.write(`bot process failed to start: ${String(err)}\n`);
  process.exit(1);
});
