import type { AdaptiveCard } from '@microsoft/teams-ai';
import { Template } from 'adaptivecards-templating';
import resultsTemplate from '../../adaptive-cards/hunt-results.json';
import { cardText } from '../bot/cards/cardText';
import { MAX_CARD_BYTES } from '../bot/cards/incidentCard';
import type { QueryTable } from '../domain/types';
import { getLogger } from '../logger';

const log = getLogger('hunting.resultsCard');

export interface HuntResultsView {
  incidentNumber: number;
  title: string;
  /** e.g. "12 rows · ran at 10:42 UTC by Dana Ruiz". */
  summary: string;
  table: QueryTable | undefined;
  /** PartialFailure: the service's error, shown above the rows. */
  partialError?: string;
}

interface Limits {
  rows: number;
  columns: number;
  cellChars: number;
}

/** Tried in order until the card fits; each step gives up detail the analyst can get by narrowing. */
const LIMIT_STEPS: Limits[] = [
  { rows: 20, columns: 8, cellChars: 80 },
  { rows: 20, columns: 8, cellChars: 50 },
  { rows: 15, columns: 6, cellChars: 50 },
  { rows: 10, columns: 6, cellChars: 40 },
  { rows: 10, columns: 4, cellChars: 30 },
  { rows: 5, columns: 4, cellChars: 30 },
  { rows: 0, columns: 0, cellChars: 0 },
];

export interface RenderedResults {
  card: AdaptiveCard;
  bytes: number;
  shownRows: number;
  shownColumns: number;
}

/** The results card, cut (rows, columns, cell text) until its JSON is at most 28 KB. */
export function renderHuntResultsCard(view: HuntResultsView): RenderedResults {
  let last: RenderedResults | undefined;
  for (const limits of LIMIT_STEPS) {
    const rendered = expand(view, limits);
    if (rendered.bytes <= MAX_CARD_BYTES) return rendered;
    last = rendered;
  }
  log.warn({ bytes: last?.bytes }, 'results card over budget even without rows');
  return expand(
    { ...view, title: view.title.slice(0, 100), partialError: view.partialError?.slice(0, 300) },
    LIMIT_STEPS[LIMIT_STEPS.length - 1] ?? { rows: 0, columns: 0, cellChars: 0 },
  );
}

/**
 * Columns an analyst reads first. A wide table (OfficeActivity has 133 columns) shows these, then its
 * other columns in query order, and never a column that is empty in every row shown.
 */
const KEY_COLUMNS = [
  'TimeGenerated',
  'Timestamp',
  'UserPrincipalName',
  'UserId',
  'Account',
  'AccountName',
  'AccountUpn',
  'Identity',
  'Caller',
  'IPAddress',
  'IpAddress',
  'ClientIP',
  'CallerIpAddress',
  'SourceIP',
  'DestinationIP',
  'RemoteIP',
  'Computer',
  'DeviceName',
  'HostName',
  'Operation',
  'OperationName',
  'OperationNameValue',
  'ActivityDisplayName',
  'Activity',
  'EventID',
  'ActionType',
  'ResultType',
  'ResultStatus',
  'ResultDescription',
  'AppDisplayName',
  'Application',
  'SenderFromAddress',
  'RecipientEmailAddress',
  'Subject',
  'FileName',
  'ProcessCommandLine',
  'RemoteUrl',
  'Url',
  'AlertName',
  'Title',
  'Severity',
  'Location',
];
const KEY_RANK = new Map(KEY_COLUMNS.map((name, i) => [name.toLowerCase(), i]));

/** Indices of the columns to show: non-empty ones, key columns first, then the rest in order. */
export function chooseColumns(table: QueryTable | undefined, rows: number, max: number): number[] {
  if (!table || max <= 0) return [];
  const shown = table.rows.slice(0, Math.max(rows, 1));
  const indices = table.columns.map((_, i) => i);
  const filled = indices.filter((i) => shown.some((row) => cellText(row[i]).trim() !== ''));
  // No rows, or every cell empty: the columns still say what the query returns.
  const candidates = filled.length > 0 ? filled : indices;
  if (candidates.length <= max && filled.length === indices.length) return candidates;
  const rank = (i: number): number => KEY_RANK.get(table.columns[i]?.name.toLowerCase() ?? '') ?? Infinity;
  const keys = candidates.filter((i) => rank(i) !== Infinity).sort((a, b) => rank(a) - rank(b));
  const others = candidates.filter((i) => rank(i) === Infinity);
  return [...keys, ...others].slice(0, max);
}

function expand(view: HuntResultsView, limits: Limits): RenderedResults {
  const table = view.table;
  const totalRows = table?.rows.length ?? 0;
  const totalColumns = table?.columns.length ?? 0;
  const rowCount = Math.min(totalRows, limits.rows);
  const chosen = chooseColumns(table, rowCount, limits.columns);
  const columnCount = chosen.length;
  const header = {
    style: 'accent',
    cells: chosen.map((i) => ({ text: cardText(table?.columns[i]?.name ?? '', 40), weight: 'Bolder' })),
  };
  const body = (table?.rows ?? []).slice(0, rowCount).map((row) => ({
    style: 'default',
    cells: chosen.map((i) => ({
      text: cardText(cellText(row[i]), limits.cellChars) || ' ',
      weight: 'Default',
    })),
  }));
  const cut: string[] = [];
  if (rowCount < totalRows || columnCount < totalColumns) {
    const hidden = rowCount > 0 ? ' (empty columns hidden, key columns first)' : '';
    cut.push(`showing ${rowCount} of ${totalRows} rows, ${columnCount} of ${totalColumns} columns${hidden}`);
  }
  if (rowCount > 0 && columnCount > 0 && wasCut(table, rowCount, chosen, limits.cellChars)) {
    cut.push(`cells cut at ${limits.cellChars} chars`);
  }
  const data = {
    incidentNumber: view.incidentNumber,
    title: cardText(view.title, 150) || 'Hunting query',
    summary: cardText(view.summary, 300),
    warning: view.partialError
      ? `Partial results: the query partly failed (${cardText(view.partialError, 400)}). Rows below may be incomplete.`
      : '',
    truncation: cut.length > 0 ? `${capitalize(cut.join('; '))}.` : '',
    columns: Array.from({ length: columnCount }, (_, i) => ({ index: i })),
    rows: rowCount > 0 && columnCount > 0 ? [header, ...body] : [],
  };
  const card: AdaptiveCard = new Template(resultsTemplate).expand({ $root: data });
  return {
    card,
    bytes: Buffer.byteLength(JSON.stringify(card)),
    shownRows: data.rows.length === 0 ? 0 : rowCount,
    shownColumns: data.rows.length === 0 ? 0 : columnCount,
  };
}

function wasCut(table: QueryTable | undefined, rows: number, columns: number[], chars: number): boolean {
  return (table?.rows ?? [])
    .slice(0, rows)
    .some((row) => columns.some((i) => Array.from(cellText(row[i])).length > chars));
}

/** Cells as Log Analytics values read: datetimes as ISO, dynamic values as JSON, empty for null. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
