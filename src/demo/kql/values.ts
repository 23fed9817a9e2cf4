/**
 * Runtime values of the demo KQL engine. Kusto scalars map to JS values: string, number (int, long,
 * real), boolean, Date (datetime), Timespan, null, and plain JSON arrays / objects (dynamic).
 */
import type { ColumnType } from '../../domain/types';
import { timespanMilliseconds } from '../../kql/literals';

export class Timespan {
  constructor(readonly ms: number) {}
}

/** A column of an intermediate result. */
export interface FrameColumn {
  name: string;
  type: ColumnType;
}

export type Row = Record<string, unknown>;

/** A tabular value flowing through the pipe. */
export interface Frame {
  columns: FrameColumn[];
  rows: Row[];
}

/** A query error in Log Analytics' shape (code BadArgumentError + inner code). */
export class EngineError extends Error {
  constructor(
    readonly innerCode: 'SemanticError' | 'SyntaxError' | 'LimitsExceeded',
    message: string,
  ) {
    super(message);
  }
}

export function unsupported(what: string, name: string): EngineError {
  return new EngineError('SemanticError', `The demo workspace does not support the '${name}' ${what}`);
}

/** `1d`, `2h`, `30m`, `1.5s`, `time(1d)`, `timespan(00:30:00)`, `1.02:03:04`. */
export function parseTimespan(text: string): Timespan | null {
  const ms = timespanMilliseconds(text);
  return ms === null ? null : new Timespan(ms);
}

/** ISO-8601 duration (P1D, PT12H, P1DT2H30M) in milliseconds, or null. */
export function parseIsoDuration(text: string): number | null {
  const match =
    /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(
      text.trim(),
    );
  if (!match || text.trim().toUpperCase() === 'P' || /T$/i.test(text.trim())) return null;
  const [, weeks, days, hours, minutes, seconds] = match;
  return (
    Number(weeks ?? 0) * 7 * 86_400_000 +
    Number(days ?? 0) * 86_400_000 +
    Number(hours ?? 0) * 3_600_000 +
    Number(minutes ?? 0) * 60_000 +
    Number(seconds ?? 0) * 1000
  );
}

export function toDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = new Date(/^\d{4}-\d{2}-\d{2} /.test(value) ? value.replace(' ', 'T') : value);
    return Number.isNaN(parsed.getTime()) ? null : parsed;
  }
  if (typeof value === 'number') return new Date(value);
  return null;
}

export function isDynamic(value: unknown): value is unknown[] | Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !(value instanceof Date) && !(value instanceof Timespan)
  );
}

export function formatTimespan(span: Timespan): string {
  const sign = span.ms < 0 ? '-' : '';
  let rest = Math.abs(span.ms);
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const pad = (n: number): string => String(Math.floor(n)).padStart(2, '0');
  const hours = rest / 3_600_000;
  const minutes = (rest % 3_600_000) / 60_000;
  const seconds = (rest % 60_000) / 1000;
  const fraction = rest % 1000 ? `.${String(Math.round(rest % 1000)).padStart(3, '0')}0000` : '';
  return `${sign}${days ? `${days}.` : ''}${pad(hours)}:${pad(minutes)}:${pad(seconds)}${fraction}`;
}

/** Kusto's tostring(): null → "", datetime → ISO, dynamic → JSON. */
export function toKustoString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Timespan) return formatTimespan(value);
  if (isDynamic(value)) return JSON.stringify(value);
  return String(value);
}

/** The column type a value would have if nothing better is known. */
export function typeOfValue(value: unknown): ColumnType | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'long' : 'real';
  if (value instanceof Date) return 'datetime';
  if (value instanceof Timespan) return 'timespan';
  return 'dynamic';
}

/** Converts a stored cell to its runtime value according to the column type. */
export function fromCell(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'datetime':
      return toDate(value);
    case 'timespan':
      return value instanceof Timespan ? value : typeof value === 'string' ? parseTimespan(value) : null;
    case 'dynamic':
      if (typeof value === 'string') {
        try {
          return JSON.parse(value) as unknown;
        } catch {
          return value;
        }
      }
      return value;
    case 'int':
    case 'long':
    case 'real':
    case 'decimal':
      return typeof value === 'number' ? value : Number.isNaN(Number(value)) ? null : Number(value);
    case 'bool':
      return typeof value === 'boolean' ? value : value === 'true' || value === 1 || value === 'True';
    default:
      return typeof value === 'string' ? value : toKustoString(value);
  }
}

/** Converts a runtime value to the JSON cell Log Analytics returns. */
export function toCell(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Timespan) return formatTimespan(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

/** Total order used by sort/top/min/max: numbers, dates, timespans, then strings. */
export function compareValues(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  const x = comparable(a);
  const y = comparable(b);
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const xs = String(x);
  const ys = String(y);
  return xs < ys ? -1 : xs > ys ? 1 : 0;
}

function comparable(value: unknown): number | string {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  if (value instanceof Timespan) return value.ms;
  return toKustoString(value);
}

/** Equality as `==` sees it (dates by instant, dynamic by JSON). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  if (isDynamic(a) || isDynamic(b)) return toKustoString(a) === toKustoString(b);
  return compareValues(a, b) === 0;
}

/** A stable key for grouping, distinct and joins. */
export function groupKey(values: unknown[]): string {
  return JSON.stringify(
    values.map((v) =>
      v instanceof Date ? `d:${v.getTime()}` : v instanceof Timespan ? `t:${v.ms}` : (v ?? null),
    ),
  );
}
