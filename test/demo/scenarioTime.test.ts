import { describe, expect, it } from 'vitest';
import {
  InvalidDatetimeError,
  isIsoDatetime,
  parseIsoDatetime,
  shiftDatetimes,
} from '../../src/demo/scenarioTime';
import { thrown } from '../support/thrown';

const HOUR = 3_600_000;

describe('scenario pack date-times', () => {
  it('parses the ISO-8601 forms Azure writes, zone-less as UTC', () => {
    const utc = Date.UTC(2026, 10, 20, 8, 30, 0);
    expect(parseIsoDatetime('2026-11-20T08:30:00Z')).toBe(utc);
    expect(parseIsoDatetime('2026-11-20T08:30Z')).toBe(utc);
    expect(parseIsoDatetime('2026-11-20T08:30:00')).toBe(utc);
    expect(parseIsoDatetime('2026-11-20T10:30:00+02:00')).toBe(utc);
    expect(parseIsoDatetime('2026-11-20T03:30:00-0500')).toBe(utc);
    expect(parseIsoDatetime('2026-11-20T08:30:00.1234567Z')).toBe(utc + 123);
  });

  it('rejects what is not entirely a date-time, and impossible dates', () => {
    for (const notOne of [
      '2026-11-20',
      'at 2026-11-20T08:30:00Z',
      '2026-11-20T08:30:00Z.',
      '20261120T083000Z',
    ])
      expect(isIsoDatetime(notOne), notOne).toBe(false);
    for (const impossible of ['2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-11-20T24:00:00Z'])
      expect(parseIsoDatetime(impossible), impossible).toBeUndefined();
  });

  it('shifts every date-time string at any depth and leaves every other value alone', () => {
    const pack = {
      when: '2026-11-20T08:30:00Z',
      nested: { list: [{ at: '2026-11-20T10:30:00+02:00' }, 'text 2026-11-20T08:30:00Z', 7, null, true] },
      dateOnly: '2026-11-20',
    };
    expect(shiftDatetimes(pack, 2 * HOUR)).toEqual({
      when: '2026-11-20T10:30:00.000Z',
      nested: { list: [{ at: '2026-11-20T10:30:00.000Z' }, 'text 2026-11-20T08:30:00Z', 7, null, true] },
      dateOnly: '2026-11-20',
    });
  });

  it('reports the path of a string shaped like a date-time that is not a valid one', () => {
    const bad = { logs: { SigninLogs: [{ TimeGenerated: '2026-02-30T00:00:00Z' }] } };
    const err = thrown(() => shiftDatetimes(bad, 0), InvalidDatetimeError);
    expect(err).toMatchObject({ path: ['logs', 'SigninLogs', 0, 'TimeGenerated'] });
  });

  it('keeps a "__proto__" key as data', () => {
    const shifted = shiftDatetimes(JSON.parse('{"__proto__": {"polluted": true}}'), 0) as object;
    expect(Object.getPrototypeOf(shifted)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(shifted, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
