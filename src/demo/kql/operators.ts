/** Row-shaping query operators: where, project*, extend, summarize, sort, take, top, distinct, count, getschema. */
import type { ColumnType } from '../../domain/types';
import { childByRole, descendants, type KqlNode } from '../../kql/languageService';
import { planAggregate, resolveType, type AggregatePlan } from './aggregates';
import { callArguments, callName, evalScalar, listOf, staticType, type EvalContext } from './evaluate';
import { mvExpand } from './expand';
import { countArgument, sortKeys, sortRows } from './sorting';
import { EngineError, groupKey, unsupported, type Frame, type FrameColumn, type Row } from './values';

export function expressionsOf(op: KqlNode, role = 'Expressions'): KqlNode[] {
  return listOf(childByRole(op, role));
}

/** Column name Kusto gives an unnamed expression: the column it reads, else Column1, Column2, ... */
function defaultName(expression: KqlNode, taken: Set<string>): string {
  if (expression.kind === 'NameReference') return expression.name;
  if (expression.kind === 'PathExpression') {
    const parts: string[] = [];
    for (const node of descendants(expression)) if (node.kind === 'NameReference') parts.push(node.name);
    return parts.join('_');
  }
  if (expression.kind === 'FunctionCallExpression' && ['bin', 'floor'].includes(callName(expression))) {
    const first = callArguments(expression)[0];
    if (first?.kind === 'NameReference') return first.name;
  }
  let n = 1;
  while (taken.has(`Column${n}`)) n++;
  return `Column${n}`;
}

interface NamedExpression {
  name: string;
  expression: KqlNode;
}

function named(expression: KqlNode, taken: Set<string>): NamedExpression {
  if (expression.kind === 'SimpleNamedExpression') {
    const name = childByRole(expression, 'Name')?.name;
    const value = childByRole(expression, 'Expression');
    if (!name || !value) throw new EngineError('SyntaxError', 'Incomplete named expression');
    return { name, expression: value };
  }
  if (expression.kind === 'CompoundNamedExpression') throw unsupported('syntax', '(a, b) = ...');
  return { name: defaultName(expression, taken), expression };
}

/** Evaluates expressions per row and sets them as columns (extend) or as the only columns (project). */
function computeColumns(input: Frame, expressions: KqlNode[], ctx: EvalContext, keepInput: boolean): Frame {
  const taken = new Set(keepInput ? input.columns.map((c) => c.name) : []);
  const produced = new Set<string>();
  const specs = expressions.map((e) => {
    const spec = named(e, taken);
    // `project A, bin(A, 1d)` yields A and A1, as in Kusto.
    let name = spec.name;
    for (let n = 1; produced.has(name); n++) name = `${spec.name}${n}`;
    produced.add(name);
    taken.add(name);
    return { ...spec, name };
  });
  const rows = input.rows.map((row) => {
    const out: Row = keepInput ? { ...row } : {};
    for (const spec of specs) out[spec.name] = evalScalar(spec.expression, row, ctx);
    return out;
  });
  const columns: FrameColumn[] = keepInput ? [...input.columns] : [];
  for (const spec of specs) {
    const type = resolveType(
      staticType(spec.expression, input.columns),
      rows.map((r) => r[spec.name]),
    );
    const existing = columns.findIndex((c) => c.name === spec.name);
    if (existing >= 0) columns[existing] = { name: spec.name, type };
    else columns.push({ name: spec.name, type });
  }
  return { columns, rows };
}

