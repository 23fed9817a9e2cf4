/** Aggregation functions of `summarize`. */
import type { ColumnType } from '../../domain/types';
import { childByRole, type KqlNode } from '../../kql/languageService';
import { callArguments, callName, evalScalar, staticType, type EvalContext } from './evaluate';
import { compareValues, groupKey, typeOfValue, unsupported, type FrameColumn, type Row } from './values';

/** What one aggregate contributes: its output columns and how to fill them from a group. */
export interface AggregatePlan {
  columns: FrameColumn[];
  compute(rows: Row[]): unknown[];
}

const ALIASES: Record<string, string> = {
  makeset: 'make_set',
  makelist: 'make_list',
  make_set_if: 'make_set_if',
  take_any: 'any',
  cnt: 'count',
  make_dictionary: 'make_bag',
  take_anyif: 'anyif',
  percentiles: 'percentile',
};

const DEFAULT_PREFIX: Record<string, string> = {
  count: 'count_',
  countif: 'countif_',
  dcount: 'dcount_',
  dcountif: 'dcountif_',
  sum: 'sum_',
  sumif: 'sumif_',
  avg: 'avg_',
  avgif: 'avgif_',
  min: 'min_',
  max: 'max_',
  minif: 'minif_',
  maxif: 'maxif_',
  make_set: 'set_',
  make_set_if: 'set_',
  make_list: 'list_',
  make_list_if: 'list_',
  make_list_with_nulls: 'list_',
  make_bag: 'bag_',
  make_bag_if: 'bag_',
  stdev: 'stdev_',
  stdevif: 'stdevif_',
  variance: 'variance_',
  varianceif: 'varianceif_',
  percentile: 'percentile_',
  anyif: 'anyif_',
  any: 'any_',
};

const nonNull = (value: unknown): boolean => value !== null && value !== undefined && value !== '';

function limitOf(node: KqlNode | undefined, ctx: EvalContext): number {
  if (!node) return 1_048_576;
  const value = evalScalar(node, {}, ctx);
  return typeof value === 'number' && value > 0 ? value : 1_048_576;
}

export function isAggregateName(raw: string): boolean {
  const name = ALIASES[raw] ?? raw;
  return name === 'arg_max' || name === 'arg_min' || DEFAULT_PREFIX[name] !== undefined;
}

/**
 * An expression over aggregates (`datetime_diff('minute', now(), max(TimeGenerated))`): each aggregate
 * inside is computed for the group, then the expression is evaluated with those values.
 */
function planComputed(
  expression: KqlNode,
  explicitName: string | undefined,
  columns: FrameColumn[],
  ctx: EvalContext,
): AggregatePlan {
  const inner: { node: KqlNode; plan: AggregatePlan }[] = [];
  const visit = (node: KqlNode): void => {
    if (node.kind === 'FunctionCallExpression' && isAggregateName(callName(node))) {
      inner.push({ node, plan: planAggregate(node, '_', columns, ctx) });
      return;
    }
    node.children.forEach(visit);
  };
  visit(expression);
  if (inner.length === 0) {
    if (expression.kind === 'FunctionCallExpression')
      throw unsupported('aggregation function', callName(expression));
    throw unsupported('summarize expression', expression.kind.replace(/Expression$/, ''));
  }
  return {
    columns: [{ name: explicitName ?? 'Column1', type: staticType(expression, columns) ?? 'string' }],
    compute: (rows) => {
      const aggregates = new Map(
        inner.map(({ node, plan }) => [node, { value: plan.compute(rows)[0] ?? null }]),
      );
      return [evalScalar(expression, rows[0] ?? {}, { ...ctx, aggregates })];
    },
  };
}

