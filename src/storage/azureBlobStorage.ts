import { randomUUID } from 'node:crypto';
import type { BlobItem, BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import type { StoreItem, StoreItems } from 'botbuilder';
import { getLogger } from '../logger';
import { mapBounded, readBounded, statusOf } from './blobContainer';
import { blobNameForKey, blobPrefixForKeyPrefix, isHashedBlobName, keyForBlobName } from './blobNames';
import { EtagConflictError, type RetentionRule, type StateStorage } from './stateStorage';

const log = getLogger('storage.azureBlob');

/** Largest item read or written: bounds memory per read; a bigger write fails instead of being unreadable. */
export const MAX_ITEM_BYTES = 16 * 1024 * 1024;
/** Requests in flight per read/write/delete/list call. */
const PARALLEL = 8;
/** Metadata naming the write that produced a blob, to recognise our own write after a lost response. */
const WRITE_ID = 'writeid';

interface StoredBlob {
  key: string;
  item: StoreItem;
}

interface Downloaded {
  stored: StoredBlob;
  eTag: string;
}

/**
 * StateStorage on Azure Blob Storage: one block blob per key (JSON `{key, item}`), named by
 * `blobNameForKey`; the blob's ETag is the item's `eTag`. Every instance sharing the container sees the
 * same state, and every conditional operation is decided by the service, so it holds across processes:
 *
 * - `write` with an item's eTag → `If-Match`; a key that does not exist is created with
 *   `If-None-Match: *` (the contract's "conditional write to an absent key succeeds"); anything else
 *   is an `EtagConflictError`. `'*'` or no eTag overwrites.
 * - `create` → `If-None-Match: *`.
 * - `expire` deletes with `If-Match` on the ETag it judged, so a record rewritten meanwhile survives.
 *
 * The SDK retries a request whose response was lost; if that request had succeeded, its retry would
 * fail its own condition. Each upload carries a unique write id in its metadata, and a failed
 * condition whose blob carries our write id is our success, not a conflict.
 */
export class AzureBlobStorage implements StateStorage {
  private ready: Promise<void> | undefined;

  /** The container is shared with coordination blobs (leases), which never look like state records. */
  constructor(readonly container: ContainerClient) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new TypeError('AzureBlobStorage.read: keys must be an array of strings');
    await this.ensureContainer();
    const found = await mapBounded(keys, PARALLEL, (key) => this.download(blobNameForKey(checkKey(key))));
    const items: StoreItems = {};
    keys.forEach((key, i) => {
      const blob = found[i];
      if (blob === undefined) return;
      if (blob.stored.key !== key) {
        log.error({ key, stored: blob.stored.key }, 'blob holds another key; treating the item as absent');
        return;
      }
      items[key] = { ...blob.stored.item, eTag: blob.eTag };
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (changes === null || typeof changes !== 'object') {
      throw new TypeError('AzureBlobStorage.write: changes must be an object of key → item');
    }
    await this.ensureContainer();
    await mapBounded(Object.entries(changes), PARALLEL, ([key, item]) => this.writeItem(key, item));
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys))
      throw new TypeError('AzureBlobStorage.delete: keys must be an array of strings');
    await this.ensureContainer();
    await mapBounded(keys, PARALLEL, (key) =>
      this.container.getBlobClient(blobNameForKey(checkKey(key))).deleteIfExists(),
    );
  }

  async create(key: string, item: StoreItem): Promise<string | undefined> {
    await this.ensureContainer();
    const blob = this.blob(checkKey(key));
    const writeId = randomUUID();
    const created = await this.upload(blob, key, item, writeId, { ifNoneMatch: '*' });
    return created ?? (await this.ownWrite(blob, writeId));
  }

  async list(prefix: string): Promise<string[]> {
    await this.ensureContainer();
    const keys = new Set<string>();
    for await (const blob of this.blobsUnder(prefix)) {
      const key = await this.keyOf(blob.name);
      if (key !== undefined && key.startsWith(prefix)) keys.add(key);
    }
    return [...keys];
  }

  /** Age is the blob's Last-Modified (the last write), as with FileStorage's mtime. */
  async expire(rules: readonly RetentionRule[], now = Date.now()): Promise<number> {
    if (rules.length === 0) return 0;
    await this.ensureContainer();
    const seen = new Set<string>();
    let removed = 0;
    for (const prefix of new Set(rules.map((r) => r.prefix))) {
      for await (const blob of this.blobsUnder(prefix)) {
        if (seen.has(blob.name)) continue;
        seen.add(blob.name);
        if (await this.expireOne(blob, rules, now)) removed++;
      }
    }
    if (removed > 0) log.info({ removed }, 'expired old records');
    return removed;
  }

  private async expireOne(blob: BlobItem, rules: readonly RetentionRule[], now: number): Promise<boolean> {
    const age = now - blob.properties.lastModified.getTime();
    if (age < Math.min(...rules.map((r) => r.maxAgeMs))) return false;
    let eTag = blob.properties.etag;
    let key = keyForBlobName(blob.name);
    let item: StoreItem | undefined;
    if (key === undefined || rules.some((r) => r.keep)) {
      const current = await this.download(blob.name);
      if (current === undefined) return false;
      ({ key, item } = current.stored);
      eTag = current.eTag;
    }
    const rule = rules.find((r) => (key as string).startsWith(r.prefix));
    if (rule === undefined || age < rule.maxAgeMs) return false;
    if (item !== undefined && rule.keep?.(item as Record<string, unknown>)) return false;
    try {
      await this.container.getBlobClient(blob.name).delete({ conditions: { ifMatch: eTag } });
      return true;
    } catch (err) {
      // Rewritten (412) or deleted (404) since we judged it: not ours to remove any more.
      if (statusOf(err) === 412 || statusOf(err) === 404) return false;
      throw err;
    }
  }

  private async *blobsUnder(prefix: string): AsyncGenerator<BlobItem> {
    const pages = this.container
      .listBlobsFlat({ prefix: blobPrefixForKeyPrefix(prefix) })
      .byPage({ maxPageSize: 5000 });
    for await (const page of pages) yield* page.segment.blobItems;
  }

  /** The key a blob holds: from its name, or (long keys) from its body. Undefined for foreign blobs. */
  private async keyOf(name: string): Promise<string | undefined> {
    if (!isHashedBlobName(name)) return keyForBlobName(name);
    return (await this.download(name))?.stored.key;
  }

  private blob(key: string): BlockBlobClient {
    return this.container.getBlockBlobClient(blobNameForKey(key));
  }

  private async writeItem(key: string, item: unknown): Promise<void> {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new TypeError(`AzureBlobStorage.write: the item for "${key}" must be an object`);
    }
    const incoming = item as StoreItem;
    const blob = this.blob(checkKey(key));
    const expected: unknown = incoming.eTag;
    const writeId = randomUUID();
    if (typeof expected !== 'string' || expected === '*') {
      await this.upload(blob, key, incoming, writeId, {});
      return;
    }
    if ((await this.upload(blob, key, incoming, writeId, { ifMatch: expected })) !== undefined) return;
    // If-Match failed: either someone else wrote the key, or it does not exist (then it is created).
    if ((await this.upload(blob, key, incoming, writeId, { ifNoneMatch: '*' })) !== undefined) return;
    if ((await this.ownWrite(blob, writeId)) === undefined) throw new EtagConflictError(key);
  }

  /** Uploads `{key, item}`; returns the new ETag, or undefined when the condition did not hold. */
  private async upload(
    blob: BlockBlobClient,
    key: string,
    item: StoreItem,
    writeId: string,
    conditions: { ifMatch?: string; ifNoneMatch?: string },
  ): Promise<string | undefined> {
    const { eTag: _dropped, ...rest } = item;
    void _dropped;
    const body = Buffer.from(JSON.stringify({ key, item: rest } satisfies StoredBlob), 'utf8');
    if (body.length > MAX_ITEM_BYTES) {
      throw new Error(
        `AzureBlobStorage: the item for "${key}" is ${body.length} bytes (max ${MAX_ITEM_BYTES})`,
      );
    }
    try {
      const res = await blob.upload(body, body.length, {
        conditions,
        metadata: { [WRITE_ID]: writeId },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
      return res.etag ?? '';
    } catch (err) {
      const status = statusOf(err);
      // 412: If-Match / If-None-Match failed; 409: blob exists (If-None-Match: *); 404: If-Match on no blob.
      if (status === 412 || status === 409 || (status === 404 && conditions.ifMatch !== undefined)) {
        return undefined;
      }
      throw err;
    }
  }

  /** The blob's ETag if its current content is the write `writeId` (our retried request landed). */
  private async ownWrite(blob: BlockBlobClient, writeId: string): Promise<string | undefined> {
    try {
      const props = await blob.getProperties();
      return props.metadata?.[WRITE_ID] === writeId ? props.etag : undefined;
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  private async download(name: string): Promise<Downloaded | undefined> {
    let res;
    try {
      res = await this.container.getBlobClient(name).download(0);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
    if ((res.contentLength ?? 0) > MAX_ITEM_BYTES) {
      throw new Error(
        `AzureBlobStorage: blob "${name}" is ${res.contentLength} bytes (max ${MAX_ITEM_BYTES})`,
      );
    }
    const bytes = await readBounded(res.readableStreamBody, MAX_ITEM_BYTES, `blob "${name}"`);
    const stored = parseStored(bytes);
    if (stored === undefined) {
      // Not written by us (or damaged). Reported, and treated as absent rather than failing every turn;
      // the bytes stay in the blob until the key is written again.
      log.error({ blob: name }, 'unreadable state blob; treating the item as absent');
      return undefined;
    }
    return { stored, eTag: res.etag ?? '' };
  }

  /**
   * Opens the container (creating it if missing), so a wrong URL or a missing role stops the bot at
   * start with a message naming what to fix, instead of failing every turn later.
   */
  open(): Promise<void> {
    return this.ensureContainer();
  }

  private ensureContainer(): Promise<void> {
    this.ready ??= this.container.createIfNotExists().then(
      () => undefined,
      (err: unknown) => {
        this.ready = undefined;
        throw new Error(
          `Azure Storage: cannot open container "${this.container.containerName}" at ${this.container.url} ` +
            `(status ${statusOf(err) ?? 'none'}). Check AZURE_STORAGE_ACCOUNT_URL / AZURE_STORAGE_CONNECTION_STRING ` +
            `and that the bot's identity has Storage Blob Data Contributor on the account.`,
          { cause: err },
        );
      },
    );
    return this.ready;
  }
}

function checkKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new TypeError('AzureBlobStorage: keys must be non-empty strings');
  }
  return key;
}

function parseStored(bytes: Buffer): StoredBlob | undefined {
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as Partial<StoredBlob> | null;
    if (
      parsed === null ||
      typeof parsed !== 'object' ||
      typeof parsed.key !== 'string' ||
      typeof parsed.item !== 'object' ||
      parsed.item === null ||
      Array.isArray(parsed.item)
    ) {
      return undefined;
    }
    return { key: parsed.key, item: parsed.item };
  } catch {
    return undefined;
  }
}
