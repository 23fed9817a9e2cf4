import { describe, expect, it } from 'vitest';
import {
  DIGEST_MAX_ITEMS,
  chunkForDigest,
  digestHeading,
  renderDigestCard,
} from '../../src/notifications/digest';
import { makeIncident } from './fakes';

describe('digest card', () => {
  it('summarises counts by severity, most severe first', () => {
    const incidents = [
      ...Array.from({ length: 3 }, (_, i) => makeIncident(i, 0, { severity: 'Low' })),
      ...Array.from({ length: 2 }, (_, i) => makeIncident(10 + i, 0, { severity: 'High' })),
      ...Array.from({ length: 9 }, (_, i) => makeIncident(20 + i, 0, { severity: 'Medium' })),
    ];
    expect(digestHeading(incidents)).toBe('14 new incidents: 2 High, 9 Medium, 3 Low');
  });

  it('stays under 28 KB with the most rows and long hostile titles', () => {
    const incidents = Array.from({ length: DIGEST_MAX_ITEMS }, (_, i) =>
      makeIncident(100_000 + i, 0, {
        title: `${'[x](https://e.example) ${$root} '.repeat(20)}`,
        severity: 'High',
      }),
    );
    const card = renderDigestCard(incidents, { part: 1, parts: 2, total: 80 });
    const json = JSON.stringify(card.content);
    expect(Buffer.byteLength(json)).toBeLessThan(28 * 1024);
    expect(json).not.toContain('[x](https');
    expect(json).not.toContain('${$root}');
    expect(json).toContain('Part 1 of 2');
  });

  it('splits a burst into parts in order', () => {
    expect(chunkForDigest([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