/** Plans `[Name =] aggregate(args)`; `explicitName` comes from a SimpleNamedExpression. */
export function planAggregate(
  call: KqlNode,
  explicitName: string | undefined,
  columns: FrameColumn[],
  ctx: EvalContext,
): AggregatePlan {
  const raw = call.kind === 'FunctionCallExpression' ? callName(call) : '';
  const name = ALIASES[raw] ?? raw;
  if (!isAggregateName(raw)) return planComputed(call, explicitName, columns, ctx);
  const args = callArguments(call);
  const valueOf = (index: number) => {
    const arg = args[index];
    return (row: Row): unknown => (arg ? evalScalar(arg, row, ctx) : null);
  };
  const argName = args[0]?.kind === 'NameReference' ? args[0].name : '';

  if (name === 'arg_max' || name === 'arg_min') return planArgExtreme(name, args, explicitName, columns, ctx);

  const prefix = DEFAULT_PREFIX[name];
  if (prefix === undefined) throw unsupported('aggregation function', raw);
  const outName =
    explicitName ?? (name === 'count' || name === 'countif' ? prefix : `${prefix}${argName || 'Column'}`);
  const first = valueOf(0);
  const second = valueOf(1);
  const argType = args[0] ? staticType(args[0], columns) : undefined;
  const single = (type: ColumnType, compute: (rows: Row[]) => unknown): AggregatePlan => ({
    columns: [{ name: outName, type }],
    compute: (rows) => [compute(rows)],
  });
  const distinctValues = (rows: Row[], limit: number, keep: (row: Row) => boolean): unknown[] => {
    const seen = new Map<string, unknown>();
    for (const row of rows) {
      if (!keep(row)) continue;
      const value = first(row);
      if (!nonNull(value)) continue;
      const key = groupKey([value]);
      if (!seen.has(key)) seen.set(key, value);
      if (seen.size >= limit) break;
    }
    return [...seen.values()];
  };
  const numbers = (rows: Row[]): number[] =>
    rows.map(first).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const isTrue = (row: Row): boolean => second(row) === true;

  switch (name) {
    case 'count':
      return single('long', (rows) => (args[0] ? rows.filter((r) => nonNull(first(r))).length : rows.length));
    case 'countif':
      return single('long', (rows) => rows.filter((r) => first(r) === true).length);
    case 'dcount':
      return single('long', (rows) => distinctValues(rows, Infinity, () => true).length);
    case 'dcountif':
      return single('long', (rows) => distinctValues(rows, Infinity, isTrue).length);
    case 'sum':
      return single(argType ?? 'long', (rows) => numbers(rows).reduce((a, b) => a + b, 0));
    case 'sumif':
      return single(argType ?? 'long', (rows) => numbers(rows.filter(isTrue)).reduce((a, b) => a + b, 0));
    case 'avg':
    case 'avgif':
      return single('real', (rows) => {
        const values = numbers(name === 'avgif' ? rows.filter(isTrue) : rows);
        return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
      });
    case 'min':
    case 'max':
    case 'minif':
    case 'maxif':
      return {
        columns: [{ name: outName, type: argType ?? 'string' }],
        compute: (rows) => {
          const pool = name.endsWith('if') ? rows.filter(isTrue) : rows;
          const values = pool.map(first).filter(nonNull);
          const direction = name.startsWith('min') ? -1 : 1;
          const best = values.reduce<unknown>(
            (acc, v) => (acc === undefined || compareValues(v, acc) * direction > 0 ? v : acc),
            undefined,
          );
          return [best ?? null];
        },
      };
    case 'make_set':
      return single('dynamic', (rows) => distinctValues(rows, limitOf(args[1], ctx), () => true));
    case 'make_set_if':
      return single('dynamic', (rows) => distinctValues(rows, limitOf(args[2], ctx), isTrue));
    case 'make_list':
    case 'make_list_if': {
      const limitArg = name === 'make_list' ? args[1] : args[2];
      return single('dynamic', (rows) =>
        (name === 'make_list_if' ? rows.filter(isTrue) : rows)
          .map(first)
          .filter(nonNull)
          .slice(0, limitOf(limitArg, ctx)),
      );
    }
    case 'anyif':
      return single(argType ?? 'string', (rows) => {
        const row = rows.find(isTrue);
        return row ? first(row) : null;
      });
    case 'make_list_with_nulls':
      return single('dynamic', (rows) => rows.map((r) => first(r) ?? null).slice(0, limitOf(args[1], ctx)));
    case 'make_bag':
    case 'make_bag_if': {
      const keep = name === 'make_bag_if' ? isTrue : () => true;
      return single('dynamic', (rows) => {
        const bag: Record<string, unknown> = {};
        for (const row of rows) {
          if (!keep(row)) continue;
          const value = first(row);
          if (
            value !== null &&
            typeof value === 'object' &&
            !Array.isArray(value) &&
            !(value instanceof Date)
          )
            Object.assign(bag, value);
        }
        return bag;
      });
    }
    case 'stdev':
    case 'stdevif':
    case 'variance':
    case 'varianceif':
      return single('real', (rows) => {
        const values = numbers(name.endsWith('if') ? rows.filter(isTrue) : rows);
        if (values.length < 2) return 0;
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
        return name.startsWith('stdev') ? Math.sqrt(variance) : variance;
      });
    case 'percentile':
      return planPercentiles(args, explicitName, argName, argType, numbers, ctx);
    default:
      // any / take_any: the value from some row of the group.
      return {
        columns: [{ name: explicitName ?? (argName || 'any_'), type: argType ?? 'string' }],
        compute: (rows) => [rows[0] ? first(rows[0]) : null],
      };
  }
}

