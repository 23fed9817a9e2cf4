import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { StoreItem, StoreItems } from 'botbuilder';
import { getLogger } from '../logger';
import { EtagConflictError, type RetentionRule, type StateStorage } from './stateStorage';

export type { RetentionRule } from './stateStorage';

const log = getLogger('storage');

/**
 * Durable botbuilder Storage: one JSON file per key under a directory (default `.data/`).
 *
 * - Writes are atomic (temp file + fsync + rename), so a crash mid-write leaves the old value, never a
 *   half-written file.
 * - Optimistic concurrency follows botbuilder's MemoryStorage: an item written with the `eTag` it was
 *   read with succeeds only if nobody wrote in between; `'*'` or no eTag overwrites.
 * - Operations on the same key are serialised across every FileStorage in this process that points at
 *   the same directory. Separate processes sharing a directory are not coordinated (run one bot
 *   process per data dir).
 */
export class FileStorage implements StateStorage {
  private readonly dir: string;
  private ready: Promise<void> | undefined;

  constructor(dir = '.data') {
    this.dir = path.resolve(dir);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new TypeError('FileStorage.read: keys must be an array of strings');
    await this.ensureDir();
    const items: StoreItems = {};
    await Promise.all(
      keys.map(async (key) => {
        const file = this.fileFor(key);
        const item = await withKeyLock(file, () => readItem(file));
        if (item !== undefined) items[key] = item;
      }),
    );
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (changes === null || typeof changes !== 'object') {
      throw new TypeError('FileStorage.write: changes must be an object of key → item');
    }
    await this.ensureDir();
    await Promise.all(
      Object.entries(changes).map(([key, item]) => {
        const file = this.fileFor(key);
        return withKeyLock(file, () => this.writeItem(key, file, item));
      }),
    );
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new TypeError('FileStorage.delete: keys must be an array of strings');
    await this.ensureDir();
    await Promise.all(
      keys.map((key) => {
        const file = this.fileFor(key);
        return withKeyLock(file, () => fs.rm(file, { force: true }));
      }),
    );
  }

  /** Writes only when the key is absent (atomic even across processes: a hard link never replaces). */
  async create(key: string, item: StoreItem): Promise<string | undefined> {
    await this.ensureDir();
    const file = this.fileFor(key);
    return withKeyLock(file, async () => {
      const stored = { ...item, eTag: newETag() };
      const tmp = await writeTemp(file, JSON.stringify({ key, item: stored }));
      try {
        await fs.link(tmp, file);
      } catch (e) {
        if (isErrnoException(e) && e.code === 'EEXIST') return undefined;
        throw e;
      } finally {
        await fs.rm(tmp, { force: true });
      }
      await syncDir(path.dirname(file));
      return stored.eTag;
    });
  }

  /** Keys under `prefix`: file names carry a slug of the key, so only candidate files are opened. */
  async list(prefix: string): Promise<string[]> {
    await this.ensureDir();
    const slug = slugOf(prefix, false);
    const keys: string[] = [];
    for (const name of await fs.readdir(this.dir)) {
      if (!name.endsWith('.json')) continue;
      const fileSlug = name.slice(0, name.indexOf('.'));
      if (slug !== '' && !fileSlug.startsWith(slug.slice(0, fileSlug.length))) continue;
      const stored = await readStoredFile(path.join(this.dir, name)).catch(() => undefined);
      if (stored && stored.key.startsWith(prefix)) keys.push(stored.key);
    }
    return keys;
  }

  /**
   * Deletes records older than their rule's age (by file modification time, i.e. last write), so
   * per-click and per-hunt records do not pile up for ever. Only keys under a rule's prefix are touched;
   * a rule's `keep` can spare records that must stay (work still running). Returns how many went.
   */
  async expire(rules: readonly RetentionRule[], now = Date.now()): Promise<number> {
    if (rules.length === 0) return 0;
    await this.ensureDir();
    const youngest = Math.min(...rules.map((r) => r.maxAgeMs));
    let removed = 0;
    for (const name of await fs.readdir(this.dir)) {
      if (!name.endsWith('.json')) continue;
      const file = path.join(this.dir, name);
      const stat = await fs.stat(file).catch(() => undefined);
      if (stat === undefined || now - stat.mtimeMs < youngest) continue;
      const stored = await readStoredFile(file).catch(() => undefined);
      if (stored === undefined) continue;
      const rule = rules.find((r) => stored.key.startsWith(r.prefix));
      if (rule === undefined || now - stat.mtimeMs < rule.maxAgeMs) continue;
      if (rule.keep?.(stored.item as Record<string, unknown>)) continue;
      await withKeyLock(file, () => fs.rm(file, { force: true }));
      removed++;
    }
    if (removed > 0) log.info({ removed }, 'expired old records');
    return removed;
  }

