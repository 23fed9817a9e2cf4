import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keepLease, StorageLease, type Lease, type LeaseKeeper } from '../../src/storage/lease';
import { MemoryStateStorage } from '../../src/storage/memoryStateStorage';
import { withLogsMuted } from '../support/quietLogs';

const D = 30_000;

/** A lease whose holder can be cut off from storage (calls throw) or killed (calls never return). */
function faulty(lease: Lease): Lease & { partitioned: boolean; dead: boolean } {
  const hang = new Promise<never>(() => undefined);
  const guard =
    <T>(call: () => Promise<T>) =>
    (): Promise<T> => {
      if (wrapper.dead) return hang;
      if (wrapper.partitioned) return Promise.reject(new Error('storage unreachable'));
      return call();
    };
  const wrapper = {
    name: lease.name,
    durationMs: lease.durationMs,
    partitioned: false,
    dead: false,
    tryAcquire: guard(() => lease.tryAcquire()),
    renew: guard(() => lease.renew()),
    release: guard(() => lease.release()),
  };
  return wrapper;
}

describe('keepLease over a StorageLease (virtual time)', () => {
  let storage: MemoryStateStorage;
  const keepers: LeaseKeeper[] = [];
  const events = () => ({ onAcquired: vi.fn(), onLost: vi.fn() });

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    storage = new MemoryStateStorage();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(keepers.splice(0).map((k) => k.stop()));
  });

  function start(lease: Lease, ev = events()): LeaseKeeper {
    const keeper = keepLease(lease, ev);
    keepers.push(keeper);
    return keeper;
  }

  it('one holder at a time: the holder keeps renewing, the other keeps waiting', async () => {
    const aEvents = events();
    const a = start(new StorageLease(storage, 'poller', D), aEvents);
    await vi.advanceTimersByTimeAsync(10);
    const b = start(new StorageLease(storage, 'poller', D));
    for (let t = 0; t < 10 * D; t += 1_000) {
      await vi.advanceTimersByTimeAsync(1_000);
      expect([a.held, b.held]).toEqual([true, false]);
    }
    expect(aEvents.onAcquired).toHaveBeenCalledTimes(1);
    expect(aEvents.onLost).not.toHaveBeenCalled();
  });

  it('a holder that dies (no renewal, no release) is replaced within 2 × the lease time', async () => {
    const aLease = faulty(new StorageLease(storage, 'poller', D));
    // Not stopped after the test: a dead process's keeper never returns from its last call.
    keepLease(aLease, events());
    await vi.advanceTimersByTimeAsync(10);
    const bEvents = events();
    const b = start(new StorageLease(storage, 'poller', D), bEvents);
    await vi.advanceTimersByTimeAsync(D);
    expect(b.held).toBe(false);
    aLease.dead = true;
    await vi.advanceTimersByTimeAsync(2 * D);
    expect(b.held).toBe(true);
    expect(bEvents.onAcquired).toHaveBeenCalledTimes(1);
  });

  it.each([
    { fault: 'partitioned', what: 'renewals fail (storage unreachable)' },
    { fault: 'dead', what: 'a renewal hangs (no answer at all)' },
  ] as const)(
    'when $what, the holder stops its work before anyone else can take the lease',
    async ({ fault }) => {
      const aLease = faulty(new StorageLease(storage, 'poller', D));
      const aEvents = events();
      // Not stopped after the test: with a hung renewal its keeper never returns.
      const a = keepLease(aLease, aEvents);
      await vi.advanceTimersByTimeAsync(10);
      const b = start(new StorageLease(storage, 'poller', D));
      await vi.advanceTimersByTimeAsync(D);
      aLease[fault] = true;
      await withLogsMuted(async () => {
        for (let t = 0; t < 3 * D; t += 250) {
          await vi.advanceTimersByTimeAsync(250);
          expect(a.held && b.held).toBe(false);
        }
      });
      expect([a.held, b.held]).toEqual([false, true]);
      expect(aEvents.onLost).toHaveBeenCalledWith('unconfirmed');
    },
  );

  it('stop() ends the work first, then releases, so the next holder need not wait for the lease to lapse', async () => {
    const order: string[] = [];
    const aLease = new StorageLease(storage, 'poller', D);
    const a = keepLease(aLease, { onAcquired: () => undefined, onLost: (r) => void order.push(`lost:${r}`) });
    await vi.advanceTimersByTimeAsync(10);
    const b = start(new StorageLease(storage, 'poller', D));
    await withLogsMuted(() => a.stop());
    order.push('stopped');
    expect(order).toEqual(['lost:stopping', 'stopped']);
    await vi.advanceTimersByTimeAsync(D / 3);
    expect(b.held).toBe(true);
  });

  it('a holder whose lease was taken (renew refused) reports it and stops', async () => {
    const aLease = new StorageLease(storage, 'poller', D);
    const aEvents = events();
    const a = start(aLease, aEvents);
    await vi.advanceTimersByTimeAsync(10);
    // Someone overwrites the record as if A's lease had lapsed and been taken.
    await storage.write({ 'lease/poller': { holder: 'other', expiresAt: Date.now() + D } });
    await withLogsMuted(() => vi.advanceTimersByTimeAsync(D / 2));
    expect(a.held).toBe(false);
    expect(aEvents.onLost).toHaveBeenCalledWith('taken');
  });
});

describe('StorageLease', () => {
  it('is free again once its holder’s time is up, and a holder can re-take its own lease', async () => {
    let now = 1_000_000;
    const storage = new MemoryStateStorage(() => now);
    const a = new StorageLease(storage, 'x', D, () => now);
    const b = new StorageLease(storage, 'x', D, () => now);
    expect(await a.tryAcquire()).toBe(true);
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.tryAcquire()).toBe(false);
    now += D - 1;
    expect(await b.tryAcquire()).toBe(false);
    now += 1;
    expect(await b.tryAcquire()).toBe(true);
    expect(await a.renew()).toBe(false);
    await b.release();
    expect(await a.tryAcquire()).toBe(true);
  });
});
