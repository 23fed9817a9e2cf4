/**
 * Holds a lease in a process of its own (test/storage/blobLease.test.ts kills it to play a dead holder).
 * Env: AZURE_STORAGE_CONNECTION_STRING, LEASE_CONTAINER, LEASE_NAME, LEASE_MS. Prints {"held":true}
 * once it holds the lease.
 */
import { configureLogging } from '../../src/logger';
import { AzureBlobStorage } from '../../src/storage/azureBlobStorage';
import { createContainerClient } from '../../src/storage/blobContainer';
import { createLease } from '../../src/storage/createStateStorage';
import { keepLease } from '../../src/storage/lease';

configureLogging('silent');
const need = (name: string): string => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} is required`);
  return v;
};
const storage = new AzureBlobStorage(
  createContainerClient(
    { kind: 'connectionString', connectionString: need('AZURE_STORAGE_CONNECTION_STRING') },
    need('LEASE_CONTAINER'),
  ),
);
const keeper = keepLease(createLease(storage, need('LEASE_NAME'), Number(need('LEASE_MS'))), {
  onAcquired: () => void process.stdout.write(`${JSON.stringify({ held: true })}\n`),
  onLost: () => void process.stdout.write(`${JSON.stringify({ lost: true })}\n`),
});
const shutdown = (): void => void keeper.stop().then(() => process.exit(0));
process.once('SIGTERM', shutdown);
// Exits with the test that started it (stdin closes), even if that test was killed.
process.stdin.once('end', shutdown).resume();
