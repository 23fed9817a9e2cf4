/** Row-shaping query operators: where, project*, extend, summarize, sort, take, top, distinct, count, getschema. */
import type { ColumnType } from '../../domain/types';
import { childByRole, descendants, type KqlNode } from '../../kql/languageService';
import { planAggregate, resolveType, type AggregatePlan } from './aggregates';
import { callArguments, callName, evalScalar, listOf, staticType, type EvalContext } from './evaluate';
import { countArgument, sortKeys, sortRows } from './sorting';
import { EngineError, groupKey, type Frame, type FrameColumn, type Row } from './values';

export function expressionsOf(op: KqlNode, role = 'Expressions'): KqlNode[] {
  return listOf(childByRole(op, role));
}

/** Conversions whose unnamed result keeps the name of the column they convert (tostring(X) → X). */
const NAME_KEEPING = new Set([
  'tostring',
  'toint',
  'tolong',
  'todouble',
  'toreal',
  'tobool',
  'toboolean',
  'todatetime',
  'totimespan',
  'todynamic',
  'toobject',
  'parse_json',
  'todecimal',
  'toguid',
  'bin',
  'floor',
  'bin_at',
]);

/** The name Kusto derives from an expression, when it derives one (X, A_b_c, tostring(X) → X). */
export function derivedName(expression: KqlNode): string | undefined {
  if (expression.kind === 'NameReference') return expression.name;
  if (expression.kind === 'ParenthesizedExpression') {
    const inner = childByRole(expression, 'Expression');
    return inner ? derivedName(inner) : undefined;
  }
  if (expression.kind === 'PathExpression' || expression.kind === 'ElementExpression') {
    const target = childByRole(expression, 'Expression');
    const base = target ? derivedName(target) : undefined;
    const selector = childByRole(expression, 'Selector');
    const key =
      expression.kind === 'PathExpression'
        ? selector?.name || selector?.children.find((c) => c.isToken)?.value
        : [...descendants(selector ?? expression)].find((n) => n.kind === 'StringLiteralToken')?.value;
    return base !== undefined && key ? `${base}_${key}` : undefined;
  }
  if (expression.kind === 'FunctionCallExpression' && NAME_KEEPING.has(callName(expression))) {
    const first = callArguments(expression)[0];
    return first ? derivedName(first) : undefined;
  }
  return undefined;
}

/** Column name Kusto gives an unnamed expression: the name it derives, else Column1, Column2, ... */
function defaultName(expression: KqlNode, taken: Set<string>): string {
  const derived = derivedName(expression);
  if (derived !== undefined) return derived;
  let n = 1;
  while (taken.has(`Column${n}`)) n++;
  return `Column${n}`;
}

const LS_TYPES: Record<string, ColumnType> = {
  string: 'string',
  int: 'int',
  long: 'long',
  real: 'real',
  double: 'real',
  bool: 'bool',
  boolean: 'bool',
  datetime: 'datetime',
  timespan: 'timespan',
  dynamic: 'dynamic',
  guid: 'guid',
  decimal: 'decimal',
};

/** The analyzer's type for an output column, when it knew one. */
export function analyzedType(op: KqlNode, name: string): ColumnType | undefined {
  const column = op.columns?.find((c) => c.name === name);
  return column ? LS_TYPES[column.type.toLowerCase()] : undefined;
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
  if (expression.kind === 'CompoundNamedExpression')
    throw new EngineError('SemanticError', '(a, b) = ... is only valid in extend and project');
  return { name: defaultName(expression, taken), expression };
}

/**
 * Evaluates expressions per row and sets them as columns (extend) or as the only columns (project).
 * Unnamed expressions take the name the analyzer gave them (its output schema for `op`), which
 * follows Kusto's naming rules; the derived name is the fallback when the analyzer had none.
 */
