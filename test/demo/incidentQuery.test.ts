import { describe, expect, it } from 'vitest';
import { parseIncidentFilter, parseIncidentOrderBy } from '../../src/demo/incidentQuery';
import type { StoredIncident } from '../../src/demo/storeTypes';

function incident(
  number: number,
  status: StoredIncident['status'],
  severity: StoredIncident['severity'],
  created: string,
): StoredIncident {
  return {
    name: `n${number}`,
    etag: '"e"',
    number,
    title: `t${number}`,
    description: '',
    severity,
    status,
    owner: { ownerType: 'Unknown' },
    labels: [],
    createdTimeUtc: created,
    lastModifiedTimeUtc: created,
    providerName: 'Azure Sentinel',
    providerIncidentId: String(number),
    relatedAnalyticRuleIds: [],
    tactics: [],
    techniques: [],
    alerts: [],
    entities: [],
    comments: [],
    tasks: [],
    bookmarks: [],
  };
}

const ALL = [
  incident(1, 'New', 'High', '2026-11-01T10:00:00Z'),
  incident(2, 'Active', 'Medium', '2026-11-02T10:00:00Z'),
  incident(3, 'Closed', 'Low', '2026-11-03T10:00:00Z'),
  incident(4, 'New', 'Medium', '2026-11-04T10:00:00Z'),
];

function numbers(filter: string): number[] {
  return ALL.filter(parseIncidentFilter(filter)).map((i) => i.number);
}

describe('parseIncidentFilter', () => {
  it('compares status and severity case-insensitively with eq/ne', () => {
    expect(numbers("properties/status eq 'new'")).toEqual([1, 4]);
    expect(numbers("properties/status ne 'Closed'")).toEqual([1, 2, 4]);
    expect(numbers("properties/severity eq 'Medium'")).toEqual([2, 4]);
  });

  it('compares numbers and datetimes, bare ISO or datetime literal', () => {
    expect(numbers('properties/incidentNumber ge 3')).toEqual([3, 4]);
    expect(numbers('properties/createdTimeUtc gt 2026-11-02T10:00:00Z')).toEqual([3, 4]);
    expect(numbers("properties/createdTimeUtc le datetime'2026-11-02T10:00:00.000Z'")).toEqual([1, 2]);
    expect(numbers('properties/lastModifiedTimeUtc lt 2026-11-02T00:00:00+00:00')).toEqual([1]);
  });

  it('combines with and/or and parentheses, and binds and tighter than or', () => {
    expect(
      numbers(
        "properties/status eq 'New' and properties/severity eq 'High' or properties/incidentNumber eq 3",
      ),
    ).toEqual([1, 3]);
    expect(
      numbers(
        "properties/status eq 'New' and (properties/severity eq 'High' or properties/incidentNumber eq 4)",
      ),
    ).toEqual([1, 4]);
  });

  it.each([
    ["substringof('x', properties/title)", "function 'substringof'"],
    ["properties/title eq 'x'", "property 'properties/title'"],
    ["properties/status gt 'New'", 'only eq and ne'],
    ["properties/incidentNumber eq '3'", 'compares with a number'],
    ['properties/createdTimeUtc gt 2026-13-45T00:00:00Z', 'not a valid ISO 8601 datetime'],
    ["properties/status eq 'New' and", 'ends too early'],
    ["(properties/status eq 'New'", "missing ')'"],
    ["properties/status foo 'New'", 'expected an operator'],
  ])('refuses %s with a 400 naming the problem', (filter, fragment) => {
    expect(() => parseIncidentFilter(filter)).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringContaining(fragment) }),
    );
  });

  it('does not mistake a parenthesis inside a string for a function', () => {
    expect(numbers("properties/status eq 'New(' or properties/incidentNumber eq 2")).toEqual([2]);
  });
});

describe('parseIncidentOrderBy', () => {
  it('orders by the named field and direction, newest first by default', () => {
    expect([...ALL].sort(parseIncidentOrderBy(undefined)).map((i) => i.number)).toEqual([4, 3, 2, 1]);
    expect([...ALL].sort(parseIncidentOrderBy('properties/incidentNumber asc')).map((i) => i.number)).toEqual(
      [1, 2, 3, 4],
    );
    expect(
      [...ALL].sort(parseIncidentOrderBy('properties/createdTimeUtc desc')).map((i) => i.number),
    ).toEqual([4, 3, 2, 1]);
  });

  it('refuses unsupported fields', () => {
    expect(() => parseIncidentOrderBy('properties/title asc')).toThrow(
      expect.objectContaining({ status: 400 }),
    );
  });
});
