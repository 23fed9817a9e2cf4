import { describe, expect, it } from 'vitest';
import { MAX_CARD_BYTES } from '../../src/bot/cards/incidentCard';
import type { QueryTable } from '../../src/domain/types';
import { huntTaskDescription, huntTaskId, huntTaskTitle } from '../../src/hunting/addTask';
import { renderHuntQueryCard } from '../../src/hunting/queryCard';
import type { StoredHuntQuery } from '../../src/hunting/queryStore';
import { cellText, renderHuntResultsCard } from '../../src/hunting/resultsCard';
import { cardText, queryShown, tableRows } from './huntHarness';

function wideTable(rows: number, columns: number, cell: (r: number, c: number) => unknown): QueryTable {
  return {
    name: 'PrimaryResult',
    columns: Array.from({ length: columns }, (_, c) => ({
      name: `Column_${c}_${'x'.repeat(20)}`,
      type: 'string' as const,
    })),
    rows: Array.from({ length: rows }, (_, r) => Array.from({ length: columns }, (_, c) => cell(r, c))),
  };
}

describe('results card', () => {
  it('stays within 28 KB for a wide, long result and says what it cut', () => {
    const table = wideTable(50, 31, (r, c) => `${r}:${c} ${'Ω€😀<b>[x](https://evil)'.repeat(40)}`);
    const rendered = renderHuntResultsCard({ incidentNumber: 1, title: 'Wide', summary: '50 rows', table });
    expect(rendered.bytes).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(Buffer.byteLength(JSON.stringify(rendered.card))).toBe(rendered.bytes);
    expect(rendered.shownRows).toBeGreaterThan(0);
    expect(rendered.shownRows).toBeLessThan(50);
    expect(cardText(rendered.card)).toMatch(
      new RegExp(
        `Showing ${rendered.shownRows} of 50 rows, ${rendered.shownColumns} of 31 columns; cells cut at \\d+ chars\\.`,
      ),
    );
    const rows = tableRows(rendered.card);
    expect(rows).toHaveLength(rendered.shownRows + 1);
    expect(rows.every((r) => r.length === rendered.shownColumns)).toBe(true);
    // Cell text is escaped: no live markdown link survives.
    expect(JSON.stringify(rendered.card)).not.toContain('[x](https');
  });

  it('keeps a small result whole and says nothing about cutting', () => {
    const table = wideTable(3, 2, (r, c) => `v${r}${c}`);
    const rendered = renderHuntResultsCard({ incidentNumber: 2, title: 'Small', summary: '3 rows', table });
    expect(tableRows(rendered.card)).toEqual([
      ['Column\\_0\\_xxxxxxxxxxxxxxxxxxxx', 'Column\\_1\\_xxxxxxxxxxxxxxxxxxxx'],
      ['v00', 'v01'],
      ['v10', 'v11'],
      ['v20', 'v21'],
    ]);
    expect(cardText(rendered.card)).not.toMatch(/Showing|cut at/);
    expect(rendered.card.version).toBe('1.5');
  });

  it('shows "no table" for an empty result instead of an empty grid', () => {
    const rendered = renderHuntResultsCard({
      incidentNumber: 2,
      title: 'None',
      summary: '0 rows',
      table: wideTable(0, 3, () => ''),
    });
    expect((rendered.card.body as { type: string }[]).some((b) => b.type === 'Table')).toBe(false);
  });

  it('formats cells as Log Analytics values read', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(new Date('2026-11-16T01:40:00Z'))).toBe('2026-11-16T01:40:00.000Z');
    expect(cellText({ a: [1] })).toBe('{"a":[1]}');
    expect(cellText(42)).toBe('42');
  });
});

describe('query card', () => {
  const stored: StoredHuntQuery = {
    id: 'abcdefghijklmnopqrstuvwx',
    query: 'SigninLogs\n| where UserPrincipalName =~ "x](https://evil) ${$root.queryId} <at>"',
    title: 'Sign-ins by [boss](https://evil)',
    why: 'why',
    engine: 'Template (no language model)',
    incidentName: 'inc',
    incidentNumber: 4,
    windowStart: '2026-11-15T00:00:00.000Z',
    windowEnd: '2026-11-17T00:00:00.000Z',
    createdBy: { name: 'A' },
    createdAt: '2026-11-16T00:00:00.000Z',
  };

  it('shows the query in monospace lines, escaped, and buttons carry only the id', () => {
    const card = renderHuntQueryCard({
      stored,
      schemaTables: 20,
      readTables: ['SigninLogs'],
      rowCap: 50,
      timeoutSeconds: 60,
    });
    expect(card.version).toBe('1.5');
    const json = JSON.stringify(card);
    expect(json).not.toContain('](https://evil)');
    expect(json).not.toContain('${');
    // Shown as written, except that a URL in it is defanged (no live foreign link in a card).
    expect(queryShown(card)).toBe(stored.query.replace('https://', 'hxxps://'));
    const actions = card.actions as { data: Record<string, unknown> }[];
    expect(actions.map((a) => a.data)).toEqual([
      { verb: 'hunt.run', queryId: stored.id },
      { verb: 'hunt.addTask', queryId: stored.id },
    ]);
  });
});

describe('hunt task', () => {
  it('has a deterministic UUID-shaped id per incident and query', () => {
    const id = huntTaskId('inc-1', 'SigninLogs | take 1');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(huntTaskId('inc-1', 'SigninLogs | take 1')).toBe(id);
    expect(huntTaskId('inc-2', 'SigninLogs | take 1')).not.toBe(id);
    expect(huntTaskId('inc-1', 'SigninLogs | take 2')).not.toBe(id);
  });

  it('caps the title at 150 characters; the description is plain text (the gateway escapes it)', () => {
    expect(huntTaskTitle('x'.repeat(300))).toHaveLength(150);
    const description = huntTaskDescription('Why <b>', 'T | where a == "<script>"', 'Dana <Ruiz>');
    expect(description).toBe(
      'Why <b>\n\nQuery:\nT | where a == "<script>"\n\nAdded from Teams by Dana <Ruiz>',
    );
  });
});
