/**
 * Scalar functions beyond the first set (functions.ts): strings, dates, arrays and bags, IP
 * addresses, math and the series functions, as published Sentinel queries use them.
 */
import type { ColumnType } from '../../domain/types';
import { num, type ScalarFunction } from './functions';
import { re2 } from './re2';
import { seriesDecomposeAnomalies, seriesFitLine, seriesOutliers } from './series';
import { Timespan, formatTimespan, isDynamic, toDate, toKustoString, valuesEqual } from './values';

const str = (value: unknown): string => toKustoString(value);
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const DAY = 86_400_000;

function dateFn(fn: (d: Date) => unknown): ScalarFunction {
  return ([value]) => {
    const date = toDate(value);
    return date ? fn(date) : null;
  };
}

function ipv4ToNumber(text: string): number | null {
  const parts = text.trim().split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const part of parts) {
    const v = Number(part);
    if (!/^\d{1,3}$/.test(part) || v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

function ipv4InRange(address: unknown, range: unknown): boolean | null {
  const [net, bitsText] = str(range).split('/');
  const ip = ipv4ToNumber(str(address));
  const base = ipv4ToNumber(net ?? '');
  if (ip === null || base === null) return null;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) return null;
  const size = 2 ** (32 - bits);
  return Math.floor(ip / size) === Math.floor(base / size);
}

function startOf(unit: 'week' | 'month' | 'year'): ScalarFunction {
  return dateFn((d) => {
    if (unit === 'week') return new Date(Math.floor(d.getTime() / DAY) * DAY - d.getUTCDay() * DAY);
    if (unit === 'month') return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
    return new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  });
}

const PART_MS: Record<string, number> = {
  day: DAY,
  hour: 3_600_000,
  minute: 60_000,
  second: 1000,
  millisecond: 1,
  week: 7 * DAY,
};

function datetimeAdd(part: unknown, amount: unknown, value: unknown): Date | null {
  const date = toDate(value);
  const n = num(amount);
  if (!date || n === null) return null;
  const unit = str(part).toLowerCase();
  if (unit === 'month' || unit === 'year' || unit === 'quarter') {
    const months = unit === 'year' ? 12 * n : unit === 'quarter' ? 3 * n : n;
    const out = new Date(date);
    out.setUTCMonth(out.getUTCMonth() + months);
    return out;
  }
  const ms = PART_MS[unit];
  return ms === undefined ? null : new Date(date.getTime() + n * ms);
}

function datetimePart(part: unknown, value: unknown): number | null {
  const d = toDate(value);
  if (!d) return null;
  switch (str(part).toLowerCase()) {
    case 'year':
      return d.getUTCFullYear();
    case 'quarter':
      return Math.floor(d.getUTCMonth() / 3) + 1;
    case 'month':
      return d.getUTCMonth() + 1;
    case 'day':
      return d.getUTCDate();
    case 'dayofyear':
      return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY) + 1;
    case 'hour':
      return d.getUTCHours();
    case 'minute':
      return d.getUTCMinutes();
    case 'second':
      return d.getUTCSeconds();
    case 'millisecond':
      return d.getUTCMilliseconds();
    default:
      return null;
  }
}

/**
 * parse_command_line(cmd, 'windows'): arguments split the way CommandLineToArgvW does: whitespace
 * separates, double quotes group (a doubled quote inside quotes is a literal quote), and backslashes
 * escape a quote.
 */
function parseCommandLine(text: string): string[] {
  const args: string[] = [];
  let current = '';
  let quoted = false;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '\\' && text[i + 1] === '"') {
      current += '"';
      started = true;
      i++;
    } else if (ch === '"') {
      if (quoted && text[i + 1] === '"') {
        current += '"';
        i++;
      } else quoted = !quoted;
      started = true;
    } else if (!quoted && /\s/.test(ch)) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (started) args.push(current);
  return args;
}

