import type { LogRecord } from '../logTables';
import type { Prng } from '../prng';
import type { Timeline } from './timeline';

/** What each row module needs: somewhere to write, the clock, and a seeded source of variety. */
export interface RowContext {
  append(table: string, record: LogRecord): void;
  t: Timeline;
  prng: Prng;
}
