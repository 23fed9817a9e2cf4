/** Scalar functions of the demo engine: the subset the bot's templates and the corpus use. */
import type { ColumnType } from '../../domain/types';
import { MORE_FUNCTIONS, MORE_RESULT_TYPES } from './moreFunctions';
import { re2 } from './re2';
import { Timespan, parseTimespan, toDate, toKustoString, unsupported } from './values';

export type ScalarFunction = (args: unknown[], now: Date) => unknown;

/** A number from a Kusto value (numbers, booleans, numeric strings), else null. */
export const num = (value: unknown): number | null => {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return null;
};

const str = (value: unknown): string => toKustoString(value);

const isEmpty = (value: unknown): boolean => value === null || value === undefined || value === '';

function toDynamic(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

const DAY_MS = 86_400_000;

function startOfDay(value: unknown): Date | null {
  const date = toDate(value);
  if (!date) return null;
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
}

function bin(value: unknown, size: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date && size instanceof Timespan && size.ms > 0) {
    return new Date(Math.floor(value.getTime() / size.ms) * size.ms);
  }
  if (value instanceof Timespan && size instanceof Timespan && size.ms > 0) {
    return new Timespan(Math.floor(value.ms / size.ms) * size.ms);
  }
  const n = num(value);
  const s = num(size);
  return n === null || s === null || s <= 0 ? null : Math.floor(n / s) * s;
}

const DATETIME_PARTS: Record<string, number> = {
  week: 7 * DAY_MS,
  day: DAY_MS,
  hour: 3_600_000,
  minute: 60_000,
  second: 1000,
  millisecond: 1,
};

function datetimeDiff(part: unknown, a: unknown, b: unknown): number | null {
  const first = toDate(a);
  const second = toDate(b);
  const unit = str(part).toLowerCase();
  if (!first || !second) return null;
  if (unit === 'year') return first.getUTCFullYear() - second.getUTCFullYear();
  if (unit === 'month') {
    return (
      (first.getUTCFullYear() - second.getUTCFullYear()) * 12 + first.getUTCMonth() - second.getUTCMonth()
    );
  }
  const size = DATETIME_PARTS[unit];
  if (size === undefined) throw unsupported('datetime_diff part', unit);
  return Math.floor(first.getTime() / size) - Math.floor(second.getTime() / size);
}

function formatDatetime(value: unknown, format: unknown): string | null {
  const date = toDate(value);
  if (!date) return null;
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const parts: Record<string, string> = {
    yyyy: String(date.getUTCFullYear()),
    yy: pad(date.getUTCFullYear() % 100),
    MM: pad(date.getUTCMonth() + 1),
    dd: pad(date.getUTCDate()),
    HH: pad(date.getUTCHours()),
    hh: pad(date.getUTCHours() % 12 || 12),
    mm: pad(date.getUTCMinutes()),
    ss: pad(date.getUTCSeconds()),
    fff: pad(date.getUTCMilliseconds(), 3),
    tt: date.getUTCHours() < 12 ? 'AM' : 'PM',
  };
  return str(format).replace(/yyyy|yy|MM|dd|HH|hh|mm|ss|fff|tt/g, (token) => parts[token] ?? token);
}

function caseOf(args: unknown[]): unknown {
  for (let i = 0; i + 1 < args.length; i += 2) if (args[i] === true) return args[i + 1];
  return args.length % 2 === 1 ? args[args.length - 1] : null;
}

