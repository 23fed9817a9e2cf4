import { Template } from 'adaptivecards-templating';
import { CardFactory, type Attachment } from 'botbuilder';
import digestTemplate from '../../adaptive-cards/digest.json';
import { VERBS } from '../../adaptive-cards/verbs';
import { cardText, severityColor } from '../bot/cards/cardText';
import { SEVERITIES, type Incident } from '../domain/types';

/** Rows per digest card: keeps each card well under Teams' ~28 KB payload limit even with long titles. */
export const DIGEST_MAX_ITEMS = 40;
const TITLE_CHARS = 120;

/** "14 new incidents: 2 High, 9 Medium, 3 Low" (severities in descending order, zero counts left out). */
export function digestHeading(incidents: readonly Incident[]): string {
  const counts = SEVERITIES.map((s) => [s, incidents.filter((i) => i.severity === s).length] as const).filter(
    ([, n]) => n > 0,
  );
  const noun = incidents.length === 1 ? 'new incident' : 'new incidents';
  return `${incidents.length.toLocaleString('en-US')} ${noun}: ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}`;
}

/** Splits an ordered burst into digest-sized parts, keeping the order. */
export function chunkForDigest<T>(items: readonly T[], maxItems = DIGEST_MAX_ITEMS): T[][] {
  const size = Math.max(1, maxItems);
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

export interface DigestPart {
  /** 1-based part number and the number of parts of this burst. */
  part: number;
  parts: number;
  /** Size of the whole burst (all parts). */
  total: number;
}

/**
 * One card listing a burst of incidents (already in delivery order) with an Open button each, instead
 * of one card per incident. Titles come from alerts and are escaped like every other card text.
 */
export function renderDigestCard(incidents: readonly Incident[], part?: DigestPart): Attachment {
  const subheading =
    part !== undefined && part.parts > 1
      ? `Part ${part.part} of ${part.parts} of a burst of ${part.total.toLocaleString('en-US')}. Select one to open its card.`
      : 'Too many at once for one card each. Select one to open its card.';
  const data = {
    heading: digestHeading(incidents),
    subheading,
    items: incidents.map((i) => ({
      number: i.number,
      severity: i.severity,
      color: severityColor(i.severity),
      title: cardText(i.title, TITLE_CHARS) || '(untitled)',
      verb: VERBS.selectIncident,
    })),
  };
  const card: unknown = new Template(digestTemplate).expand({ $root: data });
  return CardFactory.adaptiveCard(card);
}