  /** The file that holds `key`; exposed for tests and operators inspecting `.data/`. */
  fileFor(key: string): string {
    if (typeof key !== 'string' || key.length === 0) {
      throw new TypeError('FileStorage: keys must be non-empty strings');
    }
    return path.join(this.dir, fileNameForKey(key));
  }

  private async writeItem(key: string, file: string, item: unknown): Promise<void> {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new TypeError(`FileStorage.write: the item for "${key}" must be an object`);
    }
    const incoming = item as StoreItem;
    const expected: unknown = incoming.eTag;
    if (typeof expected === 'string' && expected !== '*') {
      const current = await readItem(file);
      if (current !== undefined && current.eTag !== expected) throw new EtagConflictError(key);
    }
    const stored = { ...incoming, eTag: newETag() };
    const body = JSON.stringify({ key, item: stored });
    await writeAtomically(file, body);
  }

  private ensureDir(): Promise<void> {
    this.ready ??= fs.mkdir(this.dir, { recursive: true }).then(() => removeStaleTempFiles(this.dir));
    return this.ready;
  }
}

/**
 * A readable prefix for humans looking in the folder plus a hash of the exact key, so any key (slashes,
 * `..`, unicode, 10 KB long, differing only in case on a case-insensitive disk) maps to one safe name.
 */
export function fileNameForKey(key: string): string {
  const slug = slugOf(key, true);
  const hash = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 24);
  return `${slug || 'item'}.${hash}.json`;
}

/** The readable part of a file name; `whole` trims the trailing separator a prefix may end with. */
function slugOf(key: string, whole: boolean): string {
  const munged = key
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^_+/, '');
  return (whole ? munged.replace(/_+$/, '') : munged).slice(0, 60);
}

function newETag(): string {
  return `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
}

interface StoredFile {
  key: string;
  item: StoreItem;
}

async function readItem(file: string): Promise<StoreItem | undefined> {
  return (await readStoredFile(file))?.item;
}

async function readStoredFile(file: string): Promise<StoredFile | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if (isErrnoException(e) && e.code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const parsed = JSON.parse(text) as StoredFile;
    if (
      parsed === null ||
      typeof parsed !== 'object' ||
      typeof parsed.key !== 'string' ||
      typeof parsed.item !== 'object' ||
      parsed.item === null
    ) {
      throw new Error('not a stored item');
    }
    return parsed;
  } catch (e) {
    // Atomic writes make this unlikely (a disk error, a hand edit). Keep the bytes for an operator and
    // carry on as if the item were absent, rather than failing every turn of that conversation.
    const aside = `${file}.corrupt-${Date.now()}`;
    log.error({ file, aside, err: e }, 'unreadable storage file moved aside; treating the item as absent');
    await fs.rename(file, aside).catch(() => undefined);
    return undefined;
  }
}

async function writeTemp(file: string, body: string): Promise<string> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await fs.open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(body, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return tmp;
}

async function writeAtomically(file: string, body: string): Promise<void> {
  const tmp = await writeTemp(file, body);
  try {
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  await syncDir(path.dirname(file));
}

/** Makes the rename itself durable; not every platform can open a directory, so failure is tolerated. */
async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot fsync a directory; the rename is still atomic there.
  }
}

async function removeStaleTempFiles(dir: string): Promise<void> {
  const names = await fs.readdir(dir);
  const cutoff = Date.now() - 60_000;
  await Promise.all(
    names
      .filter((n) => n.endsWith('.tmp'))
      .map(async (n) => {
        const full = path.join(dir, n);
        const stat = await fs.stat(full).catch(() => undefined);
        if (stat && stat.mtimeMs < cutoff) await fs.rm(full, { force: true });
      }),
  );
}

const keyLocks = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier task on the same file has settled (per process). */
function withKeyLock<T>(file: string, task: () => Promise<T>): Promise<T> {
  const previous = keyLocks.get(file) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  keyLocks.set(file, settled);
  void settled.then(() => {
    if (keyLocks.get(file) === settled) keyLocks.delete(file);
  });
  return run;
}

function isErrnoException(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && 'code' in e;
}
