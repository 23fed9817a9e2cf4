import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { AzureBlobStorage } from '../../src/storage/azureBlobStorage';
import { createLease, createStateStorage, openStateStorage } from '../../src/storage/createStateStorage';
import { FileStorage } from '../../src/storage/fileStorage';
import { StorageLease } from '../../src/storage/lease';
import { MemoryStateStorage } from '../../src/storage/memoryStateStorage';
import { azuriteConnectionString } from '../support/azureStorage';

describe('createStateStorage: the backend STORAGE names', () => {
  it('file (the default) is FileStorage under DATA_DIR', () => {
    const storage = createStateStorage(loadConfig({ DATA_DIR: '/tmp/x-state' }));
    expect(storage).toBeInstanceOf(FileStorage);
    expect((storage as FileStorage).fileFor('k')).toMatch(/^\/tmp\/x-state\//);
  });

  it('azure is Azure Blob Storage in the configured container, and works', async () => {
    const storage = createStateStorage(
      loadConfig({
        STORAGE: 'azure',
        AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(),
        AZURE_STORAGE_CONTAINER: 'compose-choice',
      }),
    );
    expect(storage).toBeInstanceOf(AzureBlobStorage);
    expect((storage as AzureBlobStorage).container.containerName).toBe('compose-choice');
    await storage.write({ k: { v: 1 } });
    expect((await storage.read(['k'])).k?.v).toBe(1);
  });

  it('leases follow the backend: a lease record off Azure', () => {
    expect(createLease(new MemoryStateStorage(), 'poller')).toBeInstanceOf(StorageLease);
  });
});

describe('openStateStorage', () => {
  it('stops at start, naming the variables and the role, when the Azure account cannot be used', async () => {
    const config = loadConfig({
      STORAGE: 'azure',
      AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString().replace(
        /AccountKey=[^;]+/,
        'AccountKey=d3Jvbmc=',
      ),
    });
    await expect(openStateStorage(config)).rejects.toThrow(
      /AZURE_STORAGE_ACCOUNT_URL.*Storage Blob Data Contributor/,
    );
  });

  it('opens (and creates) the container when it can', async () => {
    const config = loadConfig({
      STORAGE: 'azure',
      AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(),
      AZURE_STORAGE_CONTAINER: 'opened-at-start',
    });
    const storage = (await openStateStorage(config)) as AzureBlobStorage;
    expect(await storage.container.exists()).toBe(true);
  });
});
