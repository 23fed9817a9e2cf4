import { configureLogging } from '../../src/logger';

/** Runs `task` with the bot's logs silenced: for tests that provoke an error the code rightly logs. */
export async function withLogsMuted<T>(task: () => Promise<T>): Promise<T> {
  configureLogging('silent');
  try {
    return await task();
  } finally {
    configureLogging(process.env.TEST_LOG_LEVEL ?? 'error');
  }
}
