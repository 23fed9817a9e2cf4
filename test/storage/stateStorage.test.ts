import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { FileStorage } from '../../src/storage/fileStorage';
import { MemoryStateStorage } from '../../src/storage/memoryStateStorage';
import { freshAzureStorage } from '../support/azureStorage';
import { describeStateStorageContract } from './stateStorageContract';

const roots: string[] = [];
afterAll(async () => {
  await Promise.all(roots.map((d) => fs.rm(d, { recursive: true, force: true })));
});

describeStateStorageContract('FileStorage', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'statestorage-'));
  roots.push(dir);
  return new FileStorage(dir);
});

describeStateStorageContract('MemoryStateStorage', () => new MemoryStateStorage());

describeStateStorageContract('AzureBlobStorage (Azurite)', () => freshAzureStorage());
