/** Evaluates scalar expressions of the language service's syntax tree against one row. */
import type { ColumnType } from '../../domain/types';
import { childByRole, listOf, type KqlNode } from '../../kql/languageService';
import type { QueryBudget } from './budget';
import { literal } from './literalValues';
import { re2 } from './re2';
import { callScalarFunction, functionResultType } from './functions';
import { COMPARISONS, STRING_OPERATORS, arithmetic, hasTerm, lower } from './scalarOperators';
import {
  EngineError,
  Timespan,
  compareValues,
  isDynamic,
  toKustoString,
  unsupported,
  valuesEqual,
  type Frame,
  type FrameColumn,
  type Row,
} from './values';

export interface EvalContext {
  /** Query text, for literals the tree gives only as spans (dynamic(...)). */
  source: string;
  now: Date;
  /** Scalars bound by `let`. */
  scalars: Map<string, unknown>;
  /** Evaluates a tabular operand (`x in (T | project Y)`, `x in (letBoundTable)`); undefined when not tabular. */
  tabular?: (node: KqlNode) => Frame | undefined;
  /** Time and size the query may still spend (see budget.ts). */
  budget: QueryBudget;
  /** Inside summarize: the value of each aggregate call of an expression for the current group. */
  aggregates?: Map<KqlNode, { value: unknown }>;
  /** The rows being computed and the current one, for row_number(), prev() and next(). */
  position?: { rows: Row[]; index: number };
  /** Calls a query-local scalar function; undefined when the call names none. */
  userCall?: (call: KqlNode, row: Row) => { value: unknown } | undefined;
}

export { listOf };

export function callArguments(call: KqlNode): KqlNode[] {
  return listOf(childByRole(childByRole(call, 'ArgumentList') ?? call, 'Expressions'));
}

export function callName(call: KqlNode): string {
  return (childByRole(call, 'Name')?.name ?? '').toLowerCase();
}

function operands(node: KqlNode): [KqlNode, KqlNode] {
  const left = childByRole(node, 'Left');
  const right = childByRole(node, 'Right');
  if (!left || !right) throw new EngineError('SyntaxError', `Incomplete '${node.kind}' expression`);
  return [left, right];
}

function selectorName(node: KqlNode): string {
  const selector = childByRole(node, 'Selector');
  if (!selector) return '';
  return (
    selector.name || (selector.children.find((c) => c.isToken && c.kind !== 'OpenBracketToken')?.value ?? '')
  );
}

function member(container: unknown, key: unknown): unknown {
  if (Array.isArray(container) && typeof key === 'number') {
    return container[key < 0 ? container.length + key : key] ?? null;
  }
  if (isDynamic(container) && !Array.isArray(container)) return container[toKustoString(key)] ?? null;
  return null;
}

const INTEGER_TYPES = new Set(['long', 'int']);

