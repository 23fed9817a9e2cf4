import type { TokenCredential } from '@azure/identity';
import type { AppConfig } from '../config';
import { AzureBlobStorage } from './azureBlobStorage';
import { BlobLease } from './blobLease';
import { createContainerClient } from './blobContainer';
import { FileStorage } from './fileStorage';
import { StorageLease, type Lease } from './lease';
import type { StateStorage } from './stateStorage';

/** The configured backend (STORAGE): every piece of durable state goes through what this returns. */
export function createStateStorage(
  config: Pick<AppConfig, 'storage' | 'dataDir'>,
  credential?: TokenCredential,
): StateStorage {
  const { storage } = config;
  if (storage.backend === 'file') return new FileStorage(config.dataDir);
  return new AzureBlobStorage(createContainerClient(storage.account, storage.container, credential));
}

/** `createStateStorage`, then checks the backend can be reached (Azure: container and role) before use. */
export async function openStateStorage(
  config: Pick<AppConfig, 'storage' | 'dataDir'>,
  credential?: TokenCredential,
): Promise<StateStorage> {
  const storage = createStateStorage(config, credential);
  if (storage instanceof AzureBlobStorage) await storage.open();
  return storage;
}

/**
 * 30 s: a dead holder's lease is taken over within ~40 s (see keepLease), and renewing every 10 s costs
 * ~8,600 storage operations a day per lease — cents a month.
 */
export const DEFAULT_LEASE_MS = 30_000;

/**
 * A lease on the same backend as `storage`: Azure's blob lease on Azure (several instances), a lease
 * record on the others (file mode is one process per DATA_DIR; memory storage serves tests).
 */
export function createLease(storage: StateStorage, name: string, durationMs = DEFAULT_LEASE_MS): Lease {
  if (storage instanceof AzureBlobStorage) return new BlobLease(storage.container, name, durationMs);
  return new StorageLease(storage, name, durationMs);
}
