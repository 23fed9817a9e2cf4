import { mkdtempSync, promises as fs, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStorage, fileNameForKey } from '../../src/storage/fileStorage';
import { withLogsMuted } from '../support/quietLogs';

const roots: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'filestorage-'));
  roots.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(roots.map((d) => fs.rm(d, { recursive: true, force: true })));
});

describe('FileStorage', () => {
  it('round-trips items and returns only keys that exist', async () => {
    const storage = new FileStorage(tempDir());
    await storage.write({ a: { n: 1 }, 'b/c': { text: 'héllo' } });
    const items = await storage.read(['a', 'b/c', 'missing']);
    expect(Object.keys(items).sort()).toEqual(['a', 'b/c']);
    expect(items.a.n).toBe(1);
    expect(items['b/c'].text).toBe('héllo');
    expect(typeof items.a.eTag).toBe('string');
  });

  it('survives a restart: a second instance on the same directory reads what the first wrote', async () => {
    const dir = tempDir();
    await new FileStorage(dir).write({ 'msteams/bot/conversations/19:abc;messageid=1': { incident: 7 } });
    const again = new FileStorage(dir);
    const items = await again.read(['msteams/bot/conversations/19:abc;messageid=1']);
    expect(items['msteams/bot/conversations/19:abc;messageid=1'].incident).toBe(7);
  });

  it('rejects a write with a stale eTag and accepts the current one, "*" and none', async () => {
    const storage = new FileStorage(tempDir());
    await storage.write({ k: { v: 1 } });
    const first = (await storage.read(['k'])).k;
    await storage.write({ k: { ...first, v: 2 } });
    await expect(storage.write({ k: { ...first, v: 3 } })).rejects.toThrow(/eTag conflict/);
    expect((await storage.read(['k'])).k.v).toBe(2);

    const current = (await storage.read(['k'])).k;
    await storage.write({ k: { ...current, v: 4 } });
    await storage.write({ k: { v: 5, eTag: '*' } });
    await storage.write({ k: { v: 6 } });
    expect((await storage.read(['k'])).k.v).toBe(6);
  });

  it('detects the conflict across two instances on the same directory', async () => {
    const dir = tempDir();
    const a = new FileStorage(dir);
    const b = new FileStorage(dir);
    await a.write({ shared: { v: 0 } });
    const seenByA = (await a.read(['shared'])).shared;
    const seenByB = (await b.read(['shared'])).shared;
    await b.write({ shared: { ...seenByB, v: 'b' } });
    await expect(a.write({ shared: { ...seenByA, v: 'a' } })).rejects.toThrow(/eTag conflict/);
  });

  it('serialises concurrent writes to one key: exactly one of N racing eTag writes wins', async () => {
    const storage = new FileStorage(tempDir());
    await storage.write({ race: { v: -1 } });
    const base = (await storage.read(['race'])).race;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => storage.write({ race: { ...base, v: i } })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const winner = results.findIndex((r) => r.status === 'fulfilled');
    expect((await storage.read(['race'])).race.v).toBe(winner);
  });

  it('writes atomically: no temp files remain and every file is complete JSON', async () => {
    const dir = tempDir();
    const storage = new FileStorage(dir);
    const big = 'x'.repeat(200_000);
    await Promise.all(Array.from({ length: 30 }, (_, i) => storage.write({ [`k${i % 3}`]: { big, i } })));
    const names = readdirSync(dir);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(names).toHaveLength(3);
    for (const name of names) {
      const parsed = JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')) as { item: { big: string } };
      expect(parsed.item.big).toHaveLength(200_000);
    }
  });

  it('maps arbitrary keys to safe, distinct file names', () => {
    const keys = ['../../etc/passwd', 'A', 'a', 'con', '', 'x'.repeat(5000), 'с/ü/😀', 'a:b*c?d|e<f>g"h'];
    const names = keys.filter((k) => k.length > 0).map(fileNameForKey);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    for (const n of names) {
      expect(n).toMatch(/^[a-z0-9_-]+\.[0-9a-f]{24}\.json$/);
      expect(n.length).toBeLessThan(100);
    }
  });

  it('deletes items and ignores keys that do not exist', async () => {
    const storage = new FileStorage(tempDir());
    await storage.write({ gone: { v: 1 }, kept: { v: 2 } });
    await storage.delete(['gone', 'never-existed']);
    expect(Object.keys(await storage.read(['gone', 'kept']))).toEqual(['kept']);
  });

  it('treats a corrupt file as absent and keeps it aside for an operator', async () => {
    const dir = tempDir();
    const storage = new FileStorage(dir);
    await storage.write({ bad: { v: 1 } });
    await fs.writeFile(storage.fileFor('bad'), '{ truncated');
    expect(await withLogsMuted(() => storage.read(['bad']))).toEqual({});
    expect(readdirSync(dir).some((n) => n.includes('.corrupt-'))).toBe(true);
    await storage.write({ bad: { v: 2 } });
    expect((await storage.read(['bad'])).bad.v).toBe(2);
  });

  it('rejects non-object items with a clear error', async () => {
    const storage = new FileStorage(tempDir());
    await expect(storage.write({ k: 'text' as unknown as object })).rejects.toThrow(/must be an object/);
  });
});

describe('FileStorage.expire', () => {
  const DAY = 24 * 60 * 60 * 1000;
  const age = async (storage: FileStorage, key: string, days: number) => {
    const when = new Date(Date.now() - days * DAY);
    await fs.utimes(storage.fileFor(key), when, when);
  };

  it('deletes only old records under a rule, spares what `keep` keeps, never touches other keys', async () => {
    const storage = new FileStorage(tempDir());
    await storage.write({
      'jobs/old-done': { state: 'done' },
      'jobs/old-running': { state: 'running' },
      'jobs/new-done': { state: 'done' },
      'subscriptions/old': { enabled: true },
    });
    await age(storage, 'jobs/old-done', 40);
    await age(storage, 'jobs/old-running', 40);
    await age(storage, 'subscriptions/old', 400);

    const removed = await storage.expire([
      { prefix: 'jobs/', maxAgeMs: 30 * DAY, keep: (item) => item.state === 'running' },
    ]);

    expect(removed).toBe(1);
    const left = await storage.read([
      'jobs/old-done',
      'jobs/old-running',
      'jobs/new-done',
      'subscriptions/old',
    ]);
    expect(Object.keys(left).sort()).toEqual(['jobs/new-done', 'jobs/old-running', 'subscriptions/old']);
  });
});
