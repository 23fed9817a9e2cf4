/**
 * KQL validation and demo-engine numbers over the published corpus. Run: npx tsx bench/kql.ts
 * Prints measurements only; the assertions live in test/kql and test/demo/kql.
 */
import { performance } from 'node:perf_hooks';
import { executeQuery } from '../src/demo/kql/engine';
import { loadLanguageService } from '../src/kql/languageService';
import { BUNDLED_SCHEMA } from '../src/kql/schema';
import { columnReferences, validateKql } from '../src/kql/validator';
import { loadCorpus, sampleTables } from '../test/kql/corpus';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;

async function main(): Promise<void> {
  const corpus = loadCorpus();

  let started = performance.now();
  loadLanguageService();
  console.log(`language service load:        ${ms(performance.now() - started)}`);

  started = performance.now();
  await validateKql(corpus[0]?.query ?? 'SigninLogs', BUNDLED_SCHEMA);
  console.log(`first validation:             ${ms(performance.now() - started)}`);

  const warm: number[] = [];
  let accepted = 0;
  for (const entry of corpus) {
    const t = performance.now();
    const result = await validateKql(entry.query, BUNDLED_SCHEMA);
    warm.push(performance.now() - t);
    if (result.valid) accepted++;
  }
  console.log(`warm validation p50 / p95:    ${ms(percentile(warm, 50))} / ${ms(percentile(warm, 95))}`);
  console.log(
    `corpus acceptance:            ${accepted}/${corpus.length} valid (${corpus.length - accepted} flagged)`,
  );

  let mutated = 0;
  let caught = 0;
  for (const entry of corpus) {
    const columns = new Set(entry.tables.flatMap((t) => (BUNDLED_SCHEMA[t] ?? []).map((c) => c.name)));
    const target = columnReferences(entry.query, BUNDLED_SCHEMA).find((r) => columns.has(r.name));
    if (!target) continue;
    mutated++;
    const broken = `${entry.query.slice(0, target.start)}${target.name}Zq9${entry.query.slice(target.start + target.length)}`;
    const result = await validateKql(broken, BUNDLED_SCHEMA);
    if (result.errors.some((e) => e.start === target.start)) caught++;
  }
  console.log(
    `mutation catch rate:          ${caught}/${mutated} (${((100 * caught) / mutated).toFixed(1)}%)`,
  );

  const now = new Date();
  const tables = sampleTables(now, 50, 600_000);
  const engine: number[] = [];
  let supported = 0;
  for (const entry of corpus) {
    const t = performance.now();
    const result = executeQuery(entry.query, tables, { now });
    const elapsed = performance.now() - t;
    if (result.ok) {
      supported++;
      engine.push(elapsed);
    }
  }
  console.log(`demo engine supports:         ${supported}/${corpus.length} corpus queries (50-row tables)`);
  console.log(`demo engine p50 / p95:        ${ms(percentile(engine, 50))} / ${ms(percentile(engine, 95))}`);
  console.log(`peak RSS:                     ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

void main();
