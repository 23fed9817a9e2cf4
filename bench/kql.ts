/**
 * KQL validation and demo-engine numbers. Run: npx tsx bench/kql.ts
 * Prints measurements only; the assertions live in test/kql and test/demo/kql.
 *
 * Two corpora: shared/kql-corpus (71 queries) and bench/kql-corpus (published Azure-Sentinel queries
 * collected for this bench, none of the 71; see bench/kql-corpus/README.md). For the second it lists
 * every rejection with its cause and every query the demo engine does not run, with its error.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { DEMO_WORKSPACE } from '../src/config';
import { executeQuery } from '../src/demo/kql/engine';
import { IsolatedEngine } from '../src/demo/kql/isolatedEngine';
import type { LogTables } from '../src/demo/logTables';
import { BUILTIN_SCENARIOS_DIR, loadScenarioFolders } from '../src/demo/scenarioLoader';
import { DemoStore } from '../src/demo/store';
import { BUNDLED_SCHEMA } from '../src/kql/schema';
import { columnReferences, stopValidationWorker, validateKql } from '../src/kql/validator';
import { loadBenchCorpus, loadCorpus, sampleTables } from '../test/kql/corpus';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;
const pct = (a: number, b: number): string => `${a}/${b} (${b === 0 ? '-' : ((100 * a) / b).toFixed(1)}%)`;

interface Entry {
  name: string;
  query: string;
}

async function measure(label: string, corpus: Entry[], listFailures: boolean): Promise<void> {
  console.log(`\n== ${label}: ${corpus.length} queries`);
  const validation: number[] = [];
  const accepted: Entry[] = [];
  const rejected: string[] = [];
  const tablesOf = new Map<Entry, string[]>();
  for (const entry of corpus) {
    const t = performance.now();
    const result = await validateKql(entry.query, BUNDLED_SCHEMA);
    validation.push(performance.now() - t);
    tablesOf.set(entry, result.tables);
    if (result.valid) accepted.push(entry);
    else {
      const first = result.errors[0];
      rejected.push(
        `${entry.name}: ${first?.code} ${first?.message} (near "${first?.snippet.slice(0, 60)}")`,
      );
    }
  }
  console.log(`validator acceptance:         ${pct(accepted.length, corpus.length)}`);
  console.log(
    `validation p50 / p95:         ${ms(percentile(validation, 50))} / ${ms(percentile(validation, 95))}`,
  );
  if (listFailures) for (const line of rejected) console.log(`  rejected  ${line}`);

  let mutated = 0;
  let caught = 0;
  for (const entry of accepted) {
    const columns = new Set(
      (tablesOf.get(entry) ?? []).flatMap((t) => (BUNDLED_SCHEMA[t] ?? []).map((c) => c.name)),
    );
    const target = columnReferences(entry.query, BUNDLED_SCHEMA).find((r) => columns.has(r.name));
    if (!target) continue;
    mutated++;
    const broken = `${entry.query.slice(0, target.start)}${target.name}Zq9${entry.query.slice(target.start + target.length)}`;
    const result = await validateKql(broken, BUNDLED_SCHEMA);
    if (result.errors.some((e) => e.start === target.start)) caught++;
  }
  console.log(
    `mutation catch rate:          ${pct(caught, mutated)} (one column renamed per accepted query)`,
  );

  const now = new Date();
  // Two data sets: sample values in every column (most filters keep nothing past the first where), and
  // the seeded demo workspace (realistic rows, so later operators see data too).
  const store = new DemoStore({ workspace: DEMO_WORKSPACE, now: () => now });
  loadScenarioFolders(store, [BUILTIN_SCENARIOS_DIR], now);
  const dataSets: [string, LogTables][] = [
    ['50-row sample tables', sampleTables(now, 50, 600_000)],
    ['seeded demo workspace', store.logTables()],
  ];
  for (const [dataLabel, tables] of dataSets) {
    const run: number[] = [];
    let ran = 0;
    let internal = 0;
    let cut = 0;
    const failures: string[] = [];
    for (const entry of accepted) {
      const t = performance.now();
      const result = executeQuery(entry.query, tables, { now, timeoutMs: 30_000 });
      run.push(performance.now() - t);
      if (result.ok) ran++;
      else {
        if (result.code === 'InternalServerError') internal++;
        if (result.innerCode === 'LimitsExceeded') cut++;
        failures.push(
          `${entry.name}: ${result.code}/${result.innerCode ?? ''} ${result.message.slice(0, 160)}`,
        );
      }
    }
    console.log(`demo engine runs:             ${pct(ran, accepted.length)} of accepted (${dataLabel})`);
    console.log(`engine internal errors:       ${internal}; cut by limits (time/size): ${cut}`);
    console.log(`engine run p50 / p95:         ${ms(percentile(run, 50))} / ${ms(percentile(run, 95))}`);
    if (listFailures) for (const line of failures) console.log(`  not run   ${line}`);
  }
}

/**
 * The event loop while 5 heavy queries run at once: 5 validations of long queries on the validation
 * worker and 5 three-way self-joins on the demo engine's worker. /healthz answers within this delay.
 */
async function eventLoopUnderLoad(): Promise<void> {
  const now = new Date();
  const tables = sampleTables(now, 2_000, 60_000);
  const engine = new IsolatedEngine();
  await engine.execute('SigninLogs | take 1', tables, { now, timeoutMs: 60_000 });
  const longQuery = `${Array.from({ length: 150 }, (_, i) => `let t${i} = SigninLogs | where UserId == "${i}" | project UserId, IPAddress;`).join('\n')}\nunion ${Array.from({ length: 150 }, (_, i) => `t${i}`).join(', ')}`;
  const selfJoin =
    'SigninLogs | join kind=inner (SigninLogs) on UserPrincipalName | join kind=inner (SigninLogs) on UserPrincipalName | count';
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const started = performance.now();
  const outcomes = await Promise.all([
    ...Array.from({ length: 5 }, () =>
      validateKql(longQuery, BUNDLED_SCHEMA).then((r) => (r.valid ? 'valid' : 'invalid')),
    ),
    ...Array.from({ length: 5 }, () =>
      engine
        .execute(selfJoin, tables, { now, timeoutMs: 10_000 })
        .then((r) => (r.ok ? 'ran' : (r.innerCode ?? r.code))),
    ),
  ]);
  histogram.disable();
  console.log(
    `\n== event loop while 5 heavy validations + 5 three-way self-joins run (${ms(performance.now() - started)})`,
  );
  console.log(
    `event-loop delay max / p99:   ${ms(histogram.max / 1e6)} / ${ms(histogram.percentile(99) / 1e6)}`,
  );
  console.log(`outcomes:                     ${outcomes.join(', ')}`);
  await engine.close();
}

async function main(): Promise<void> {
  await measure('shared/kql-corpus', loadCorpus(), true);
  await measure('bench/kql-corpus (published queries collected for this bench)', loadBenchCorpus(), true);
  await eventLoopUnderLoad();
  console.log(`\npeak RSS:                     ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  await stopValidationWorker();
}

void main();