/** dynamic_to_json writes bags with their keys sorted. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isDynamic(value))
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  return value ?? null;
}

function bagOrEmpty(value: unknown): Record<string, unknown> {
  return isDynamic(value) && !Array.isArray(value) ? value : {};
}

function uniqueValues(values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) if (!out.some((o) => valuesEqual(o, v) || (o === null && v === null))) out.push(v);
  return out;
}

function base64Decode(value: unknown): string | null {
  const text = str(value);
  if (!/^[A-Za-z0-9+/=\s_-]*$/.test(text)) return null;
  return Buffer.from(text, 'base64').toString('utf8');
}

export const MORE_FUNCTIONS: Record<string, ScalarFunction> = {
  hourofday: dateFn((d) => d.getUTCHours()),
  dayofmonth: dateFn((d) => d.getUTCDate()),
  dayofyear: dateFn((d) => datetimePart('dayofyear', d)),
  getmonth: dateFn((d) => d.getUTCMonth() + 1),
  monthofyear: dateFn((d) => d.getUTCMonth() + 1),
  getyear: dateFn((d) => d.getUTCFullYear()),
  weekofyear: dateFn((d) => Math.ceil(((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY + 1) / 7)),
  startofweek: startOf('week'),
  startofmonth: startOf('month'),
  startofyear: startOf('year'),
  endofday: dateFn((d) => new Date(Math.floor(d.getTime() / DAY) * DAY + DAY - 1)),
  datetime_add: ([part, amount, value]) => datetimeAdd(part, amount, value),
  datetime_part: ([part, value]) => datetimePart(part, value),
  unixtime_seconds_todatetime: ([v]) => (num(v) === null ? null : new Date((num(v) ?? 0) * 1000)),
  unixtime_milliseconds_todatetime: ([v]) => (num(v) === null ? null : new Date(num(v) ?? 0)),
  format_timespan: ([v]) => (v instanceof Timespan ? formatTimespan(v) : null),
  replace_regex: ([value, pattern, rewrite]) =>
    str(value).replace(re2(str(pattern), 'g'), str(rewrite).replace(/\\(\d)/g, '$$$1')),
  replace: ([pattern, rewrite, value]) =>
    str(value).replace(re2(str(pattern), 'g'), str(rewrite).replace(/\\(\d)/g, '$$$1')),
  countof: ([value, search, kind]) => {
    const text = str(value);
    if (str(kind).toLowerCase() === 'regex') return [...text.matchAll(re2(str(search), 'g'))].length;
    const needle = str(search);
    if (needle === '') return 0;
    let count = 0;
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) count++;
    return count;
  },
  reverse: ([value]) => [...str(value)].reverse().join(''),
  strcmp: ([a, b]) => (str(a) < str(b) ? -1 : str(a) > str(b) ? 1 : 0),
  strrep: ([value, times, delimiter]) => {
    const n = Math.min(Math.max(0, num(times) ?? 0), 10_000);
    return Array.from({ length: n }, () => str(value)).join(str(delimiter ?? ''));
  },
  trim_start: ([pattern, value]) => str(value).replace(re2(`^(?:${str(pattern)})`), ''),
  trim_end: ([pattern, value]) => str(value).replace(re2(`(?:${str(pattern)})$`), ''),
  url_decode: ([value]) => {
    try {
      return decodeURIComponent(str(value).replace(/\+/g, ' '));
    } catch {
      return null;
    }
  },
  url_encode: ([value]) => encodeURIComponent(str(value)),
  base64_decode_tostring: ([value]) => base64Decode(value),
  base64_encode_tostring: ([value]) => Buffer.from(str(value), 'utf8').toString('base64'),
  tohex: ([value]) => (num(value) === null ? null : Math.trunc(num(value) ?? 0).toString(16)),
  isascii: ([value]) => [...str(value)].every((ch) => (ch.codePointAt(0) ?? 0) < 128),
  isnan: ([value]) => typeof value === 'number' && Number.isNaN(value),
  strcat_array: ([values, delimiter]) => arr(values).map(str).join(str(delimiter)),
  array_concat: (args) => args.flatMap(arr),
  array_slice: ([values, start, end]) => {
    const list = arr(values);
    const from = num(start) ?? 0;
    const to = num(end) ?? list.length - 1;
    const norm = (i: number): number => (i < 0 ? list.length + i : i);
    return list.slice(norm(from), norm(to) + 1);
  },
  array_index_of: ([values, value]) => arr(values).findIndex((v) => valuesEqual(v, value)),
  array_sort_asc: ([values]) =>
    [...arr(values)].sort((a, b) => (str(a) < str(b) ? -1 : str(a) > str(b) ? 1 : 0)),
  array_sort_desc: ([values]) =>
    [...arr(values)].sort((a, b) => (str(a) < str(b) ? 1 : str(a) > str(b) ? -1 : 0)),
  array_reverse: ([values]) => [...arr(values)].reverse(),
  array_sum: ([values]) => arr(values).reduce<number>((a, v) => a + (num(v) ?? 0), 0),
  set_union: (args) => uniqueValues(args.flatMap(arr)),
  set_intersect: ([first, ...rest]) =>
    uniqueValues(arr(first)).filter((v) => rest.every((r) => arr(r).some((x) => valuesEqual(x, v)))),
  set_difference: ([first, ...rest]) =>
    uniqueValues(arr(first)).filter((v) => !rest.some((r) => arr(r).some((x) => valuesEqual(x, v)))),
  bag_keys: ([bag]) => Object.keys(bagOrEmpty(bag)),
  bag_has_key: ([bag, key]) => Object.prototype.hasOwnProperty.call(bagOrEmpty(bag), str(key)),
  bag_merge: (args) => Object.assign({}, ...args.map(bagOrEmpty).reverse()),
  bag_remove_keys: ([bag, keys]) => {
    const removed = new Set(arr(keys).map(str));
    return Object.fromEntries(Object.entries(bagOrEmpty(bag)).filter(([key]) => !removed.has(key)));
  },
  ipv4_is_in_range: ([address, range]) => ipv4InRange(address, range),
  ipv4_is_match: ([a, b]) => ipv4InRange(a, b),
  ipv4_compare: ([a, b]) => {
    const x = ipv4ToNumber(str(a).split('/')[0] ?? '');
    const y = ipv4ToNumber(str(b).split('/')[0] ?? '');
    return x === null || y === null ? null : Math.sign(x - y);
  },
  parse_ipv4: ([value]) => ipv4ToNumber(str(value)),
  ipv4_is_in_any_range: ([address, ...ranges]) =>
    ranges.flatMap((r) => (Array.isArray(r) ? r : [r])).some((r) => ipv4InRange(address, r) === true),
  has_any_index: ([value, values]) =>
    arr(values).findIndex((v) => str(value).toLowerCase().includes(str(v).toLowerCase())),
  log: ([v]) => (num(v) === null ? null : Math.log(num(v) ?? 0)),
  log10: ([v]) => (num(v) === null ? null : Math.log10(num(v) ?? 0)),
  log2: ([v]) => (num(v) === null ? null : Math.log2(num(v) ?? 0)),
  exp: ([v]) => (num(v) === null ? null : Math.exp(num(v) ?? 0)),
  pow: ([a, b]) => (num(a) === null || num(b) === null ? null : (num(a) ?? 0) ** (num(b) ?? 0)),
  sqrt: ([v]) => (num(v) === null ? null : Math.sqrt(num(v) ?? 0)),
  ceiling: ([v]) => (num(v) === null ? null : Math.ceil(num(v) ?? 0)),
  sign: ([v]) => (num(v) === null ? null : Math.sign(num(v) ?? 0)),
  min_of: (args) =>
    args
      .filter((a) => a !== null && a !== undefined)
      .reduce<unknown>((a, b) => (a === undefined || (num(b) ?? 0) < (num(a) ?? 0) ? b : a), undefined) ??
    null,
  max_of: (args) =>
    args
      .filter((a) => a !== null && a !== undefined)
      .reduce<unknown>((a, b) => (a === undefined || (num(b) ?? 0) > (num(a) ?? 0) ? b : a), undefined) ??
    null,
  binary_and: ([a, b]) => Number(BigInt(Math.trunc(num(a) ?? 0)) & BigInt(Math.trunc(num(b) ?? 0))),
  binary_or: ([a, b]) => Number(BigInt(Math.trunc(num(a) ?? 0)) | BigInt(Math.trunc(num(b) ?? 0))),
  series_fit_line: ([series]) => seriesFitLine(series),
  series_outliers: ([series]) => seriesOutliers(series),
  series_decompose_anomalies: ([series, threshold]) => seriesDecomposeAnomalies(series, threshold),
  series_stats_dynamic: ([series]) => {
    const values = arr(series).map((v) => num(v) ?? 0);
    const n = values.length;
    const avg = n ? values.reduce((a, b) => a + b, 0) / n : 0;
    const variance = n > 1 ? values.reduce((a, v) => a + (v - avg) ** 2, 0) / (n - 1) : 0;
    return {
      min: n ? Math.min(...values) : null,
      max: n ? Math.max(...values) : null,
      avg,
      stdev: Math.sqrt(variance),
      variance,
    };
  },
  zip: (args) => {
    const lists = args.map(arr);
    const length = Math.max(0, ...lists.map((l) => l.length));
    return Array.from({ length }, (_, i) => lists.map((l) => l[i] ?? null));
  },
  new_guid: () => crypto.randomUUID(),
  parse_command_line: ([value]) => parseCommandLine(str(value)),
  dynamic_to_json: ([value]) => JSON.stringify(sortKeys(value)),
  hash: ([value]) => {
    let h = 0;
    for (const ch of str(value)) h = (Math.imul(h, 31) + (ch.codePointAt(0) ?? 0)) | 0;
    return Math.abs(h);
  },
};

export const MORE_RESULT_TYPES: Record<string, ColumnType> = {
  hourofday: 'int',
  dayofmonth: 'int',
  dayofyear: 'int',
  getmonth: 'int',
  monthofyear: 'int',
  getyear: 'int',
  weekofyear: 'int',
  startofweek: 'datetime',
  startofmonth: 'datetime',
  startofyear: 'datetime',
  endofday: 'datetime',
  datetime_add: 'datetime',
  datetime_part: 'int',
  replace_regex: 'string',
  replace: 'string',
  countof: 'long',
  url_decode: 'string',
  base64_decode_tostring: 'string',
  strcat_array: 'string',
  array_concat: 'dynamic',
  set_union: 'dynamic',
  bag_keys: 'dynamic',
  ipv4_is_in_range: 'bool',
  ipv4_is_match: 'bool',
  series_fit_line: 'dynamic',
};
