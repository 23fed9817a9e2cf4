/**
 * What one query may cost the demo workspace: a deadline and a number of cells (rows × columns) it
 * may produce across all its operators. Checked cooperatively where rows are produced (every
 * operator's output, inside join and expand loops), so a runaway query ends in a Log Analytics-style
 * error; the worker thread's heap limit and termination (isolatedEngine.ts) back this up.
 */
import { EngineError } from './values';

export interface BudgetLimits {
  /** Epoch milliseconds after which the query is cut. */
  deadline: number;
  /** Cells (rows × columns) the query may produce in all. */
  maxCells: number;
}

export const DEFAULT_MAX_CELLS = 10_000_000;

export class QueryBudget {
  private cells = 0;
  private sinceClockCheck = 0;

  constructor(
    private readonly limits: BudgetLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  static unlimited(): QueryBudget {
    return new QueryBudget({ deadline: Infinity, maxCells: Infinity });
  }

  /** Accounts for `rows` rows of `columns` columns just produced; throws when over a limit. */
  charge(rows: number, columns: number): void {
    this.cells += rows * Math.max(1, columns);
    if (this.cells > this.limits.maxCells) {
      throw new EngineError(
        'LimitsExceeded',
        `Query execution has exceeded the allowed limits: it produced more than ${this.limits.maxCells.toLocaleString('en-US')} cells (rows × columns). Narrow the time range, filter earlier or summarize.`,
      );
    }
    this.sinceClockCheck += rows;
    if (this.sinceClockCheck >= 1_000) this.checkClock();
  }

  /** Throws when the deadline has passed. Cheap enough to call per produced row via charge(). */
  checkClock(): void {
    this.sinceClockCheck = 0;
    if (this.clock() > this.limits.deadline) {
      throw new EngineError(
        'LimitsExceeded',
        'Query execution has exceeded the allowed limits: it ran past the server timeout and was cancelled. Narrow the time range, filter earlier or summarize.',
      );
    }
  }
}
