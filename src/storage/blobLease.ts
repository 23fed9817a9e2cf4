import { randomUUID } from 'node:crypto';
import type { BlobLeaseClient, BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { blobNameForKey } from './blobNames';
import { statusOf } from './blobContainer';
import type { Lease } from './lease';

/** Azure's limits for a finite blob lease. */
export const MIN_BLOB_LEASE_MS = 15_000;
export const MAX_BLOB_LEASE_MS = 60_000;

/**
 * Where lease blobs live. No key's blob name starts with `~l` (after `~` an encoded name always has a
 * hex digit or `u`), so lease blobs never show up as state records or collide with one.
 */
export function leaseBlobName(name: string): string {
  return `~leases/${blobNameForKey(name)}`;
}

/**
 * A lease held on a blob with Azure's own blob lease: the service's clock decides when it lapses, and
 * acquire/renew/release are single atomic requests, so any number of instances can compete for it.
 * Each BlobLease proposes its own lease id (a fresh GUID), which identifies this holder.
 */
export class BlobLease implements Lease {
  readonly holder = randomUUID();
  private readonly blob: BlockBlobClient;
  private readonly client: BlobLeaseClient;
  private blobReady = false;

  constructor(
    private readonly container: ContainerClient,
    readonly name: string,
    readonly durationMs: number,
  ) {
    if (
      !Number.isInteger(durationMs / 1000) ||
      durationMs < MIN_BLOB_LEASE_MS ||
      durationMs > MAX_BLOB_LEASE_MS
    ) {
      throw new RangeError(
        `BlobLease "${name}": duration must be whole seconds from 15 to 60, got ${durationMs} ms`,
      );
    }
    this.blob = container.getBlockBlobClient(leaseBlobName(name));
    this.client = this.blob.getBlobLeaseClient(this.holder);
  }

  /** Each lease request is abandoned after a third of the duration: a late answer is no use to the keeper. */
  private bounded(): { abortSignal: AbortSignal } {
    return { abortSignal: AbortSignal.timeout(this.durationMs / 3) };
  }

  async tryAcquire(): Promise<boolean> {
    await this.ensureBlob();
    try {
      await this.client.acquireLease(this.durationMs / 1000, this.bounded());
      return true;
    } catch (err) {
      if (statusOf(err) === 409) return false; // LeaseAlreadyPresent: someone else holds it
      if (statusOf(err) === 404) this.blobReady = false; // deleted by hand: recreate next time
      throw err;
    }
  }

  async renew(): Promise<boolean> {
    try {
      await this.client.renewLease(this.bounded());
      return true;
    } catch (err) {
      // 409: another lease id holds it, or it was broken; 404: the blob is gone (and the lease with it).
      if (statusOf(err) === 409 || statusOf(err) === 404) return false;
      throw err;
    }
  }

  async release(): Promise<void> {
    try {
      await this.client.releaseLease(this.bounded());
    } catch (err) {
      if (statusOf(err) === 409 || statusOf(err) === 404) return; // not ours any more: nothing to give up
      throw err;
    }
  }

  private async ensureBlob(): Promise<void> {
    if (this.blobReady) return;
    await this.container.createIfNotExists(this.bounded());
    try {
      const body = JSON.stringify({ lease: this.name });
      await this.blob.upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        ...this.bounded(),
      });
    } catch (err) {
      // 409 exists; 412 exists and is leased: either way it is there to lease.
      if (statusOf(err) !== 409 && statusOf(err) !== 412) throw err;
    }
    this.blobReady = true;
  }
}