export function evalScalar(node: KqlNode, row: Row, ctx: EvalContext): unknown {
  const stringOperator = STRING_OPERATORS[node.kind];
  if (stringOperator) {
    const [l, r] = operands(node);
    let left = toKustoString(evalScalar(l, row, ctx));
    let right = toKustoString(evalScalar(r, row, ctx));
    if (!stringOperator.caseSensitive) {
      left = left.toLowerCase();
      right = right.toLowerCase();
    }
    return stringOperator.test(left, right) !== stringOperator.negate;
  }
  const comparison = COMPARISONS[node.kind];
  if (comparison) {
    const [l, r] = operands(node);
    const a = evalScalar(l, row, ctx);
    const b = evalScalar(r, row, ctx);
    return a === null || b === null ? false : comparison(compareValues(a, b));
  }
  switch (node.kind) {
    case 'ParenthesizedExpression':
    case 'SimpleNamedExpression': {
      // A named argument (f(x, option = 1)) evaluates to its value.
      const inner = childByRole(node, 'Expression');
      return inner ? evalScalar(inner, row, ctx) : null;
    }
    case 'NameReference':
      if (Object.prototype.hasOwnProperty.call(row, node.name)) return row[node.name];
      if (ctx.scalars.has(node.name)) return ctx.scalars.get(node.name);
      throw new EngineError('SemanticError', `Failed to resolve scalar expression named '${node.name}'`);
    case 'AndExpression': {
      const [l, r] = operands(node);
      return evalScalar(l, row, ctx) === true && evalScalar(r, row, ctx) === true;
    }
    case 'OrExpression': {
      const [l, r] = operands(node);
      return evalScalar(l, row, ctx) === true || evalScalar(r, row, ctx) === true;
    }
    case 'EqualExpression':
    case 'NotEqualExpression': {
      const [l, r] = operands(node);
      const equal = valuesEqual(evalScalar(l, row, ctx), evalScalar(r, row, ctx));
      return node.kind === 'EqualExpression' ? equal : !equal;
    }
    case 'EqualTildeExpression':
    case 'BangTildeExpression': {
      const [l, r] = operands(node);
      const equal = lower(evalScalar(l, row, ctx)) === lower(evalScalar(r, row, ctx));
      return node.kind === 'EqualTildeExpression' ? equal : !equal;
    }
    case 'AddExpression':
    case 'SubtractExpression':
    case 'MultiplyExpression':
    case 'DivideExpression':
    case 'ModuloExpression': {
      const [l, r] = operands(node);
      const value = arithmetic(node.kind, evalScalar(l, row, ctx), evalScalar(r, row, ctx));
      // long / long is a long in Kusto (10 / 4 == 2); the analyzer's type says which division this is.
      return typeof value === 'number' && INTEGER_TYPES.has(node.resultType) ? Math.trunc(value) : value;
    }
    case 'UnaryMinusExpression': {
      const value = evalScalar(childByRole(node, 'Expression') ?? node, row, ctx);
      return value instanceof Timespan ? new Timespan(-value.ms) : typeof value === 'number' ? -value : null;
    }
    case 'UnaryPlusExpression':
      return evalScalar(childByRole(node, 'Expression') ?? node, row, ctx);
    case 'InExpression':
    case 'InCsExpression':
    case 'NotInExpression':
    case 'NotInCsExpression':
      return evalIn(node, row, ctx);
    case 'HasAnyExpression':
    case 'HasAllExpression': {
      const [l, r] = operands(node);
      const haystack = lower(evalScalar(l, row, ctx));
      const needles = expandList(listOf(childByRole(r, 'Expressions')), row, ctx).map(lower);
      const test = (n: string): boolean => hasTerm(haystack, n);
      return node.kind === 'HasAnyExpression' ? needles.some(test) : needles.every(test);
    }
    case 'MatchesRegexExpression': {
      const [l, r] = operands(node);
      return re2(toKustoString(evalScalar(r, row, ctx))).test(toKustoString(evalScalar(l, row, ctx)));
    }
    case 'BetweenExpression':
    case 'NotBetweenExpression': {
      const [l, r] = operands(node);
      const value = evalScalar(l, row, ctx);
      const first = childByRole(r, 'First');
      const second = childByRole(r, 'Second');
      if (!first || !second) throw new EngineError('SyntaxError', 'between needs (low .. high)');
      const low = evalScalar(first, row, ctx);
      let high = evalScalar(second, row, ctx);
      if (low instanceof Date && high instanceof Timespan) high = new Date(low.getTime() + high.ms);
      if (value === null || low === null || high === null) return false;
      const inside = compareValues(value, low) >= 0 && compareValues(value, high) <= 0;
      return node.kind === 'BetweenExpression' ? inside : !inside;
    }
    case 'FunctionCallExpression':
      return evalCall(node, row, ctx);
    case 'PathExpression': {
      const target = childByRole(node, 'Expression');
      return target ? member(evalScalar(target, row, ctx), selectorName(node)) : null;
    }
    case 'ElementExpression': {
      const target = childByRole(node, 'Expression');
      const selector = childByRole(childByRole(node, 'Selector') ?? node, 'Expression');
      if (!target || !selector) return null;
      return member(evalScalar(target, row, ctx), evalScalar(selector, row, ctx));
    }
    case 'ToScalarExpression': {
      const inner = childByRole(node, 'Expression');
      if (!inner) return null;
      const table = ctx.tabular?.(inner);
      if (!table) return evalScalar(inner, row, ctx);
      const first = table.columns[0]?.name;
      return first === undefined ? null : (table.rows[0]?.[first] ?? null);
    }
    default:
      if (node.kind.endsWith('LiteralExpression') || node.kind === 'DynamicExpression') return literal(node);
      throw unsupported('expression', node.kind.replace(/Expression$/, ''));
  }
}

/** `in` lists may hold dynamic arrays (`in (dynamic([...]))` or a let-bound set): flatten them. */
function expandList(items: KqlNode[], row: Row, ctx: EvalContext): unknown[] {
  return items.flatMap((item) => {
    const table = ctx.tabular?.(item);
    if (table) {
      const first = table.columns[0]?.name;
      return first === undefined ? [] : table.rows.map((r) => r[first]);
    }
    const value = evalScalar(item, row, ctx);
    return Array.isArray(value) ? value : [value];
  });
}

function evalIn(node: KqlNode, row: Row, ctx: EvalContext): boolean {
  const [l, r] = operands(node);
  const value = evalScalar(l, row, ctx);
  const items = expandList(listOf(childByRole(r, 'Expressions')), row, ctx);
  const caseInsensitive = node.kind === 'InCsExpression' || node.kind === 'NotInCsExpression';
  const found = caseInsensitive
    ? items.some((item) => lower(item) === lower(value))
    : items.some((item) => valuesEqual(item, value));
  return node.kind.startsWith('Not') ? !found : found;
}

function evalCall(node: KqlNode, row: Row, ctx: EvalContext): unknown {
  const user = ctx.userCall?.(node, row);
  if (user) return user.value;
  const aggregated = ctx.aggregates?.get(node);
  if (aggregated !== undefined) return aggregated.value;
  const name = callName(node);
  const args = callArguments(node);
  if (name === 'row_number' || name === 'prev' || name === 'next') return windowCall(name, args, row, ctx);
  if (name === 'row_window_session') return rowWindowSession(args, ctx);
  if (name === 'column_ifexists' || name === 'columnifexists') {
    const column = args[0] ? toKustoString(evalScalar(args[0], row, ctx)) : '';
    if (Object.prototype.hasOwnProperty.call(row, column)) return row[column];
    return args[1] ? evalScalar(args[1], row, ctx) : null;
  }
  return callScalarFunction(
    name,
    args.map((a) => evalScalar(a, row, ctx)),
    ctx.now,
  );
}

