import { describe, expect, it } from 'vitest';
import { MAX_CARD_BYTES } from '../../src/bot/cards/incidentCard';
import { renderHuntQueryCard } from '../../src/hunting/queryCard';
import type { StoredHuntQuery } from '../../src/hunting/queryStore';
import { MAX_KQL_CHARS } from '../../src/hunting/triggers';

/** Teams' documented limit for a card payload (FACTS.md); the constant under test must stay below it. */
const TEAMS_CARD_LIMIT_BYTES = 28 * 1024;

function stored(query: string): StoredHuntQuery {
  return {
    id: 'q'.repeat(24),
    query,
    title: 'Your query',
    why: 'KQL typed by Alex Analyst',
    engine: 'Your KQL (not rewritten)',
    incidentName: 'inc',
    incidentNumber: 1,
    windowStart: '2026-01-01T00:00:00.000Z',
    windowEnd: '2026-01-02T00:00:00.000Z',
    createdBy: { name: 'Alex Analyst' },
    createdAt: '2026-01-02T00:00:00.000Z',
  };
}

describe('hunt query card size', () => {
  it.each([
    ['markdown characters (escaped on the card)', '[]()*_'],
    ['multi-byte characters', '中'],
  ])('stays within Teams’ 28 KB for a %s query at the length limit', (_what, unit) => {
    const line = `SigninLogs | where UserPrincipalName has "${unit.repeat(120).slice(0, 240)}"`;
    const lines: string[] = [];
    while ((lines.join('\n') + line).length < MAX_KQL_CHARS) lines.push(line);
    const card = renderHuntQueryCard({
      stored: stored(lines.join('\n')),
      schemaTables: 20,
      readTables: ['SigninLogs'],
      rowCap: 1000,
      timeoutSeconds: 60,
    });
    const json = JSON.stringify(card);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(TEAMS_CARD_LIMIT_BYTES);
    expect(MAX_CARD_BYTES).toBeLessThanOrEqual(TEAMS_CARD_LIMIT_BYTES);
    expect(json).toContain('more lines');
  });
});
