/**
 * Scores the analyst against an answer key, through the real path: the demo workspace over HTTP, the
 * real Sentinel gateway (so log evidence runs as validated KQL), the incident understanding, the
 * built-in analyst's answers, the proposed tasks (what "Add tasks" shows and writes) and the model
 * context builder (a model cannot state what it was not given). Prints numbers; see README.md.
 *
 *   npm run eval
 *   npm run eval -- --key path/to/key.json --scenarios path/to/packs [--verbose] [--json out.json] [--check]
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { builtinAnswer } from '../../src/ai/builtinAnalyst';
import { buildIncidentContext } from '../../src/ai/context';
import { IncidentDataCache } from '../../src/ai/incidentData';
import { planRemediation } from '../../src/ai/remediation/plan';
import { UnderstandingService } from '../../src/ai/understanding';
import { createGateway } from '../../src/bot/compose';
import { loadConfig } from '../../src/config';
import { startDemoWorkspace } from '../../src/demo/server';
import { configureLogging } from '../../src/logger';
import { AnswerKey, percent, score, sum, type IncidentScore, type Outputs } from './score';

interface Args {
  key: string;
  scenarios?: string;
  json?: string;
  verbose: boolean;
  check: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { key: path.join(__dirname, 'keys', 'seeded.json'), verbose: false, check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--key') args.key = path.resolve(next());
    else if (a === '--scenarios') args.scenarios = path.resolve(next());
    else if (a === '--json') args.json = path.resolve(next());
    else if (a === '--verbose' || a === '-v') args.verbose = true;
    else if (a === '--check') args.check = true;
    else throw new Error(`Unknown argument ${a}. Use --key, --scenarios, --json, --verbose, --check.`);
  }
  return args;
}

/** The bar from issue #10. */
const BAR = { facts: 95, mustDo: 90, questions: 90, context: 95 };
const REMEDIATION_QUESTION = 'what are the remediation steps?';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  configureLogging('silent');
  const key = AnswerKey.parse(JSON.parse(await readFile(args.key, 'utf8')));
  const demo = await startDemoWorkspace({ port: 0, scenariosDir: args.scenarios });
  const started = Date.now();
  try {
    const config = loadConfig({ DEMO_PORT: String(demo.port), LOG_LEVEL: 'silent' });
    const gateway = createGateway(config);
    const incidents = await gateway.listIncidents({ top: 200, limit: 5000 });
    const cache = new IncidentDataCache(gateway);
    const understandings = new UnderstandingService(gateway);
    const scores: IncidentScore[] = [];
    for (const k of key.incidents) {
      const incident = incidents.find((i) => i.title.toLowerCase().includes(k.match.toLowerCase()));
      const data = incident ? await cache.get(incident.name) : undefined;
      if (!data) {
        console.log(`✖ ${k.id}: no incident whose title contains "${k.match}"`);
        scores.push(
          score(k, { whatHappened: '', answers: [], tasks: [], context: '', roles: new Map(), sources: [] }),
        );
        continue;
      }
      const u = await understandings.get(data);
      const plan = planRemediation(u, data);
      const roles = new Map<string, string>();
      for (const e of u.entities)
        for (const name of [e.value, e.name, ...e.aliases]) if (name) roles.set(name.toLowerCase(), e.role);
      const out: Outputs = {
        whatHappened: builtinAnswer(data, u, 'what happened?').markdown,
        answers: [...k.questions.map((q) => q.ask), REMEDIATION_QUESTION].map((ask) => ({
          ask,
          text: builtinAnswer(data, u, ask).markdown,
        })),
        tasks: plan.actions.map((a) => ({ title: a.title, steps: a.steps, why: a.why })),
        context: buildIncidentContext(data, { budgetTokens: config.promptTokenBudget, understanding: u })
          .text,
        roles,
        sources: [
          data.incident.description,
          data.incident.classificationComment ?? '',
          ...data.alerts.map((a) => a.description),
          ...data.comments.map((c) => c.message),
          ...data.entities.flatMap((e) => [e.friendlyName, String(e.properties.commandLine ?? '')]),
        ],
      };
      const s = score(k, out);
      scores.push(s);
      if (args.verbose) printDetail(`#${data.incident.number} ${k.id}`, s);
    }
    printTable(scores, Date.now() - started);
    if (args.json) await writeFile(args.json, JSON.stringify(scores, null, 1));
    if (args.check && !meetsBar(scores)) process.exitCode = 1;
  } finally {
    await demo.close();
  }
}

function printDetail(label: string, s: IncidentScore): void {
  console.log(`\n${label}`);
  for (const [name, t] of [
    ['facts', s.facts],
    ['roles', s.roles],
    ['must-do', s.mustDo],
    ['questions', s.questions],
    ['context', s.context],
  ] as const)
    for (const m of t.misses) console.log(`  miss ${name}: ${m}`);
  for (const v of s.violations) console.log(`  MUST-NOT: ${v}`);
}

function meetsBar(scores: IncidentScore[]): boolean {
  const pct = (pick: (s: IncidentScore) => { hit: number; of: number }) => {
    const t = sum(scores, (s) => ({ ...pick(s), misses: [] }));
    return t.of === 0 ? 100 : (100 * t.hit) / t.of;
  };
  return (
    scores.every((s) => s.violations.length === 0) &&
    pct((s) => s.facts) >= BAR.facts &&
    pct((s) => s.mustDo) >= BAR.mustDo &&
    pct((s) => s.questions) >= BAR.questions &&
    pct((s) => s.context) >= BAR.context
  );
}

function printTable(scores: IncidentScore[], ms: number): void {
  const rows = scores.map((s) => [
    s.id,
    percent(s.facts),
    percent(s.roles),
    percent(s.mustDo),
    String(s.violations.length),
    percent(s.questions),
    percent(s.context),
  ]);
  rows.push([
    'overall',
    percent(sum(scores, (s) => s.facts)),
    percent(sum(scores, (s) => s.roles)),
    percent(sum(scores, (s) => s.mustDo)),
    String(scores.reduce((n, s) => n + s.violations.length, 0)),
    percent(sum(scores, (s) => s.questions)),
    percent(sum(scores, (s) => s.context)),
  ]);
  const head = [
    'incident',
    'facts',
    'roles',
    'must-do',
    'must-not violations',
    'questions',
    'context recall',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(`\n${line(head)}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of rows) console.log(line(r));
  console.log(
    `\nbar: 0 must-not violations, facts ≥ ${BAR.facts} %, must-do ≥ ${BAR.mustDo} %, questions ≥ ${BAR.questions} %, context recall ≥ ${BAR.context} % — ${meetsBar(scores) ? 'met' : 'NOT met'} (${scores.length} incidents, ${(ms / 1000).toFixed(1)} s)`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 2;
});
