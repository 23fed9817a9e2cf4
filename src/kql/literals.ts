/**
 * Entity values come from alerts and therefore from attackers (a crafted UPN, URL or file name).
 * They reach KQL only through this function: a double-quoted literal with backslash escapes, so no
 * quote, backslash, newline or pipe can end the literal and inject operators.
 */
export function kqlString(value: string): string {
  let escaped = '';
  for (const ch of value) {
    switch (ch) {
      case '\\':
        escaped += '\\\\';
        break;
      case '"':
        escaped += '\\"';
        break;
      case '\n':
        escaped += '\\n';
        break;
      case '\r':
        escaped += '\\r';
        break;
      case '\t':
        escaped += '\\t';
        break;
      default: {
        const code = ch.codePointAt(0) ?? 0;
        // Other control characters have no meaning in an indicator and are not all escapable in KQL.
        escaped += code < 0x20 || code === 0x7f ? ' ' : ch;
      }
    }
  }
  return `"${escaped}"`;
}

/** `datetime(...)` literal for an instant; throws on an unparseable timestamp. */
export function kqlDatetime(value: Date): string {
  if (Number.isNaN(value.getTime())) throw new RangeError('Invalid date for a KQL datetime literal');
  return `datetime(${value.toISOString()})`;
}

const TIMESPAN_UNITS_MS: Record<string, number> = {
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
  microsecond: 0.001,
  microseconds: 0.001,
  tick: 0.0001,
  ticks: 0.0001,
};

/** A KQL timespan literal in milliseconds: `1d`, `1.5h`, `time(1d)`, `timespan(00:30:00)`, `1.02:03:04`. */
export function timespanMilliseconds(text: string): number | null {
  let body = text.trim();
  const wrapped = /^(?:time|timespan)\s*\((.*)\)$/i.exec(body);
  if (wrapped?.[1] !== undefined) body = wrapped[1].trim();
  const unit = /^(-?\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(body);
  if (unit?.[1] !== undefined && unit[2] !== undefined) {
    const factor = TIMESPAN_UNITS_MS[unit[2].toLowerCase()];
    return factor === undefined ? null : Number(unit[1]) * factor;
  }
  const clock = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/.exec(body);
  if (clock) {
    const [, sign, days, hours, minutes, seconds, fraction] = clock;
    const ms =
      Number(days ?? 0) * 86_400_000 +
      Number(hours) * 3_600_000 +
      Number(minutes) * 60_000 +
      Number(seconds ?? 0) * 1000 +
      Number(`0.${fraction ?? '0'}`) * 1000;
    return sign ? -ms : ms;
  }
  // A bare number in a timespan() is days.
  if (/^-?\d+(?:\.\d+)?$/.test(body)) return Number(body) * 86_400_000;
  return null;
}