function planArgExtreme(
  name: 'arg_max' | 'arg_min',
  args: KqlNode[],
  explicitName: string | undefined,
  columns: FrameColumn[],
  ctx: EvalContext,
): AggregatePlan {
  const [by, ...rest] = args;
  if (!by) throw unsupported('aggregation call without arguments', name);
  const byName = explicitName ?? (by.kind === 'NameReference' ? by.name : `${name}_`);
  const out: FrameColumn[] = [{ name: byName, type: staticType(by, columns) ?? 'string' }];
  const pickers: ((row: Row) => unknown)[] = [];
  for (const arg of rest) {
    if (arg.kind === 'StarExpression') {
      for (const column of columns) {
        if (
          out.some((c) => c.name === column.name) ||
          (by.kind === 'NameReference' && column.name === by.name)
        )
          continue;
        out.push(column);
        pickers.push((row) => row[column.name] ?? null);
      }
    } else {
      const named = arg.kind === 'SimpleNamedExpression' ? childByRole(arg, 'Name')?.name : undefined;
      const expression = arg.kind === 'SimpleNamedExpression' ? (childByRole(arg, 'Expression') ?? arg) : arg;
      const columnName =
        named ?? (expression.kind === 'NameReference' ? expression.name : `Column${out.length}`);
      out.push({ name: columnName, type: staticType(expression, columns) ?? 'string' });
      pickers.push((row) => evalScalar(expression, row, ctx));
    }
  }
  const direction = name === 'arg_max' ? 1 : -1;
  return {
    columns: out,
    compute: (rows) => {
      let best: Row | undefined;
      let bestValue: unknown = null;
      for (const row of rows) {
        const value = evalScalar(by, row, ctx);
        if (value === null || value === undefined) continue;
        if (best === undefined || compareValues(value, bestValue) * direction > 0) {
          best = row;
          bestValue = value;
        }
      }
      const chosen = best;
      if (!chosen) return out.map(() => null);
      return [bestValue, ...pickers.map((pick) => pick(chosen))];
    },
  };
}

/** The type of a computed column: declared by the expression, else seen in the values. */
export function resolveType(declared: ColumnType | undefined, values: unknown[]): ColumnType {
  if (declared) return declared;
  for (const value of values) {
    const seen = typeOfValue(value);
    if (seen) return seen;
  }
  return 'string';
}

/** percentile(x, p) and percentiles(x, p1, p2, ...): nearest-rank percentiles, one column each. */
function planPercentiles(
  args: KqlNode[],
  explicitName: string | undefined,
  argName: string,
  argType: ColumnType | undefined,
  numbers: (rows: Row[]) => number[],
  ctx: EvalContext,
): AggregatePlan {
  const ranks = args.slice(1).map((a) => Number(evalScalar(a, {}, ctx)));
  const columns: FrameColumn[] = ranks.map((p, i) => ({
    name:
      i === 0 && explicitName
        ? explicitName
        : `percentile_${argName || 'Column'}_${String(p).replace('.', '_')}`,
    type: argType ?? 'real',
  }));
  return {
    columns,
    compute: (rows) => {
      const sorted = numbers(rows).sort((a, b) => a - b);
      return ranks.map((p) => {
        if (sorted.length === 0) return null;
        const at = Math.max(0, Math.ceil((p / 100) * sorted.length) - 1);
        return sorted[Math.min(at, sorted.length - 1)] ?? null;
      });
    },
  };
}
