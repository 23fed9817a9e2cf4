import type { StoreItem, StoreItems } from 'botbuilder';
import { EtagConflictError, type RetentionRule, type StateStorage } from './stateStorage';

interface Entry {
  item: StoreItem;
  writtenAt: number;
}

/** In-memory StateStorage with the same semantics as the durable backends; for unit tests and benches. */
export class MemoryStateStorage implements StateStorage {
  private readonly entries = new Map<string, Entry>();
  private counter = 0;

  constructor(private readonly now: () => number = Date.now) {}

  read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry) items[key] = structuredClone(entry.item);
    }
    return Promise.resolve(items);
  }

  write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const incoming = item as StoreItem;
      const current = this.entries.get(key);
      const expected: unknown = incoming.eTag;
      if (current && typeof expected === 'string' && expected !== '*' && expected !== current.item.eTag) {
        return Promise.reject(new EtagConflictError(key));
      }
      this.put(key, incoming);
    }
    return Promise.resolve();
  }

  delete(keys: string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
    return Promise.resolve();
  }

  create(key: string, item: StoreItem): Promise<string | undefined> {
    if (this.entries.has(key)) return Promise.resolve(undefined);
    return Promise.resolve(this.put(key, item));
  }

  list(prefix: string): Promise<string[]> {
    return Promise.resolve([...this.entries.keys()].filter((k) => k.startsWith(prefix)));
  }

  expire(rules: readonly RetentionRule[], now = this.now()): Promise<number> {
    let removed = 0;
    for (const [key, entry] of [...this.entries]) {
      const rule = rules.find((r) => key.startsWith(r.prefix));
      if (!rule || now - entry.writtenAt < rule.maxAgeMs) continue;
      if (rule.keep?.(entry.item as Record<string, unknown>)) continue;
      this.entries.delete(key);
      removed++;
    }
    return Promise.resolve(removed);
  }

  private put(key: string, item: StoreItem): string {
    const eTag = `m${++this.counter}`;
    this.entries.set(key, { item: structuredClone({ ...item, eTag }), writtenAt: this.now() });
    return eTag;
  }
}
