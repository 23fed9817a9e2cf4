import { describe, expect, it } from 'vitest';
import { EtagConflictError, isEtagConflict, type StateStorage } from '../../src/storage/stateStorage';

/**
 * The StateStorage contract, run against every backend (file, memory, Azure Blob on Azurite), so the
 * features above it can rely on one set of semantics whichever backend is configured.
 */
export function describeStateStorageContract(
  name: string,
  make: () => Promise<StateStorage> | StateStorage,
): void {
  describe(`${name}: StateStorage contract`, () => {
    it('create writes only when absent; the loser gets undefined and the first value stays', async () => {
      const storage = await make();
      const first = await storage.create('claim/1', { owner: 'a' });
      const second = await storage.create('claim/1', { owner: 'b' });
      expect(typeof first).toBe('string');
      expect(second).toBeUndefined();
      const item = (await storage.read(['claim/1']))['claim/1'];
      expect(item.owner).toBe('a');
      expect(item.eTag).toBe(first);
    });

    it('of many concurrent creates of one key exactly one wins', async () => {
      const storage = await make();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, n) => storage.create('claim/race', { n })),
      );
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    });

    it('a conditional write with a stale eTag throws EtagConflictError; the current eTag wins', async () => {
      const storage = await make();
      await storage.write({ k: { v: 1 } });
      const seen = (await storage.read(['k'])).k;
      await storage.write({ k: { ...seen, v: 2 } });
      const stale = storage.write({ k: { ...seen, v: 3 } });
      await expect(stale).rejects.toBeInstanceOf(EtagConflictError);
      await stale.catch((err: unknown) => expect(isEtagConflict(err)).toBe(true));
      expect((await storage.read(['k'])).k.v).toBe(2);
    });

    it('"*" and a missing eTag overwrite', async () => {
      const storage = await make();
      await storage.write({ k: { v: 1 } });
      await storage.write({ k: { v: 2, eTag: '*' } });
      expect((await storage.read(['k'])).k.v).toBe(2);
      await storage.write({ k: { v: 3 } });
      expect((await storage.read(['k'])).k.v).toBe(3);
    });

    it('list returns exactly the keys under a prefix, including keys with any characters', async () => {
      const storage = await make();
      const keys = [
        'outbox/19:abc;messageid=1/inc-1',
        'outbox/19:abc/inc-2',
        'outboxes',
        'sub/1',
        'Outbox/x',
      ];
      for (const key of keys) await storage.write({ [key]: { key } });
      expect((await storage.list('outbox/')).sort()).toEqual(
        ['outbox/19:abc/inc-2', 'outbox/19:abc;messageid=1/inc-1'].sort(),
      );
      expect((await storage.list('outbox')).sort()).toEqual(
        ['outbox/19:abc/inc-2', 'outbox/19:abc;messageid=1/inc-1', 'outboxes'].sort(),
      );
      await storage.delete(['outboxes']);
      expect(await storage.list('outboxes')).toEqual([]);
    });

    it('a key thousands of characters long round-trips, lists under its prefix and deletes', async () => {
      const storage = await make();
      const long = `hunt/${'q:;@/'.repeat(1_000)}`;
      await storage.write({ [long]: { v: 1 } });
      expect((await storage.read([long]))[long]?.v).toBe(1);
      expect(await storage.list('hunt/q:;@/')).toEqual([long]);
      await storage.delete([long]);
      expect(await storage.read([long])).toEqual({});
    });

    it('expire removes old records under a rule, spares kept ones and other prefixes', async () => {
      const storage = await make();
      await storage.write({
        'job/old': { state: 'done' },
        'job/running': { state: 'running' },
        'other/x': {},
      });
      const removed = await storage.expire(
        [{ prefix: 'job/', maxAgeMs: 5_000, keep: (item) => item.state === 'running' }],
        Date.now() + 60_000,
      );
      expect(removed).toBe(1);
      expect(Object.keys(await storage.read(['job/old', 'job/running', 'other/x'])).sort()).toEqual([
        'job/running',
        'other/x',
      ]);
    });
  });
}
