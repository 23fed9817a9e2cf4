/**
 * The shift rule of scenario packs: every string that is entirely an ISO-8601 date-time moves by
 * (now - anchor), so a pack written once always describes "the last few days".
 */

/** `YYYY-MM-DDTHH:MM[:SS[.fraction]][Z|±HH:MM]`; no zone means UTC, as Azure's own timestamps. */
const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch milliseconds of an ISO-8601 date-time, or undefined when `value` is not one. */
export function parseIsoDatetime(value: string): number | undefined {
  const m = ISO_DATETIME.exec(value);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? '0')) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(utc);
  // Date.UTC rolls 2026-02-30 over to March; a date that does not survive the round trip is invalid.
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
    return undefined;
  const zone = m[8];
  if (zone === undefined || zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  return utc - sign * offsetMinutes * 60_000;
}

export function isIsoDatetime(value: string): boolean {
  return parseIsoDatetime(value) !== undefined;
}

/** True for strings shaped like a date-time, valid or not (so an impossible date is reported). */
export function looksLikeIsoDatetime(value: string): boolean {
  return ISO_DATETIME.test(value);
}

export class InvalidDatetimeError extends Error {
  constructor(
    readonly path: (string | number)[],
    readonly value: string,
  ) {
    super(`"${value}" looks like a date-time but is not a valid one`);
    this.name = 'InvalidDatetimeError';
  }
}

/**
 * A copy of `value` with every date-time string moved by `offsetMs` and written as
 * `YYYY-MM-DDTHH:MM:SS.mmmZ`. Callers bound the nesting depth first (this recurses).
 */
export function shiftDatetimes(value: unknown, offsetMs: number): unknown {
  // One path array, pushed and popped, copied only for an error: packs hold ~10^5 values.
  const path: (string | number)[] = [];
  const shift = (item: unknown): unknown => {
    if (typeof item === 'string') {
      if (!looksLikeIsoDatetime(item)) return item;
      const ms = parseIsoDatetime(item);
      if (ms === undefined) throw new InvalidDatetimeError([...path], item);
      return new Date(ms + offsetMs).toISOString();
    }
    if (Array.isArray(item))
      return item.map((child, i) => {
        path.push(i);
        const shifted = shift(child);
        path.pop();
        return shifted;
      });
    if (item !== null && typeof item === 'object') {
      // fromEntries defines own properties, so a "__proto__" key stays data instead of a prototype.
      return Object.fromEntries(
        Object.entries(item).map(([key, child]) => {
          path.push(key);
          const shifted = shift(child);
          path.pop();
          return [key, shifted];
        }),
      );
    }
    return item;
  };
  return shift(value);
}
