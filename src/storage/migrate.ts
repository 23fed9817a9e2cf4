import { mapBounded } from './blobContainer';
import type { StateStorage } from './stateStorage';

export interface MigrationReport {
  /** Records written to the target. */
  copied: number;
  /** Records the target already had (left as they are: once the bot runs on the target, it is authoritative). */
  alreadyThere: number;
  /** Keys listed in the source that vanished before they could be read. */
  vanished: number;
}

/**
 * Copies every record of `source` that `target` does not have yet (create-if-absent), so it can be run
 * again after an interruption, or while instances already run on the target, without overwriting
 * anything newer. `dryRun` only counts.
 */
export async function migrateState(
  source: StateStorage,
  target: StateStorage,
  options: { dryRun?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<MigrationReport> {
  const keys = (await source.list('')).sort();
  const report: MigrationReport = { copied: 0, alreadyThere: 0, vanished: 0 };
  let done = 0;
  await mapBounded(keys, 8, async (key) => {
    const item = (await source.read([key]))[key];
    if (item === undefined) {
      report.vanished++;
    } else if (options.dryRun) {
      const present = (await target.read([key]))[key] !== undefined;
      report[present ? 'alreadyThere' : 'copied']++;
    } else {
      const { eTag: _sourceETag, ...rest } = item;
      void _sourceETag;
      report[(await target.create(key, rest)) === undefined ? 'alreadyThere' : 'copied']++;
    }
    options.onProgress?.(++done, keys.length);
  });
  return report;
}
