/**
 * StateStorage operation latency, file vs Azure Blob Storage (Azurite on loopback, in memory): p50 and
 * p95 of each contract operation, one at a time (latency, not throughput). Azurite on loopback shows the
 * client-side and protocol cost; a real storage account adds the network round trip (a few ms in-region).
 *
 *   npx tsx bench/storage.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configureLogging } from '../src/logger';
import { AzureBlobStorage } from '../src/storage/azureBlobStorage';
import { createContainerClient } from '../src/storage/blobContainer';
import { FileStorage } from '../src/storage/fileStorage';
import type { StateStorage } from '../src/storage/stateStorage';
import { startAzurite } from '../test/support/azurite';

const ROUNDS = 300;
const LISTED = 200;
// A teams-ai conversation state record of a typical size (~4 KB).
const ITEM = { conversation: { history: Array.from({ length: 20 }, (_, i) => `message ${i} `.repeat(16)) } };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function time(op: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    await op(i);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

async function measure(storage: StateStorage): Promise<Record<string, { p50: number; p95: number }>> {
  const key = 'msteams/bot/conversations/19:abc@thread.tacv2;messageid=1';
  await storage.write({ [key]: ITEM });
  for (let i = 0; i < LISTED; i++) await storage.write({ [`outbox/record/19:c${i}/inc-${i}`]: { i } });
  return {
    read: await time(() => storage.read([key])),
    'write (unconditional)': await time(() => storage.write({ [key]: { ...ITEM, eTag: '*' } })),
    'read + conditional write': await time(async () => {
      const seen = (await storage.read([key]))[key];
      await storage.write({ [key]: { ...seen } });
    }),
    'create (new key)': await time((i) => storage.create(`claim/${i}`, { owner: 'bench' })),
    'create (key exists)': await time(() => storage.create('claim/0', { owner: 'bench' })),
    [`list (${LISTED} keys)`]: await time(() => storage.list('outbox/record/')),
  };
}

async function main(): Promise<void> {
  configureLogging('silent');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-storage-'));
  const azurite = await startAzurite();
  try {
    const file = await measure(new FileStorage(dir));
    const azure = await measure(
      new AzureBlobStorage(
        createContainerClient(
          { kind: 'connectionString', connectionString: azurite.connectionString },
          'bench',
        ),
      ),
    );
    console.log(`StateStorage latency, ${ROUNDS} sequential operations each (ms)\n`);
    console.log('| operation | file p50 | file p95 | Azure (Azurite) p50 | Azure (Azurite) p95 |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const op of Object.keys(file)) {
      const f = file[op] as { p50: number; p95: number };
      const a = azure[op] as { p50: number; p95: number };
      console.log(
        `| ${op} | ${f.p50.toFixed(2)} | ${f.p95.toFixed(2)} | ${a.p50.toFixed(2)} | ${a.p95.toFixed(2)} |`,
      );
    }
  } finally {
    await azurite.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