/** row_number([start]), prev(expr [, offset [, default]]), next(...) over the rows being computed. */
function windowCall(name: string, args: KqlNode[], row: Row, ctx: EvalContext): unknown {
  const position = ctx.position;
  if (!position)
    throw new EngineError(
      'SemanticError',
      `${name}() needs a serialized row set (use it in extend or project)`,
    );
  if (name === 'row_number') {
    const start = args[0] ? evalScalar(args[0], row, ctx) : 1;
    return position.index + (typeof start === 'number' ? start : 1);
  }
  const offsetValue = args[1] ? evalScalar(args[1], row, ctx) : 1;
  const offset = typeof offsetValue === 'number' ? offsetValue : 1;
  const target = position.rows[position.index + (name === 'prev' ? -offset : offset)];
  if (!target || !args[0]) return args[2] ? evalScalar(args[2], row, ctx) : null;
  return evalScalar(args[0], target, ctx);
}

const sessions = new WeakMap<Row[], Map<KqlNode, unknown[]>>();

/**
 * row_window_session(expr, maxFromFirst, maxBetweenNeighbours [, restart]): the value of `expr` where
 * the row's session began. Computed once for all rows of the serialized set, in order.
 */
function rowWindowSession(args: KqlNode[], ctx: EvalContext): unknown {
  const position = ctx.position;
  const [valueArg, fromFirstArg, neighboursArg, restartArg] = args;
  if (!position || !valueArg || !fromFirstArg || !neighboursArg)
    throw new EngineError(
      'SemanticError',
      'row_window_session() needs a serialized row set and three arguments',
    );
  let perCall = sessions.get(position.rows);
  if (!perCall) {
    perCall = new Map();
    sessions.set(position.rows, perCall);
  }
  let starts = perCall.get(valueArg);
  if (!starts) {
    const ms = (v: unknown): number | null =>
      v instanceof Date ? v.getTime() : v instanceof Timespan ? v.ms : typeof v === 'number' ? v : null;
    const fromFirst = ms(evalScalar(fromFirstArg, {}, ctx)) ?? Infinity;
    const neighbours = ms(evalScalar(neighboursArg, {}, ctx)) ?? Infinity;
    const computed: unknown[] = [];
    let start: unknown = null;
    let previous: number | null = null;
    position.rows.forEach((r, index) => {
      const scoped = { ...ctx, position: { rows: position.rows, index } };
      const value = evalScalar(valueArg, r, scoped);
      const now = ms(value);
      const restart = restartArg ? evalScalar(restartArg, r, scoped) === true : false;
      const startMs = ms(start);
      if (
        index === 0 ||
        restart ||
        now === null ||
        startMs === null ||
        previous === null ||
        now - startMs > fromFirst ||
        now - previous > neighbours
      )
        start = value;
      previous = now;
      computed.push(start);
    });
    starts = computed;
    perCall.set(valueArg, starts);
  }
  return starts[position.index] ?? null;
}

/** A column type decided from the expression alone, so empty results still carry types. */
export function staticType(node: KqlNode, columns: FrameColumn[]): ColumnType | undefined {
  if (node.kind === 'NameReference') return columns.find((c) => c.name === node.name)?.type;
  if (node.kind === 'ParenthesizedExpression') {
    const inner = childByRole(node, 'Expression');
    return inner ? staticType(inner, columns) : undefined;
  }
  if (node.kind === 'FunctionCallExpression') {
    const name = callName(node);
    if (name === 'iff' || name === 'iif') {
      const branch = callArguments(node)[1];
      return branch ? staticType(branch, columns) : undefined;
    }
    if (name === 'bin' || name === 'floor') {
      const first = callArguments(node)[0];
      return first ? staticType(first, columns) : undefined;
    }
    return functionResultType(name);
  }
  if (STRING_OPERATORS[node.kind] || COMPARISONS[node.kind]) return 'bool';
  if (
    /^(And|Or|Equal|NotEqual|EqualTilde|BangTilde|In|InCs|NotIn|NotInCs|Between|NotBetween|HasAny|HasAll)Expression$/.test(
      node.kind,
    )
  ) {
    return 'bool';
  }
  const literals: Record<string, ColumnType> = {
    StringLiteralExpression: 'string',
    LongLiteralExpression: 'long',
    IntLiteralExpression: 'int',
    RealLiteralExpression: 'real',
    BooleanLiteralExpression: 'bool',
    DateTimeLiteralExpression: 'datetime',
    TimespanLiteralExpression: 'timespan',
    DynamicExpression: 'dynamic',
    PathExpression: 'dynamic',
    ElementExpression: 'dynamic',
  };
  return literals[node.kind];
}
