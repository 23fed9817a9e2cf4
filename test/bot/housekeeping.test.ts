import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { startBot } from '../../src/bot/compose';
import { loadConfig } from '../../src/config';
import { HUNT_QUERY_PREFIX } from '../../src/hunting/queryStore';
import { FileStorage } from '../../src/storage/fileStorage';
import { FakeGateway } from '../support/fakeGateway';

it('the running bot expires records its features declared old, and keeps the rest', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'housekeeping-'));
  const storage = new FileStorage(dir);
  const stale = `${HUNT_QUERY_PREFIX}stale`;
  const fresh = `${HUNT_QUERY_PREFIX}fresh`;
  await storage.write({ [stale]: { query: 'SigninLogs' }, [fresh]: { query: 'SigninLogs' } });
  const longAgo = new Date(Date.now() - 30 * 24 * 60 * 60 * 1000);
  await fs.utimes(storage.fileFor(stale), longAgo, longAgo);

  const config = {
    ...loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'error', POLL_INTERVAL_SECONDS: '0' }),
    port: 0,
  };
  const bot = await startBot(config, new FakeGateway(), { storage });
  try {
    await expect.poll(async () => Object.keys(await storage.read([stale, fresh]))).toEqual([fresh]);
  } finally {
    await bot.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
});
