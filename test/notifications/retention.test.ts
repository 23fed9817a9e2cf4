import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { notificationsFeature } from '../../src/notifications';
import { OUTBOX_RECORD_PREFIX } from '../../src/notifications/outbox';
import { FileStorage } from '../../src/storage/fileStorage';

it('expires delivery records that can no longer matter and keeps those whose card may still change', async () => {
  const storage = new FileStorage(mkdtempSync(path.join(os.tmpdir(), 'outbox-retention-')));
  const key = (name: string) => `${OUTBOX_RECORD_PREFIX}conv/${name}`;
  const records: Record<string, object> = {
    'sent-closed': { state: 'sent', incident: { status: 'Closed' } },
    'sent-open': { state: 'sent', incident: { status: 'Active' } },
    'sent-closed-update-pending': { state: 'sent', updatePending: true, incident: { status: 'Closed' } },
    pending: { state: 'pending', incident: { status: 'New' } },
    digested: { state: 'digested', incident: { status: 'New' } },
    failed: { state: 'failed', incident: { status: 'New' } },
  };
  await storage.write(Object.fromEntries(Object.entries(records).map(([n, r]) => [key(n), r])));
  const old = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000);
  for (const name of Object.keys(records)) await fs.utimes(storage.fileFor(key(name)), old, old);

  await storage.expire(notificationsFeature.retention ?? []);

  const left = await storage.read(Object.keys(records).map(key));
  expect(Object.keys(left).sort()).toEqual(
    ['pending', 'sent-closed-update-pending', 'sent-open'].map(key).sort(),
  );
});
