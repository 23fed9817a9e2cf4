import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzureBlobStorage, MAX_ITEM_BYTES } from '../../src/storage/azureBlobStorage';
import { createContainerClient } from '../../src/storage/blobContainer';
import { blobNameForKey } from '../../src/storage/blobNames';
import { EtagConflictError } from '../../src/storage/stateStorage';
import { azuriteConnectionString, freshContainer } from '../support/azureStorage';
import { startLossyProxy, type LossyProxy } from '../support/lossyProxy';
import { withLogsMuted } from '../support/quietLogs';

const KEYS = [
  'msteams/bot/conversations/19:abc@thread.tacv2;messageid=1700000000000',
  '../../etc/passwd',
  'ends with a dot.',
  'ends/with/slash/',
  'Straße/日本語/🚨',
  `outbox/long/${'x'.repeat(3_000)}/a`,
  `outbox/long/${'x'.repeat(3_000)}/b`,
];

describe('AzureBlobStorage on Azurite', () => {
  it('stores keys with any characters, including keys far past the 1,024-character blob name limit', async () => {
    const storage = new AzureBlobStorage(freshContainer());
    await storage.write(Object.fromEntries(KEYS.map((k, i) => [k, { i }])));
    const items = await storage.read([...KEYS, 'absent']);
    expect(Object.keys(items).sort()).toEqual([...KEYS].sort());
    KEYS.forEach((k, i) => expect(items[k]?.i).toBe(i));
    expect((await storage.list('outbox/long/')).sort()).toEqual(KEYS.slice(5).sort());
    // A prefix itself longer than the part of a long name that is kept in clear.
    expect(await storage.list(`outbox/long/${'x'.repeat(3_000)}/b`)).toEqual([KEYS[6]]);
    expect((await storage.list('')).sort()).toEqual([...KEYS].sort());
    await storage.delete(KEYS.slice(4));
    expect((await storage.list('')).sort()).toEqual(KEYS.slice(0, 4).sort());
  });

  it('two instances on one container (two processes) see each other and conflict on stale eTags', async () => {
    const container = freshContainer();
    const a = new AzureBlobStorage(container);
    const b = new AzureBlobStorage(
      createContainerClient(
        { kind: 'connectionString', connectionString: azuriteConnectionString() },
        container.containerName,
      ),
    );
    await a.write({ shared: { v: 0 } });
    const seenByA = (await a.read(['shared'])).shared;
    const seenByB = (await b.read(['shared'])).shared;
    expect(seenByB?.eTag).toBe(seenByA?.eTag);
    await b.write({ shared: { ...seenByB, v: 'b' } });
    await expect(a.write({ shared: { ...seenByA, v: 'a' } })).rejects.toBeInstanceOf(EtagConflictError);
    expect((await a.read(['shared'])).shared?.v).toBe('b');
    expect(await b.create('claim', { by: 'b' })).toEqual(expect.any(String));
    expect(await a.create('claim', { by: 'a' })).toBeUndefined();
  });

  it('a conditional write to a key that does not exist (or was deleted since) creates it, like MemoryStorage', async () => {
    const storage = new AzureBlobStorage(freshContainer());
    await storage.write({ fresh: { v: 1, eTag: '"0x8D000000000000"' } });
    expect((await storage.read(['fresh'])).fresh?.v).toBe(1);
    const seen = (await storage.read(['fresh'])).fresh;
    await storage.delete(['fresh']);
    await storage.write({ fresh: { ...seen, v: 2 } });
    expect((await storage.read(['fresh'])).fresh?.v).toBe(2);
  });

  it('ignores blobs it did not write and treats an unreadable blob as absent instead of failing', async () => {
    const container = freshContainer();
    const storage = new AzureBlobStorage(container);
    await storage.write({ good: { ok: true } });
    await container.getBlockBlobClient('readme.txt').upload('hello', 5);
    await container.getBlockBlobClient(blobNameForKey('broken')).upload('{not json', 9);
    expect(await storage.list('')).toEqual(expect.arrayContaining(['good', 'broken']));
    expect(await storage.list('')).not.toContain('readme.txt');
    const items = await withLogsMuted(() => storage.read(['good', 'broken']));
    expect(Object.keys(items)).toEqual(['good']);
  });

  it('refuses items larger than the bound, on write and on read', async () => {
    const container = freshContainer();
    const storage = new AzureBlobStorage(container);
    const big = 'x'.repeat(MAX_ITEM_BYTES);
    await expect(storage.write({ big: { big } })).rejects.toThrow(/max/);
    const bytes = Buffer.alloc(MAX_ITEM_BYTES + 1, 0x20);
    await container.getBlockBlobClient(blobNameForKey('huge')).upload(bytes, bytes.length);
    await expect(storage.read(['huge'])).rejects.toThrow(/max/);
  });

  it('expire spares a record rewritten after it was judged old (conditional delete)', async () => {
    const storage = new AzureBlobStorage(freshContainer());
    await storage.write({ 'job/a': { state: 'done' }, 'job/b': { state: 'running' } });
    const removed = await storage.expire(
      [{ prefix: 'job/', maxAgeMs: 1_000, keep: (item) => item.state === 'running' }],
      Date.now() + 60_000,
    );
    expect(removed).toBe(1);
    expect(Object.keys(await storage.read(['job/a', 'job/b']))).toEqual(['job/b']);
  });

  it('fails with a message naming the variables when the account cannot be reached', async () => {
    const storage = new AzureBlobStorage(
      createContainerClient(
        {
          kind: 'connectionString',
          connectionString: azuriteConnectionString().replace(
            /AccountKey=[^;]+/,
            `AccountKey=${randomBytes(64).toString('base64')}`,
          ),
        },
        'unreachable',
      ),
    );
    await expect(storage.read(['x'])).rejects.toThrow(
      /AZURE_STORAGE_ACCOUNT_URL.*Storage Blob Data Contributor/,
    );
  });

  describe('when a response is lost and the SDK retries a write that had succeeded', () => {
    let proxy: LossyProxy;
    let storage: AzureBlobStorage;
    beforeAll(async () => {
      const endpoint = /BlobEndpoint=([^;]+)/.exec(azuriteConnectionString())?.[1] as string;
      const target = new URL(endpoint);
      proxy = await startLossyProxy(target.origin);
      const container = freshContainer();
      storage = new AzureBlobStorage(
        createContainerClient(
          {
            kind: 'connectionString',
            connectionString: azuriteConnectionString().replace(target.origin, proxy.url),
          },
          container.containerName,
        ),
      );
      await storage.write({ warm: {} });
    });
    afterAll(() => proxy.close());

    const isBlobPut = (req: { method?: string; url?: string }): boolean =>
      req.method === 'PUT' && !(req.url ?? '').includes('restype=container');

    it('create still reports the claim as won (not "someone else has it")', async () => {
      proxy.loseNextResponse(isBlobPut);
      const lostBefore = proxy.lost;
      const eTag = await storage.create('claim/lost-response', { owner: 'me' });
      expect(proxy.lost).toBe(lostBefore + 1);
      expect(eTag).toEqual(expect.any(String));
      expect((await storage.read(['claim/lost-response']))['claim/lost-response']?.eTag).toBe(eTag);
    });

    it('a conditional write is not reported as a conflict with itself', async () => {
      await storage.write({ counter: { n: 1 } });
      const seen = (await storage.read(['counter'])).counter;
      proxy.loseNextResponse(isBlobPut);
      const lostBefore = proxy.lost;
      await storage.write({ counter: { ...seen, n: 2 } });
      expect(proxy.lost).toBe(lostBefore + 1);
      expect((await storage.read(['counter'])).counter?.n).toBe(2);
    });
  });
});
