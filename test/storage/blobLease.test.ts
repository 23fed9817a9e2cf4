import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AzureBlobStorage } from '../../src/storage/azureBlobStorage';
import { BlobLease, MIN_BLOB_LEASE_MS } from '../../src/storage/blobLease';
import { createLease } from '../../src/storage/createStateStorage';
import { keepLease, type LeaseKeeper } from '../../src/storage/lease';
import { azuriteConnectionString, freshContainer } from '../support/azureStorage';
import { withLogsMuted } from '../support/quietLogs';
import { spawnTsProcess, type TsProcess } from '../support/tsProcess';

const D = MIN_BLOB_LEASE_MS;

describe('BlobLease on Azurite', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('one holder at a time; release hands it over at once; the old holder can no longer renew', async () => {
    const container = freshContainer();
    const a = new BlobLease(container, 'poller', D);
    const b = new BlobLease(container, 'poller', D);
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.tryAcquire()).toBe(false);
    expect(await a.renew()).toBe(true);
    expect(await a.tryAcquire()).toBe(true);
    await a.release();
    expect(await b.tryAcquire()).toBe(true);
    expect(await a.renew()).toBe(false);
    expect(await a.tryAcquire()).toBe(false);
    await b.release();
  });

  it('lease blobs stay out of the state records sharing the container', async () => {
    const storage = new AzureBlobStorage(freshContainer());
    await storage.write({ 'lease/poller': { mine: true } });
    const lease = createLease(storage, 'poller', D);
    expect(lease).toBeInstanceOf(BlobLease);
    expect(await lease.tryAcquire()).toBe(true);
    expect(await storage.list('')).toEqual(['lease/poller']);
    await storage.write({ 'lease/poller': { mine: 'still writable' } });
    await lease.release();
  });

  it('refuses durations Azure does not allow', () => {
    expect(() => new BlobLease(freshContainer(), 'x', 10_000)).toThrow(/15 to 60/);
    expect(() => new BlobLease(freshContainer(), 'x', 90_000)).toThrow(/15 to 60/);
    expect(() => new BlobLease(freshContainer(), 'x', 20_500)).toThrow(/whole seconds/);
  });

  it('a holder process killed with SIGKILL is replaced by another process within 2 × the lease time', async () => {
    const container = freshContainer();
    await container.createIfNotExists();
    const holder: TsProcess = spawnTsProcess(path.join(__dirname, '..', 'support', 'leaseHolderProcess.ts'), {
      AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(),
      LEASE_CONTAINER: container.containerName,
      LEASE_NAME: 'poller',
      LEASE_MS: String(D),
    });
    cleanup.push(() => holder.kill());
    await holder.waitForMessage((m) => m.held === true);

    let acquiredAt = 0;
    const storage = new AzureBlobStorage(container);
    const keeper: LeaseKeeper = keepLease(createLease(storage, 'poller', D), {
      onAcquired: () => void (acquiredAt = Date.now()),
      onLost: () => undefined,
    });
    cleanup.push(() => withLogsMuted(() => keeper.stop()));
    // While the holder lives and renews, nobody else gets the lease.
    await new Promise((r) => setTimeout(r, D + 2_000));
    expect(keeper.held).toBe(false);

    await holder.kill();
    const killedAt = Date.now();
    while (!keeper.held && Date.now() - killedAt < 2 * D + 5_000)
      await new Promise((r) => setTimeout(r, 200));
    expect(keeper.held).toBe(true);
    // The requirement's bound (2 × lease time), far from the ~1⅓ × the keeper aims at: not a tight timing.
    expect(acquiredAt - killedAt).toBeLessThanOrEqual(2 * D);
  }, 90_000);
});
