/**
 * `npm run migrate-storage [-- --dry-run]`: copies the file state in DATA_DIR into the Azure Storage
 * container that STORAGE=azure configures (AZURE_STORAGE_ACCOUNT_URL + your Azure login, or
 * AZURE_STORAGE_CONNECTION_STRING). Idempotent: records the container already has are left alone, so
 * it can be re-run after an interruption. Prints what it did; exits non-zero on a configuration error.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';
import { configureLogging } from '../src/logger';
import { createStateStorage } from '../src/storage/createStateStorage';
import { FileStorage } from '../src/storage/fileStorage';
import { migrateState } from '../src/storage/migrate';

function fail(message: string): never {
  process.stderr.write(`✖ migrate-storage: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const dryRun = process.argv.includes('--dry-run');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) fail(`configuration error — ${e.message}`);
    throw e;
  }
  configureLogging('warn');
  const { storage } = config;
  if (storage.backend !== 'azure') {
    fail(
      'set STORAGE=azure and AZURE_STORAGE_ACCOUNT_URL (or AZURE_STORAGE_CONNECTION_STRING) for the target',
    );
  }
  const dataDir = path.resolve(config.dataDir);
  if (!existsSync(dataDir)) fail(`DATA_DIR ${dataDir} does not exist`);
  const target = createStateStorage(config);
  process.stdout.write(
    `${dryRun ? '[dry run] ' : ''}copying ${dataDir} → container "${storage.container}"\n`,
  );
  const report = await migrateState(new FileStorage(dataDir), target, {
    dryRun,
    onProgress: (done, total) => {
      if (done % 500 === 0) process.stdout.write(`  ${done}/${total}\n`);
    },
  });
  process.stdout.write(
    `${dryRun ? '[dry run] would copy' : 'copied'} ${report.copied}, already in Azure Storage ${report.alreadyThere}, vanished ${report.vanished}\n`,
  );
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
