import type { AdaptiveCard } from '@microsoft/teams-ai';
import { Template } from 'adaptivecards-templating';
import queryTemplate from '../../adaptive-cards/hunt-query.json';
import { VERBS } from '../../adaptive-cards/verbs';
import { cardText } from '../bot/cards/cardText';
import { MAX_CARD_BYTES } from '../bot/cards/incidentCard';
import type { StoredHuntQuery } from './queryStore';

/** Long analyst pastes are shown in part; the full text stays in the store and is what runs. */
const MAX_QUERY_LINES = 60;
const MAX_LINE_CHARS = 300;

export interface HuntQueryCardView {
  stored: StoredHuntQuery;
  /** Tables in the schema the query was validated against. */
  schemaTables: number;
  /** Tables the query reads. */
  readTables: string[];
  rowCap: number;
  timeoutSeconds: number;
  /** e.g. "Ran at 10:42 UTC by Dana Ruiz: 12 rows". */
  note?: string;
}

/**
 * The query card. Entity values inside the query come from alerts (attacker-shaped), so every line is
 * passed through cardText: markdown is escaped and template syntax defused before the card is built.
 */
export function renderHuntQueryCard(view: HuntQueryCardView): AdaptiveCard {
  // 60 long lines of escaped or multi-byte text can reach ~80 KB, which Teams refuses to post.
  for (let maxLines = MAX_QUERY_LINES; ; maxLines = Math.floor(maxLines / 2)) {
    const card = expand(view, maxLines);
    if (maxLines <= 1 || Buffer.byteLength(JSON.stringify(card)) <= MAX_CARD_BYTES) return card;
  }
}

function expand(view: HuntQueryCardView, maxLines: number): AdaptiveCard {
  const { stored } = view;
  const lines = stored.query.replace(/\r\n?/g, '\n').split('\n');
  const shown = lines.slice(0, maxLines).map((line) => ({ text: cardText(line, MAX_LINE_CHARS) || ' ' }));
  if (lines.length > maxLines) shown.push({ text: `… ${lines.length - maxLines} more lines` });
  const reads = view.readTables.length > 0 ? `; reads ${view.readTables.join(', ')}` : '';
  const data = {
    verbs: VERBS,
    queryId: stored.id,
    incidentNumber: stored.incidentNumber,
    title: cardText(stored.title, 150) || 'Hunting query',
    why: cardText(stored.why, 500),
    queryLines: shown,
    validated: `✓ Validated against the workspace schema (${view.schemaTables} tables)${cardText(reads, 300)}`,
    limits: `Runs read-only over the incident window, at most ${view.rowCap} rows, server timeout ${view.timeoutSeconds} s.`,
    engine: cardText(stored.engine, 120),
    note: cardText(view.note, 300),
  };
  const card: AdaptiveCard = new Template(queryTemplate).expand({ $root: data });
  return card;
}
