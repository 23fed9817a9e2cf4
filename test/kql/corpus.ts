import fs from 'node:fs';
import path from 'node:path';
import { SHARED_DIR } from '../support/paths';

export interface CorpusQuery {
  source: string;
  name: string;
  tables: string[];
  query: string;
}

/** The 71 published Sentinel queries in shared/kql-corpus. */
export function loadCorpus(): CorpusQuery[] {
  const text = fs.readFileSync(path.join(SHARED_DIR, 'kql-corpus', 'queries.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusQuery);
}

/** Queries naming columns the published Log Analytics schema lacks (see kql-corpus/README.md). */
export const KNOWN_INVALID = [
  'Top 100 senders',
  'Mailflow by directionality',
  'Clearing of forensic evidence from event logs using wevtutil',
  'TI map IP entity to Azure Key Vault logs',
];
