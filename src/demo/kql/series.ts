/**
 * `make-series` and the series functions published queries use on its output. Series are dynamic
 * arrays; functions returning several series return them as a tuple (array) for `extend (a, b) = f(x)`.
 */
import { childByRole, listOf, type KqlNode } from '../../kql/languageService';
import { planAggregate } from './aggregates';
import { evalScalar, type EvalContext } from './evaluate';
import { EngineError, Timespan, groupKey, type Frame, type FrameColumn, type Row } from './values';

const MAX_SERIES_POINTS = 100_000;

function timeOf(value: unknown): number | null {
  if (value instanceof Date) return value.getTime();
  if (value instanceof Timespan) return value.ms;
  return typeof value === 'number' ? value : null;
}

function rangeOf(
  op: KqlNode,
  ctx: EvalContext,
  rows: Row[],
  axis: KqlNode,
): { start: number; end: number; step: number; dates: boolean } {
  const clause = childByRole(op, 'RangeClause');
  let start: unknown;
  let end: unknown;
  let step: unknown;
  if (clause?.kind === 'MakeSeriesInRangeClause') {
    const args = listOf(childByRole(childByRole(clause, 'Arguments') ?? clause, 'Expressions'));
    [start, end, step] = args.map((a) => evalScalar(a, {}, ctx));
  } else if (clause) {
    const part = (kind: string): unknown => {
      const node = childByRole(childByRole(clause, kind) ?? clause, 'Expression');
      return node && childByRole(clause, kind) ? evalScalar(node, {}, ctx) : undefined;
    };
    start = part('MakeSeriesFromClause');
    end = part('MakeSeriesToClause');
    step = part('MakeSeriesStepClause');
  }
  const times = rows.map((r) => timeOf(evalScalar(axis, r, ctx))).filter((t): t is number => t !== null);
  const first = timeOf(start) ?? (times.length ? Math.min(...times) : 0);
  const stepMs = timeOf(step);
  if (stepMs === null || stepMs <= 0)
    throw new EngineError('SemanticError', 'make-series needs a positive step');
  const last = timeOf(end) ?? (times.length ? Math.max(...times) + stepMs : first);
  const dates =
    start instanceof Date ||
    end instanceof Date ||
    rows.some((r) => evalScalar(axis, r, ctx) instanceof Date);
  return { start: first, end: last, step: stepMs, dates };
}

export function makeSeries(input: Frame, op: KqlNode, ctx: EvalContext): Frame {
  const axis = childByRole(childByRole(op, 'OnClause') ?? op, 'Expression');
  if (!axis) throw new EngineError('SyntaxError', 'make-series needs `on` a time or number column');
  const axisName = axis.kind === 'NameReference' ? axis.name : 'Column1';
  const { start, end, step, dates } = rangeOf(op, ctx, input.rows, axis);
  const points = Math.max(0, Math.ceil((end - start) / step));
  if (points > MAX_SERIES_POINTS) {
    throw new EngineError(
      'LimitsExceeded',
      `make-series would make ${points} points per series; the limit is ${MAX_SERIES_POINTS}`,
    );
  }
  const keys = listOf(childByRole(childByRole(op, 'ByClause') ?? op, 'Expressions')).map((e) => {
    const named = e.kind === 'SimpleNamedExpression';
    return {
      name: named
        ? (childByRole(e, 'Name')?.name ?? 'Column')
        : e.kind === 'NameReference'
          ? e.name
          : 'Column',
      expression: named ? (childByRole(e, 'Expression') ?? e) : e,
    };
  });
  const aggregates = listOf(childByRole(op, 'Aggregates')).map((e) => {
    const inner = childByRole(e, 'Expression') ?? e;
    const named = inner.kind === 'SimpleNamedExpression';
    const call = named ? (childByRole(inner, 'Expression') ?? inner) : inner;
    const plan = planAggregate(
      call,
      named ? childByRole(inner, 'Name')?.name : undefined,
      input.columns,
      ctx,
    );
    const fallback = childByRole(childByRole(e, 'DefaultExpression') ?? e, 'Expression');
    const defaultValue = fallback && childByRole(e, 'DefaultExpression') ? evalScalar(fallback, {}, ctx) : 0;
    return { plan, defaultValue };
  });
  const groups = new Map<string, { keyValues: unknown[]; buckets: Row[][] }>();
  for (const row of input.rows) {
    const t = timeOf(evalScalar(axis, row, ctx));
    if (t === null || t < start || t >= end) continue;
    const keyValues = keys.map((k) => evalScalar(k.expression, row, ctx));
    const key = groupKey(keyValues);
    const group = groups.get(key) ?? { keyValues, buckets: Array.from({ length: points }, () => []) };
    group.buckets[Math.floor((t - start) / step)]?.push(row);
    groups.set(key, group);
  }
  const axisValues = Array.from({ length: points }, (_, i) => {
    const value = start + i * step;
    return dates ? new Date(value).toISOString() : value;
  });
  const rows: Row[] = [];
  for (const group of groups.values()) {
    const row: Row = {};
    keys.forEach((k, i) => (row[k.name] = group.keyValues[i] ?? null));
    for (const { plan, defaultValue } of aggregates) {
      const name = plan.columns[0]?.name ?? 'series';
      row[name] = group.buckets.map((bucket) =>
        bucket.length === 0 ? defaultValue : (plan.compute(bucket)[0] ?? defaultValue),
      );
    }
    row[axisName] = axisValues;
    rows.push(row);
  }
  ctx.budget.charge(rows.length * Math.max(1, points), keys.length + aggregates.length + 1);
  const columns: FrameColumn[] = [
    ...keys.map((k) => ({ name: k.name, type: 'string' as const })),
    ...aggregates.map((a) => ({ name: a.plan.columns[0]?.name ?? 'series', type: 'dynamic' as const })),
    { name: axisName, type: 'dynamic' },
  ];
  for (const key of columns.slice(0, keys.length)) {
    const value = rows.find((r) => r[key.name] !== null && r[key.name] !== undefined)?.[key.name];
    if (typeof value === 'number') key.type = Number.isInteger(value) ? 'long' : 'real';
    else if (value instanceof Date) key.type = 'datetime';
  }
  return { columns, rows };
}

