import type { TokenCredential } from '@azure/identity';
import type { AppConfig } from '../config';
import { AzureBlobStorage } from './azureBlobStorage';
import { createContainerClient } from './blobContainer';
import { FileStorage } from './fileStorage';
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