function computeColumns(
  input: Frame,
  given: KqlNode[],
  ctx: EvalContext,
  keepInput: boolean,
  op?: KqlNode,
): Frame {
  let expressions = given;
  const taken = new Set(keepInput ? input.columns.map((c) => c.name) : []);
  const inputNames = new Set(input.columns.map((c) => c.name));
  const analyzed = op?.columns;
  // The analyzer's names for what this operator adds: for project all of them, for extend the new ones.
  const fresh = analyzed
    ? keepInput
      ? analyzed.filter((c) => !inputNames.has(c.name)).map((c) => c.name)
      : analyzed.length === expressions.length
        ? analyzed.map((c) => c.name)
        : undefined
    : undefined;
  const produced = new Set<string>();
  let nextFresh = 0;
  // `extend (a, b) = f(x)`: one column per name, from the tuple (array) f returns, in order.
  const tuples = new Map<KqlNode, { names: string[]; value: KqlNode }>();
  expressions = expressions.flatMap((e) => {
    if (e.kind !== 'CompoundNamedExpression') return [e];
    const names = listOf(childByRole(childByRole(e, 'Names') ?? e, 'Names')).map((n) => n.name);
    const value = childByRole(e, 'Expression');
    if (!value) throw new EngineError('SyntaxError', 'Incomplete (a, b) = ... expression');
    return names.map((name, index) => {
      const part: KqlNode = { ...e, kind: 'SimpleNamedExpression', children: [] };
      tuples.set(part, { names: [name], value: { ...value, role: `tuple:${index}` } });
      return part;
    });
  });
  const specs = expressions.map((e, i) => {
    const tuple = tuples.get(e);
    if (tuple) {
      const name = tuple.names[0] ?? `Column${i + 1}`;
      produced.add(name);
      taken.add(name);
      if (keepInput && fresh && !inputNames.has(name)) nextFresh++;
      return { name, expression: tuple.value };
    }
    const spec = named(e, taken);
    let name = spec.name;
    if (e.kind !== 'SimpleNamedExpression' && fresh) {
      if (!keepInput) name = fresh[i] ?? name;
      else if (!inputNames.has(name) || derivedName(e) === undefined) name = fresh[nextFresh++] ?? name;
    } else if (keepInput && fresh && !inputNames.has(name)) {
      nextFresh++;
    }
    // `project A, bin(A, 1d)` yields A and A1, as in Kusto.
    const base = name;
    for (let n = 1; produced.has(name); n++) name = `${base}${n}`;
    produced.add(name);
    taken.add(name);
    return { ...spec, name };
  });
  const rows = input.rows.map((row, index) => {
    const out: Row = keepInput ? { ...row } : {};
    const tupleValues = new Map<string, unknown>();
    ctx.position = { rows: input.rows, index };
    for (const spec of specs) {
      const part = /^tuple:(\d+)$/.exec(spec.expression.role);
      if (!part) {
        out[spec.name] = evalScalar(spec.expression, row, ctx);
        continue;
      }
      const key = `${spec.expression.start}:${spec.expression.width}`;
      if (!tupleValues.has(key)) tupleValues.set(key, evalScalar(spec.expression, row, ctx));
      const tuple = tupleValues.get(key);
      out[spec.name] = Array.isArray(tuple) ? (tuple[Number(part[1])] ?? null) : null;
    }
    return out;
  });
  ctx.position = undefined;
  const columns: FrameColumn[] = keepInput ? [...input.columns] : [];
  for (const spec of specs) {
    const type = resolveType(
      (op ? analyzedType(op, spec.name) : undefined) ?? staticType(spec.expression, input.columns),
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
  return computeColumns(input, expressionsOf(op), ctx, false, op);
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
    if (e.kind === 'CompoundNamedExpression') {
      // `(A, B) = arg_max(X, Y)`: the names replace the aggregate's own column names, in order.
      const names = listOf(childByRole(childByRole(e, 'Names') ?? e, 'Names')).map((n) => n.name);
      const value = childByRole(e, 'Expression');
      if (!value) throw new EngineError('SyntaxError', 'Incomplete (a, b) = ... expression');
      const plan = planAggregate(value, undefined, input.columns, ctx);
      return { ...plan, columns: plan.columns.map((c, i) => ({ ...c, name: names[i] ?? c.name })) };
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
  return withAnalyzedNames(
    { columns: [...keyColumns, ...aggregateColumns.filter((_, i) => keptAggregates[i])], rows },
    op,
  );
}

/**
 * Renames an operator's output to the analyzer's names when both list the same number of columns:
 * Kusto's names for unnamed aggregates and keys (list_x for make_list(tostring(x)), count_, ...).
 */
export function withAnalyzedNames(frame: Frame, op: KqlNode): Frame {
  const analyzed = op.columns;
  if (!analyzed || analyzed.length !== frame.columns.length) return frame;
  if (analyzed.every((c, i) => c.name === frame.columns[i]?.name)) return frame;
  if (new Set(analyzed.map((c) => c.name)).size !== analyzed.length) return frame;
  const columns = frame.columns.map((c, i) => ({ ...c, name: analyzed[i]?.name ?? c.name }));
  const rows = frame.rows.map((row) => {
    const out: Row = {};
    frame.columns.forEach((c, i) => (out[columns[i]?.name ?? c.name] = row[c.name] ?? null));
    return out;
  });
  return { columns, rows };
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
      return computeColumns(input, expressionsOf(op), ctx, true, op);
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
      // Row order is already stable; `serialize n = row_number()` extends.
      return expressionsOf(op).length > 0 ? computeColumns(input, expressionsOf(op), ctx, true, op) : input;
    case 'AsOperator':
    case 'RenderOperator':
      // Result names are not tracked and charts are the client's business: both change nothing here.
      return input;
    case 'ProjectKeepOperator': {
      const keep = input.columns.filter((c) => expressionsOf(op).some((p) => matchesName(p, c.name)));
      return { columns: keep, rows: input.rows.map((row) => pick(row, keep)) };
    }
    case 'ProjectReorderOperator': {
      const first = expressionsOf(op).flatMap((p) => input.columns.filter((c) => matchesName(p, c.name)));
      return { columns: [...new Set([...first, ...input.columns])], rows: input.rows };
    }
    default:
      return undefined;
  }
}