function matchesName(pattern: KqlNode, name: string): boolean {
  if (pattern.kind === 'WildcardedNameReference') {
    const text = pattern.children
      .map((c) => (c.isToken ? c.text : c.children.map((t) => t.text).join('')))
      .join('');
    const regex = new RegExp(
      `^${text
        .split('*')
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    return regex.test(name);
  }
  return pattern.name === name;
}

function project(input: Frame, op: KqlNode, ctx: EvalContext): Frame {
  return computeColumns(input, expressionsOf(op), ctx, false);
}

function projectAway(input: Frame, op: KqlNode): Frame {
  const patterns = expressionsOf(op);
  const keep = input.columns.filter((c) => !patterns.some((p) => matchesName(p, c.name)));
  return { columns: keep, rows: input.rows.map((row) => pick(row, keep)) };
}

function projectRename(input: Frame, op: KqlNode): Frame {
  const renames = new Map<string, string>();
  for (const expression of expressionsOf(op)) {
    const { name, expression: source } = named(expression, new Set());
    if (source.kind !== 'NameReference')
      throw new EngineError('SemanticError', 'project-rename expects new = old');
    if (!input.columns.some((c) => c.name === source.name)) {
      throw new EngineError(
        'SemanticError',
        `'project-rename' operator: Failed to resolve column named '${source.name}'`,
      );
    }
    renames.set(source.name, name);
  }
  const columns = input.columns.map((c) => ({ ...c, name: renames.get(c.name) ?? c.name }));
  const rows = input.rows.map((row) => {
    const out: Row = {};
    for (const c of input.columns) out[renames.get(c.name) ?? c.name] = row[c.name];
    return out;
  });
  return { columns, rows };
}

function pick(row: Row, columns: FrameColumn[]): Row {
  const out: Row = {};
  for (const c of columns) out[c.name] = row[c.name] ?? null;
  return out;
}

function summarize(input: Frame, op: KqlNode, ctx: EvalContext): Frame {
  const byClause = childByRole(op, 'ByClause');
  const taken = new Set<string>();
  const keys = expressionsOf(byClause ?? op, byClause ? 'Expressions' : '__none').map((e) => {
    const spec = named(e, taken);
    taken.add(spec.name);
    return spec;
  });
  const plans: AggregatePlan[] = expressionsOf(op, 'Aggregates').map((e) => {
    if (e.kind === 'SimpleNamedExpression') {
      const spec = named(e, taken);
      return planAggregate(spec.expression, spec.name, input.columns, ctx);
    }
    return planAggregate(e, undefined, input.columns, ctx);
  });
  const groups = new Map<string, { keyValues: unknown[]; rows: Row[] }>();
  for (const row of input.rows) {
    const keyValues = keys.map((k) => evalScalar(k.expression, row, ctx));
    const key = groupKey(keyValues);
    const group = groups.get(key) ?? { keyValues, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  // Without `by`, summarize always answers one row (count() of nothing is 0).
  if (keys.length === 0 && groups.size === 0) groups.set('', { keyValues: [], rows: [] });
  // arg_max(X, *) repeats the group keys; the key column wins, as in Kusto.
  const keyNames = new Set(keys.map((k) => k.name));
  const aggregateColumns = plans.flatMap((p) => p.columns);
  const keptAggregates = aggregateColumns.map((c) => !keyNames.has(c.name));
  const rows: Row[] = [];
  for (const group of groups.values()) {
    const row: Row = {};
    keys.forEach((k, i) => (row[k.name] = group.keyValues[i] ?? null));
    const values = plans.flatMap((p) => p.compute(group.rows));
    aggregateColumns.forEach((c, i) => {
      if (keptAggregates[i]) row[c.name] = values[i] ?? null;
    });
    rows.push(row);
  }
  const keyColumns = keys.map((k) => ({
    name: k.name,
    type: resolveType(
      staticType(k.expression, input.columns),
      rows.map((r) => r[k.name]),
    ),
  }));
  return { columns: [...keyColumns, ...aggregateColumns.filter((_, i) => keptAggregates[i])], rows };
}

const DOTNET_TYPE: Record<ColumnType, string> = {
  string: 'System.String',
  int: 'System.Int32',
  long: 'System.Int64',
  real: 'System.Double',
  bool: 'System.SByte',
  datetime: 'System.DateTime',
  timespan: 'System.TimeSpan',
  dynamic: 'System.Object',
  guid: 'System.Guid',
  decimal: 'System.Data.SqlTypes.SqlDecimal',
};

function getschema(input: Frame): Frame {
  return {
    columns: [
      { name: 'ColumnName', type: 'string' },
      { name: 'ColumnOrdinal', type: 'int' },
      { name: 'DataType', type: 'string' },
      { name: 'ColumnType', type: 'string' },
    ],
    rows: input.columns.map((c, i) => ({
      ColumnName: c.name,
      ColumnOrdinal: i,
      DataType: DOTNET_TYPE[c.type],
      ColumnType: c.type,
    })),
  };
}

function distinct(input: Frame, op: KqlNode, ctx: EvalContext): Frame {
  const expressions = expressionsOf(op);
  const all = expressions.length === 1 && expressions[0]?.kind === 'StarExpression';
  const projected = all ? input : computeColumns(input, expressions, ctx, false);
  const seen = new Set<string>();
  const rows = projected.rows.filter((row) => {
    const key = groupKey(projected.columns.map((c) => row[c.name]));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { columns: projected.columns, rows };
}

/** Applies one row-shaping operator; undefined when `op` is not one of these. */
export function applyRowOperator(input: Frame, op: KqlNode, ctx: EvalContext): Frame | undefined {
  switch (op.kind) {
    case 'FilterOperator': {
      const condition = childByRole(op, 'Condition');
      if (!condition) throw new EngineError('SyntaxError', 'where needs a condition');
      return {
        columns: input.columns,
        rows: input.rows.filter((row) => evalScalar(condition, row, ctx) === true),
      };
    }
    case 'ProjectOperator':
      return project(input, op, ctx);
    case 'ProjectAwayOperator':
      return projectAway(input, op);
    case 'ProjectRenameOperator':
      return projectRename(input, op);
    case 'ExtendOperator':
      return computeColumns(input, expressionsOf(op), ctx, true);
    case 'SummarizeOperator':
      return summarize(input, op, ctx);
    case 'SortOperator':
      return { columns: input.columns, rows: sortRows(input, sortKeys(expressionsOf(op)), ctx) };
    case 'TakeOperator':
      return { columns: input.columns, rows: input.rows.slice(0, countArgument(op, ctx)) };
    case 'TopOperator': {
      const by = childByRole(op, 'ByExpression');
      if (!by) throw new EngineError('SyntaxError', 'top needs `by`');
      return {
        columns: input.columns,
        rows: sortRows(input, sortKeys([by]), ctx).slice(0, countArgument(op, ctx)),
      };
    }
    case 'DistinctOperator':
      return distinct(input, op, ctx);
    case 'CountOperator':
      return { columns: [{ name: 'Count', type: 'long' }], rows: [{ Count: input.rows.length }] };
    case 'GetSchemaOperator':
      return getschema(input);
    case 'SerializeOperator':
    case 'AsOperator':
      // Row order is already stable and result names are not tracked, so both are no-ops here.
      if (expressionsOf(op).length > 0) return undefined;
      return input;
    case 'MvExpandOperator':
      return mvExpand(input, op, ctx);
    case 'ProjectReorderOperator': {
      const first = expressionsOf(op).flatMap((p) => input.columns.filter((c) => matchesName(p, c.name)));
      return { columns: [...new Set([...first, ...input.columns])], rows: input.rows };
    }
    default:
      return undefined;
  }
}
