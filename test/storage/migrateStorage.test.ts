import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { AzureBlobStorage } from '../../src/storage/azureBlobStorage';
import { createContainerClient } from '../../src/storage/blobContainer';
import { FileStorage } from '../../src/storage/fileStorage';
import { azuriteConnectionString } from '../support/azureStorage';
import { REPO_ROOT } from '../support/paths';

const run = promisify(execFile);
const SCRIPT = path.join(REPO_ROOT, 'scripts', 'migrate-storage.ts');

const RECORDS = {
  'msteams/bot/conversations/19:abc@thread.tacv2;messageid=1': { conversation: { history: ['hi'] } },
  'incident-context/a%3A1-personal-29%3A1': { incidentNumber: 7 },
  'outbox/record/19:x/inc-1': { state: 'posted', activityId: 'a1' },
  [`hunt/${'q'.repeat(2_000)}`]: { kql: 'SigninLogs | take 10' },
};

async function migrate(env: Record<string, string>, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
  });
  return stdout;
}

describe('npm run migrate-storage (DATA_DIR → Azure Storage on Azurite)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
  });

  it('copies every record, is idempotent, never overwrites what the container already has', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'migrate-'));
    dirs.push(dataDir);
    const source = new FileStorage(dataDir);
    await source.write(RECORDS);
    const container = `migrate-${randomBytes(6).toString('hex')}`;
    const env = {
      STORAGE: 'azure',
      AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(),
      AZURE_STORAGE_CONTAINER: container,
      DATA_DIR: dataDir,
    };
    const target = new AzureBlobStorage(
      createContainerClient(
        { kind: 'connectionString', connectionString: azuriteConnectionString() },
        container,
      ),
    );

    expect(await migrate(env, '--dry-run')).toContain('would copy 4, already in Azure Storage 0');
    expect(await target.list('')).toEqual([]);

    expect(await migrate(env)).toContain('copied 4, already in Azure Storage 0, vanished 0');
    const copied = await target.read(Object.keys(RECORDS));
    for (const [key, item] of Object.entries(RECORDS)) expect(copied[key]).toMatchObject(item);

    // The bot moves on in Azure; a late record appears in the old directory; the command runs again.
    await target.write({ 'incident-context/a%3A1-personal-29%3A1': { incidentNumber: 9 } });
    await source.write({ 'subscriptions/late': { severity: 'High' } });
    expect(await migrate(env)).toContain('copied 1, already in Azure Storage 4');
    const after = await target.read(['incident-context/a%3A1-personal-29%3A1', 'subscriptions/late']);
    expect(after['incident-context/a%3A1-personal-29%3A1']?.incidentNumber).toBe(9);
    expect(after['subscriptions/late']?.severity).toBe('High');
    expect(await migrate(env)).toContain('copied 0, already in Azure Storage 5');
  });

  it('refuses to run without an Azure target, naming what to set', async () => {
    const failed = migrate({ STORAGE: '', DATA_DIR: os.tmpdir() });
    await expect(failed).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('STORAGE=azure') });
  });
});
