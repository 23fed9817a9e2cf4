import { randomBytes } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { inject } from 'vitest';
import { AzureBlobStorage } from '../../src/storage/azureBlobStorage';
import { createContainerClient } from '../../src/storage/blobContainer';

/** The Azurite this test run started (test/support/azuriteGlobalSetup.ts). */
export function azuriteConnectionString(): string {
  return inject('azuriteConnectionString');
}

/** A fresh, empty container on the run's Azurite, so tests never see each other's blobs. */
export function freshContainer(prefix = 't'): ContainerClient {
  const name = `${prefix}-${randomBytes(8).toString('hex')}`;
  return createContainerClient(
    { kind: 'connectionString', connectionString: azuriteConnectionString() },
    name,
  );
}

export function freshAzureStorage(): AzureBlobStorage {
  return new AzureBlobStorage(freshContainer());
}
