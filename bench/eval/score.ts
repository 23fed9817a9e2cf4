import { z } from 'zod';

/**
 * Scoring against an answer key (see bench/eval/README.md). Pure functions: the runner collects the
 * analyst's outputs for one incident, these count what a correct answer must and must not contain.
 */

const Pattern = z.string().min(1);
const Item = z.object({ text: z.string().optional(), pattern: Pattern, source: z.string() });
const MustNot = Item.extend({ scope: z.enum(['tasks', 'answers', 'both']).default('both') });
const Role = z.object({ entity: z.string().min(1), role: z.array(z.string()).min(1), source: z.string() });
const Question = z.object({
  ask: z.string().min(1),
  expect: z.array(Pattern).min(1),
  mustNot: z.array(Pattern).default([]),
  source: z.string(),
});
export const KeyIncident = z.object({
  id: z.string(),
  /** Case-insensitive substring of the incident title. */
  match: z.string().min(3),
  facts: z.array(Item),
  roles: z.array(Role).default([]),
  mustDo: z.array(Item).default([]),
  mustNot: z.array(MustNot).default([]),
  questions: z.array(Question).default([]),
});
export const AnswerKey = z.object({ about: z.string().optional(), incidents: z.array(KeyIncident).min(1) });
export type KeyIncident = z.infer<typeof KeyIncident>;
export type AnswerKey = z.infer<typeof AnswerKey>;

/** What the analyst produced for one incident. */
export interface Outputs {
  whatHappened: string;
  answers: { ask: string; text: string }[];
  /** The proposed tasks (Add tasks), each as written to Sentinel: title, steps, and the why shown. */
  tasks: { title: string; steps: string[]; why: string }[];
  context: string;
  /** Entity value/name (lower-case) → role, from the understanding. */
  roles: Map<string, string>;
  /**
   * The incident's own texts (description, alert descriptions, comments, classification comment). An
   * answer quoting them ("vssadmin.exe was used to delete all shadow copies") reports, it does not
   * recommend: quoted sentences are removed before the must-not patterns run on answers.
   */
  sources: string[];
}

export interface Tally {
  hit: number;
  of: number;
  misses: string[];
}

export interface IncidentScore {
  id: string;
  facts: Tally;
  roles: Tally;
  mustDo: Tally;
  questions: Tally;
  context: Tally;
  violations: string[];
}

const tally = (): Tally => ({ hit: 0, of: 0, misses: [] });

function count(t: Tally, ok: boolean, label: string): void {
  t.of += 1;
  if (ok) t.hit += 1;
  else t.misses.push(label);
}

/** Markdown removed, indicators refanged (hxxps → https, [.] → .), so patterns see plain text. */
export function normalise(text: string): string {
  return text
    .replace(/\*\*|__|`/g, '')
    .replace(/(^|\s)_([^_\n]+)_(?=\s|$|[.,;:])/g, '$1$2')
    .replace(/hxxp(s?):\/\//gi, 'http$1://')
    .replace(/\[\.\]/g, '.')
    .replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1');
}

const re = (pattern: string) => new RegExp(pattern, 'i');
const NEGATED = /\b(not|never|don'?t|do not|no|without|refused|instead of|nothing)\b/i;

/** Statements of a text; a statement that negates ("do not block X") is not a recommendation of X. */
export function affirmedStatements(text: string): string[] {
  return normalise(text)
    .split(/\n|(?<=[.!?])\s+(?=[A-Z*_-])/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !NEGATED.test(s));
}

export function score(key: KeyIncident, out: Outputs): IncidentScore {
  const s: IncidentScore = {
    id: key.id,
    facts: tally(),
    roles: tally(),
    mustDo: tally(),
    questions: tally(),
    context: tally(),
    violations: [],
  };
  const happened = normalise(out.whatHappened);
  for (const f of key.facts) count(s.facts, re(f.pattern).test(happened), f.text ?? f.pattern);
  for (const r of key.roles) {
    const role = out.roles.get(r.entity.toLowerCase());
    count(
      s.roles,
      role !== undefined && r.role.includes(role),
      `${r.entity}: ${role ?? 'not found'} (want ${r.role.join('|')})`,
    );
  }
  const taskTexts = out.tasks.map((t) => normalise([t.title, ...t.steps, t.why].join('\n')));
  for (const m of key.mustDo)
    count(
      s.mustDo,
      taskTexts.some((t) => re(m.pattern).test(t)),
      m.text ?? m.pattern,
    );
  const byAsk = new Map(out.answers.map((a) => [a.ask, normalise(a.text)]));
  for (const q of key.questions) {
    const text = byAsk.get(q.ask) ?? '';
    const ok = q.expect.every((p) => re(p).test(text)) && !q.mustNot.some((p) => re(p).test(text));
    count(s.questions, ok, q.ask);
  }
  const taskStatements = out.tasks.flatMap((t) => affirmedStatements([t.title, ...t.steps].join('\n')));
  const quotes = quotedSentences(out.sources);
  const answerStatements = [out.whatHappened, ...out.answers.map((a) => a.text)]
    .flatMap(affirmedStatements)
    .map((s) => withoutQuotes(s, quotes));
  for (const m of key.mustNot) {
    const where = [
      ...(m.scope !== 'answers'
        ? taskStatements.filter((t) => re(m.pattern).test(t)).map((t) => `task: ${t}`)
        : []),
      ...(m.scope !== 'tasks'
        ? answerStatements.filter((t) => re(m.pattern).test(t)).map((t) => `answer: ${t}`)
        : []),
    ];
    if (where.length > 0) s.violations.push(`${m.text ?? m.pattern} — ${where[0]?.slice(0, 200) ?? ''}`);
  }
  // A model cannot state what it was not given: every fact, expected answer and role must be in its context.
  const context = normalise(out.context);
  const lines = context.split('\n');
  for (const f of key.facts) count(s.context, re(f.pattern).test(context), `fact: ${f.text ?? f.pattern}`);
  for (const q of key.questions)
    for (const p of q.expect) count(s.context, re(p).test(context), `answer to "${q.ask}": ${p}`);
  for (const r of key.roles) {
    const entity = r.entity.toLowerCase();
    count(
      s.context,
      lines.some(
        (l) => l.toLowerCase().includes(entity) && r.role.some((role) => l.toLowerCase().includes(role)),
      ),
      `role: ${r.entity} ${r.role.join('|')}`,
    );
  }
  return s;
}

function quotedSentences(sources: readonly string[]): string[] {
  return sources
    .flatMap((s) => normalise(s).split(/\n|(?<=[.!?])\s+/))
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length >= 25)
    .sort((a, b) => b.length - a.length);
}

function withoutQuotes(statement: string, quotes: readonly string[]): string {
  let out = statement;
  const lower = () => out.toLowerCase();
  for (const q of quotes) {
    const at = lower().indexOf(q);
    if (at >= 0) out = `${out.slice(0, at)} … ${out.slice(at + q.length)}`;
  }
  return out;
}

export function percent(t: Tally): string {
  return t.of === 0 ? '—' : `${((100 * t.hit) / t.of).toFixed(1)} %`;
}

export function sum(scores: readonly IncidentScore[], pick: (s: IncidentScore) => Tally): Tally {
  return scores.reduce(
    (acc, s) => ({ hit: acc.hit + pick(s).hit, of: acc.of + pick(s).of, misses: [] }),
    tally(),
  );
}
