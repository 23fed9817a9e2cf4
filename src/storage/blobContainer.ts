import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import { BlobServiceClient, type ContainerClient, type StoragePipelineOptions } from '@azure/storage-blob';
import type { AzureStorageAccount } from '../config';

/**
 * Retry budget for storage calls. A Teams turn waits on state reads and writes, and Teams gives up on an
 * invoke after ~15 s, so a few quick retries of 5xx / dropped connections are worth it, a long backoff is
 * not. Each try is bounded, so a hung connection cannot hold a turn (or a lease renewal) for ever.
 */
const PIPELINE_OPTIONS: StoragePipelineOptions = {
  retryOptions: { maxTries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 2_000, tryTimeoutInMs: 10_000 },
  userAgentOptions: { userAgentPrefix: 'sentinel-teams-bot' },
};

/** The container client for the configured account: managed identity by URL, or a connection string. */
export function createContainerClient(
  account: AzureStorageAccount,
  container: string,
  credential?: TokenCredential,
): ContainerClient {
  const service =
    account.kind === 'connectionString'
      ? BlobServiceClient.fromConnectionString(account.connectionString, PIPELINE_OPTIONS)
      : new BlobServiceClient(account.url, credential ?? new DefaultAzureCredential(), PIPELINE_OPTIONS);
  return service.getContainerClient(container);
}

/** HTTP status of a storage SDK error (RestError), if any. */
export function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status = (err as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The service's error code (`BlobNotFound`, `LeaseAlreadyPresent`, …), if any. */
export function errorCodeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Reads a stream into one buffer, refusing more than `maxBytes` (a blob is attacker-reachable state). */
export async function readBounded(
  stream: NodeJS.ReadableStream | undefined,
  maxBytes: number,
  what: string,
): Promise<Buffer> {
  if (stream === undefined) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buf.length;
    if (total > maxBytes) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw new Error(`${what} is larger than ${maxBytes} bytes; refusing to load it`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
