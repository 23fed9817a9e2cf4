import type { Storage, StoreItem } from 'botbuilder';

/**
 * The durable state contract every feature codes against. It is botbuilder's `Storage` (so teams-ai
 * turn state works on it unchanged) plus the few operations that make several writers safe:
 *
 * - `write` with an item's `eTag` (as read) is a conditional write: it throws an `EtagConflictError`
 *   when someone else wrote the key since. `eTag: '*'` or no eTag overwrites unconditionally. As in
 *   botbuilder's MemoryStorage, a conditional write to a key that does not exist succeeds (teams-ai
 *   relies on it); use `create` when "absent" must be checked.
 * - `create` writes only when the key is absent — the primitive for claims and "first one wins"
 *   records, atomic across every process sharing the backend.
 * - `list` enumerates keys under a prefix, so indexes can be rebuilt from the records they index.
 * - `expire` is housekeeping by age.
 *
 * Implementations: `FileStorage` (one process per DATA_DIR) and, for several instances,
 * `AzureBlobStorage` (STORAGE=azure; `createStateStorage` picks one). `MemoryStateStorage` serves unit
 * tests. All three pass `test/storage/stateStorageContract.ts`.
 */
export interface StateStorage extends Storage {
  /** Writes `item` under `key` only if the key does not exist. Returns the new eTag, or undefined when it existed. */
  create(key: string, item: StoreItem): Promise<string | undefined>;
  /** Every key that starts with `prefix` (any order). */
  list(prefix: string): Promise<string[]>;
  /** Deletes records older than their rule's age (last write); returns how many went. */
  expire(rules: readonly RetentionRule[], now?: number): Promise<number>;
}

/** How long records under a key prefix are kept (declared by the feature that writes them). */
export interface RetentionRule {
  prefix: string;
  maxAgeMs: number;
  /** True for records to keep regardless of age. */
  keep?(item: Record<string, unknown>): boolean;
}

/** A conditional write lost: the key changed (or vanished) since it was read. */
export class EtagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'EtagConflictError';
  }
}

/** True for our conflict error and for botbuilder MemoryStorage's equivalent message. */
export function isEtagConflict(err: unknown): boolean {
  if (err instanceof EtagConflictError) return true;
  return err instanceof Error && /eTag conflict/i.test(err.message);
}

export function isStateStorage(storage: Storage): storage is StateStorage {
  const s = storage as Partial<StateStorage>;
  return typeof s.create === 'function' && typeof s.list === 'function' && typeof s.expire === 'function';
}