const numbers = (series: unknown): number[] =>
  Array.isArray(series) ? series.map((v) => (typeof v === 'number' ? v : Number(v) || 0)) : [];

/** Least-squares line: [rsquare, slope, variance, rvariance, interception, line_fit]. */
export function seriesFitLine(series: unknown): unknown[] {
  const y = numbers(series);
  const n = y.length;
  if (n === 0) return [null, null, null, null, null, []];
  const meanX = (n - 1) / 2;
  const meanY = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  y.forEach((v, x) => {
    sxy += (x - meanX) * (v - meanY);
    sxx += (x - meanX) ** 2;
  });
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const interception = meanY - slope * meanX;
  const fit = y.map((_, x) => interception + slope * x);
  const variance = y.reduce((a, v) => a + (v - meanY) ** 2, 0) / n;
  const rvariance = y.reduce((a, v, x) => a + (v - (fit[x] ?? 0)) ** 2, 0) / n;
  const rsquare = variance === 0 ? 1 : 1 - rvariance / variance;
  return [rsquare, slope, variance, rvariance, interception, fit];
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return (sorted[low] ?? 0) + ((sorted[high] ?? 0) - (sorted[low] ?? 0)) * (at - low);
}

/** Tukey's fences (k = 1.5), as series_outliers: a score per point, 0 inside the fences. */
export function seriesOutliers(series: unknown): number[] {
  const y = numbers(series);
  const sorted = [...y].sort((a, b) => a - b);
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  const iqr = q3 - q1 || 1;
  return y.map((v) => (v > q3 ? (v - q3) / iqr : v < q1 ? (v - q1) / iqr : 0));
}

/**
 * series_decompose_anomalies(series, threshold = 1.5): baseline by a least-squares trend (the demo
 * detects no seasonality), residual scores by Tukey's fences; anomalies are +1 / -1 past the threshold.
 * Returns [anomalies, score, baseline].
 */
export function seriesDecomposeAnomalies(series: unknown, threshold: unknown): unknown[] {
  const y = numbers(series);
  const fit = (seriesFitLine(y)[5] as number[] | undefined) ?? [];
  const residual = y.map((v, i) => v - (fit[i] ?? 0));
  const score = seriesOutliers(residual);
  const k = typeof threshold === 'number' ? threshold : 1.5;
  const anomalies = score.map((s) => (s > k ? 1 : s < -k ? -1 : 0));
  return [anomalies, score, fit];
}
