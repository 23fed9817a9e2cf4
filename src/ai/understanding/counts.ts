import type { Alert, Incident } from '../../domain/types';
import { groupAlerts } from '../incidentFacts';
import { flatten, oneLine } from '../spotlight';
import { sentences } from './text';
import type { CountFact } from './types';

/**
 * Numbers the incident's own texts state ("against 8 accounts", "64 files", "48 failed RDP logons"),
 * each with the sentence it came from. Durations, sizes and ratios are not counts of things.
 */
const NUMBER_PHRASE =
  /(?<![\w.:/-])(\d{1,3}(?:,\d{3})+|\d+)\s+((?:distinct |unique |failed |successful |malicious |suspicious |new |gpu |external |more |other |total )*(?:[a-z][a-z0-9-]*\s){0,2}[a-z][a-z-]+)/gi;
const NOT_COUNTS =
  /^(minutes?|hours?|days?|seconds?|weeks?|months?|years?|km|mi|miles|mb|gb|kb|tb|bytes?|times?|percent|ms|am|pm|utc|x|characters?|chars?|digits?|bits?|times the)\b|\b(minutes?|hours?|days?|seconds?|km|mb|gb|percent)$/i;
const STOP =
  /\b(from|in|within|against|for|of|on|to|at|by|with|than|and|before|after|over|under|during|that|which|were|was|is|are|the|a|an|longer|shorter|larger|smaller|more|less)\b.*$/i;

export function countsFromText(incident: Incident, alerts: readonly Alert[]): CountFact[] {
  const out: CountFact[] = [];
  const read = (text: string, kind: 'description' | 'alert', ref: string) => {
    for (const sentence of sentences(text)) {
      for (const m of sentence.matchAll(NUMBER_PHRASE)) {
        const value = Number((m[1] ?? '').replace(/,/g, ''));
        const noun = (m[2] ?? '').replace(STOP, '').trim().toLowerCase();
        if (
          !Number.isFinite(value) ||
          value === 0 ||
          noun === '' ||
          NOT_COUNTS.test(noun) ||
          /^\d/.test(noun)
        )
          continue;
        // "Microsoft 365 invoice", "Windows 11 devices": a product name, not a count (a capitalised word
        // right before the number that is not the sentence's first word).
        const lead = sentence.slice(0, m.index).trimEnd();
        if (/\s[A-Z][A-Za-z]+$/.test(lead)) continue;
        // "more than 30", "over 1,800": keep the qualifier so the number is not read as exact.
        const before = sentence.slice(Math.max(0, m.index - 12), m.index).toLowerCase();
        const qualifier = /more than\s*$|over\s*$|at least\s*$|than\s*$/.test(before) ? 'more than ' : '';
        out.push({
          what: noun,
          value,
          source: { kind, text: `${qualifier}${m[1] ?? ''} ${noun}: "${flatten(sentence, 200)}"`, ref },
        });
      }
    }
  };
  read(incident.description, 'description', 'incident description');
  for (const g of groupAlerts(alerts)) read(g.description, 'alert', `alert "${oneLine(g.displayName, 120)}"`);
  return out.slice(0, 20);
}