function isPrivateIpv4(value: unknown): boolean | null {
  const parts = str(value).split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
  const [a = 0, b = 0] = parts;
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

export const SCALAR_FUNCTIONS: Record<string, ScalarFunction> = {
  ago: ([span], now) => (span instanceof Timespan ? new Date(now.getTime() - span.ms) : null),
  now: ([offset], now) => (offset instanceof Timespan ? new Date(now.getTime() + offset.ms) : now),
  not: ([value]) => (typeof value === 'boolean' ? !value : null),
  isempty: ([value]) => isEmpty(value),
  isnotempty: ([value]) => !isEmpty(value),
  isnull: ([value]) => value === null || value === undefined,
  isnotnull: ([value]) => value !== null && value !== undefined,
  tolower: ([value]) => str(value).toLowerCase(),
  toupper: ([value]) => str(value).toUpperCase(),
  strcat: (args) => args.map(str).join(''),
  strcat_delim: ([delim, ...rest]) => rest.map(str).join(str(delim)),
  strlen: ([value]) => str(value).length,
  substring: ([value, start, length]) => {
    const s = str(value);
    const from = Math.max(0, num(start) ?? 0);
    const count = num(length);
    return count === null ? s.slice(from) : s.slice(from, from + Math.max(0, count));
  },
  split: ([value, delimiter, index]) => {
    const parts = str(value).split(str(delimiter));
    if (index === undefined) return parts;
    const i = num(index);
    const part = i === null ? undefined : parts[i < 0 ? parts.length + i : i];
    return part === undefined ? [] : [part];
  },
  trim: ([pattern, value]) => {
    const source = typeof pattern === 'string' ? pattern : '\\s+';
    return str(value).replace(re2(`^(?:${source})|(?:${source})$`, 'g'), '');
  },
  replace_string: ([value, find, replacement]) => str(value).split(str(find)).join(str(replacement)),
  indexof: ([value, find]) => str(value).indexOf(str(find)),
  extract: ([pattern, group, value]) => {
    const match = re2(str(pattern)).exec(str(value));
    const g = num(group) ?? 0;
    return match?.[g] ?? null;
  },
  extract_all: ([pattern, value]) => {
    const matches = [...str(value).matchAll(re2(str(pattern), 'g'))];
    return matches.map((m) => (m.length > 2 ? m.slice(1) : (m[1] ?? m[0])));
  },
  parse_url: ([value]) => parseUrl(str(value)),
  tostring: ([value]) => str(value),
  toint: ([value]) => {
    // A timespan converts to its ticks (100 ns), as in Kusto.
    const n = value instanceof Timespan ? value.ms * 10_000 : num(value);
    return n === null ? null : Math.trunc(n);
  },
  tolong: ([value]) => {
    const n = value instanceof Timespan ? value.ms * 10_000 : num(value);
    return n === null ? null : Math.trunc(n);
  },
  todouble: ([value]) => num(value),
  toreal: ([value]) => num(value),
  tobool: ([value]) =>
    typeof value === 'boolean' ? value : ['true', '1'].includes(str(value).toLowerCase()),
  todatetime: ([value]) => toDate(value),
  totimespan: ([value]) => (value instanceof Timespan ? value : parseTimespan(str(value))),
  iff: ([condition, then, otherwise]) => (condition === true ? then : otherwise),
  iif: ([condition, then, otherwise]) => (condition === true ? then : otherwise),
  case: caseOf,
  coalesce: (args) => args.find((a) => !isEmpty(a)) ?? null,
  format_datetime: ([value, format]) => formatDatetime(value, format),
  datetime_diff: ([part, a, b]) => datetimeDiff(part, a, b),
  bin: ([value, size]) => bin(value, size),
  floor: ([value, size]) => bin(value, size),
  startofday: ([value]) => startOfDay(value),
  dayofweek: ([value]) => {
    const date = toDate(value);
    return date ? new Timespan(date.getUTCDay() * DAY_MS) : null;
  },
  parse_json: ([value]) => toDynamic(value),
  todynamic: ([value]) => toDynamic(value),
  array_length: ([value]) => (Array.isArray(value) ? value.length : null),
  pack_array: (args) => args,
  bag_pack: (args) => packBag(args),
  pack: (args) => packBag(args),
  set_has_element: ([set, value]) => (Array.isArray(set) ? set.some((v) => str(v) === str(value)) : false),
  abs: ([value]) => {
    const n = num(value);
    return n === null ? null : Math.abs(n);
  },
  round: ([value, digits]) => {
    const n = num(value);
    const factor = 10 ** (num(digits) ?? 0);
    return n === null ? null : Math.round(n * factor) / factor;
  },
  ipv4_is_private: ([value]) => isPrivateIpv4(value),
  // The demo keeps no ingestion metadata.
  ingestion_time: () => null,
};

function parseUrl(text: string): Record<string, unknown> {
  try {
    const url = new URL(text);
    return {
      Scheme: url.protocol.replace(/:$/, ''),
      Host: url.hostname,
      Port: url.port,
      Path: url.pathname,
      Username: url.username,
      Password: url.password,
      'Query Parameters': Object.fromEntries(url.searchParams.entries()),
      Fragment: url.hash.replace(/^#/, ''),
    };
  } catch {
    return {};
  }
}

function packBag(args: unknown[]): Record<string, unknown> {
  const bag: Record<string, unknown> = {};
  for (let i = 0; i + 1 < args.length; i += 2) bag[str(args[i])] = args[i + 1];
  return bag;
}

/** Declared result types, so an empty result still reports the right column type. */
const RESULT_TYPES: Record<string, ColumnType> = {
  ago: 'datetime',
  now: 'datetime',
  todatetime: 'datetime',
  startofday: 'datetime',
  not: 'bool',
  isempty: 'bool',
  isnotempty: 'bool',
  isnull: 'bool',
  isnotnull: 'bool',
  tobool: 'bool',
  set_has_element: 'bool',
  ipv4_is_private: 'bool',
  tolower: 'string',
  toupper: 'string',
  strcat: 'string',
  strcat_delim: 'string',
  substring: 'string',
  tostring: 'string',
  trim: 'string',
  replace_string: 'string',
  extract: 'string',
  format_datetime: 'string',
  strlen: 'long',
  indexof: 'long',
  toint: 'int',
  tolong: 'long',
  datetime_diff: 'long',
  array_length: 'long',
  todouble: 'real',
  toreal: 'real',
  round: 'real',
  totimespan: 'timespan',
  dayofweek: 'timespan',
  split: 'dynamic',
  extract_all: 'dynamic',
  parse_url: 'dynamic',
  parse_json: 'dynamic',
  todynamic: 'dynamic',
  pack_array: 'dynamic',
  bag_pack: 'dynamic',
  pack: 'dynamic',
};

export function functionResultType(name: string): ColumnType | undefined {
  const current = DEPRECATED[name] ?? name;
  return RESULT_TYPES[current] ?? MORE_RESULT_TYPES[current];
}

/** Whether the engine implements the scalar function `name` (under its name or a deprecated one). */
export function isScalarFunction(name: string): boolean {
  const current = DEPRECATED[name] ?? name;
  return (
    Object.prototype.hasOwnProperty.call(SCALAR_FUNCTIONS, current) ||
    Object.prototype.hasOwnProperty.call(MORE_FUNCTIONS, current)
  );
}

/** Names Kusto still accepts for functions that were renamed. */
const DEPRECATED: Record<string, string> = {
  arraylength: 'array_length',
  parsejson: 'parse_json',
  pack_dictionary: 'bag_pack',
};

export function callScalarFunction(name: string, args: unknown[], now: Date): unknown {
  const current = DEPRECATED[name] ?? name;
  const fn = SCALAR_FUNCTIONS[current] ?? MORE_FUNCTIONS[current];
  if (!fn) throw unsupported('function', name);
  return fn(args, now);
}
