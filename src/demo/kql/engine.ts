/**
 * The demo workspace's query engine. Queries are parsed by the Kusto language service and executed by
 * walking its syntax tree over in-memory tables; there is no hand-written parser, so syntax the
 * service accepts but we do not implement fails with an explicit "not supported" error instead of a
 * wrong answer.
 */
import type { QueryTable } from '../../domain/types';
import {
  analyzeKql,
  buildGlobals,
  childByRole,
  parseKql,
  type AnalyzerGlobals,
  type KqlNode,
} from '../../kql/languageService';
import type { LogTables } from '../logTables';
import { DEFAULT_MAX_CELLS, QueryBudget } from './budget';
import { join, union } from './combine';
import { evalScalar, type EvalContext } from './evaluate';
import { applyRowOperator } from './operators';
import { preflight } from './preflight';
import { applyShapingOperator } from './shapingOperators';
import { dataTable, printRow, rangeRows } from './sources';
import { callScalar, callTabular, returnsTable } from './userFunctions';
import {
  EngineError,
  fromCell,
  parseIsoDuration,
  toCell,
  toDate,
  unsupported,
  type Frame,
  type Row,
} from './values';

export type EngineResult =
  { ok: true; tables: QueryTable[] } | { ok: false; code: string; message: string; innerCode?: string };

export interface ExecuteOptions {
  now: Date;
  /** ISO-8601 duration (P1D, PT12H) or `start/end` interval, applied to TimeGenerated like Log Analytics. */
  timespan?: string;
  rowCap?: number;
  /** Milliseconds the query may run; default unlimited (the worker's deadline still applies). */
  timeoutMs?: number;
  /** Cells (rows × columns) the query may produce in all; default DEFAULT_MAX_CELLS. */
  maxCells?: number;
}

export interface QueryContext extends EvalContext {
  tables: LogTables;
  frames: Map<string, Frame>;
  /** Query-local functions by name: their FunctionDeclaration nodes. */
  functions: Map<string, KqlNode>;
  sourceCache: Map<string, Frame>;
  /** Tabular function calls already evaluated, by function and scalar arguments. */
  callCache: Map<string, Frame>;
  window?: { start: number; end: number };
}

function timeWindow(timespan: string | undefined, now: Date): { start: number; end: number } | undefined {
  if (timespan === undefined || timespan.trim() === '') return undefined;
  const [first, second] = timespan.split('/');
  if (first !== undefined && second !== undefined) {
    const start = toDate(first);
    const end = toDate(second);
    const duration = parseIsoDuration(second);
    if (start && end) return { start: start.getTime(), end: end.getTime() };
    if (start && duration !== null) return { start: start.getTime(), end: start.getTime() + duration };
  } else if (first !== undefined) {
    const duration = parseIsoDuration(first);
    if (duration !== null) return { start: now.getTime() - duration, end: now.getTime() };
  }
  throw new EngineError(
    'SemanticError',
    `Invalid timespan '${timespan}': expected an ISO-8601 duration such as P1D or PT12H`,
  );
}

/** A let-bound table or a workspace table, by name. */
export function lookupTable(name: string, ctx: QueryContext): Frame | undefined {
  const frame = ctx.frames.get(name);
  if (frame) return frame;
  // `let F = () { ... }; F | where ...`: a function without parameters may be named without a call.
  if (ctx.functions.has(name)) return callTabular(functionCall(name), ctx);
  return sourceTable(name, ctx);
}

/** A call node `name()` with no arguments, for functions referenced by name alone. */
function functionCall(name: string): KqlNode {
  const base = { isToken: false, text: '', value: '', start: 0, width: 0, symbolKind: '', resultType: '' };
  return {
    ...base,
    kind: 'FunctionCallExpression',
    role: '',
    name: '',
    children: [{ ...base, kind: 'NameReference', role: 'Name', name, children: [] }],
  };
}

function sourceTable(name: string, ctx: QueryContext): Frame | undefined {
  const cached = ctx.sourceCache.get(name);
  if (cached) return cached;
  const table = Object.prototype.hasOwnProperty.call(ctx.tables, name) ? ctx.tables[name] : undefined;
  if (!table) return undefined;
  const columns = table.columns.map((c) => ({ name: c.name, type: c.type }));
  let rows: Row[] = table.rows.map((cells) => {
    const row: Row = {};
    columns.forEach((c, i) => (row[c.name] = fromCell(cells[i], c.type)));
    return row;
  });
  const window = ctx.window;
  if (window && columns.some((c) => c.name === 'TimeGenerated')) {
    rows = rows.filter((row) => {
      const time = row.TimeGenerated;
      return time instanceof Date && time.getTime() >= window.start && time.getTime() <= window.end;
    });
  }
  const frame = { columns, rows };
  ctx.sourceCache.set(name, frame);
  return charged(frame, ctx);
}

function charged(frame: Frame, ctx: QueryContext): Frame {
  ctx.budget.charge(frame.rows.length, frame.columns.length);
  return frame;
}

function operatorName(node: KqlNode): string {
  const keyword = node.children.find((c) => c.isToken);
  return keyword?.text.toLowerCase() || node.kind.replace(/(Operator|Expression)$/, '').toLowerCase();
}

export function evalTabular(node: KqlNode, ctx: QueryContext): Frame {
  const evaluate = (n: KqlNode): Frame => evalTabular(n, ctx);
  switch (node.kind) {
    case 'NameReference': {
      const frame = lookupTable(node.name, ctx);
      if (!frame)
        throw new EngineError(
          'SemanticError',
          `Failed to resolve table or column expression named '${node.name}'`,
        );
      return frame;
    }
    case 'ParenthesizedExpression': {
      const inner = childByRole(node, 'Expression');
      if (!inner) throw new EngineError('SyntaxError', 'Empty parentheses');
      return evalTabular(inner, ctx);
    }
    case 'PipeExpression': {
      const source = childByRole(node, 'Expression');
      const op = childByRole(node, 'Operator');
      if (!source || !op) throw new EngineError('SyntaxError', 'Incomplete pipe');
      return applyOperator(evalTabular(source, ctx), op, ctx);
    }
    case 'UnionOperator':
      return charged(union(undefined, node, evaluate), ctx);
    case 'MaterializeExpression': {
      const inner = childByRole(node, 'Expression');
      if (!inner) throw new EngineError('SyntaxError', 'materialize() needs a tabular expression');
      return evalTabular(inner, ctx);
    }
    case 'FunctionCallExpression': {
      const frame = callTabular(node, ctx);
      if (frame) return frame;
      throw unsupported('function', operatorName(node));
    }
    case 'DataTableExpression':
      return charged(dataTable(node, ctx), ctx);
    case 'PrintOperator':
      return printRow(node, ctx);
    case 'RangeOperator':
      return charged(rangeRows(node, ctx), ctx);
    default:
      throw unsupported('operator', operatorName(node));
  }
}

/** One pipe operator applied to `input`. */
function applyOperator(input: Frame, op: KqlNode, ctx: QueryContext): Frame {
  const evaluate = (n: KqlNode): Frame => evalTabular(n, ctx);
  if (op.kind === 'JoinOperator' || op.kind === 'LookupOperator')
    return join(input, op, evaluate, ctx.budget);
  if (op.kind === 'UnionOperator') return charged(union(input, op, evaluate), ctx);
  const output =
    applyRowOperator(input, op, ctx) ??
    applyShapingOperator(input, op, ctx, (frame, subquery) => applyChain(frame, subquery, ctx));
  if (!output) throw unsupported('operator', operatorName(op));
  return charged(output, ctx);
}

/** A subquery with no source of its own (mv-apply's `on (...)`), applied to `input`. */
export function applyChain(input: Frame, node: KqlNode, ctx: QueryContext): Frame {
  if (node.kind === 'ParenthesizedExpression') {
    const inner = childByRole(node, 'Expression');
    return inner ? applyChain(input, inner, ctx) : input;
  }
  if (node.kind === 'PipeExpression') {
    const source = childByRole(node, 'Expression');
    const op = childByRole(node, 'Operator');
    if (!source || !op) throw new EngineError('SyntaxError', 'Incomplete pipe');
    return applyOperator(applyChain(input, source, ctx), op, ctx);
  }
  return applyOperator(input, node, ctx);
}

const TABULAR_KINDS = new Set([
  'PipeExpression',
  'UnionOperator',
  'MaterializeExpression',
  'DataTableExpression',
  'PrintOperator',
  'RangeOperator',
]);

/** Whether a `let` value is tabular, decided from its syntax and what names are already bound. */
export function isTabular(node: KqlNode, ctx: QueryContext): boolean {
  if (TABULAR_KINDS.has(node.kind)) return true;
  switch (node.kind) {
    case 'NameReference': {
      const declaration = ctx.functions.get(node.name);
      if (declaration) return returnsTable(declaration, ctx);
      return ctx.frames.has(node.name) || Object.prototype.hasOwnProperty.call(ctx.tables, node.name);
    }
    case 'ParenthesizedExpression': {
      const inner = childByRole(node, 'Expression');
      return inner ? isTabular(inner, ctx) : false;
    }
    case 'FunctionCallExpression': {
      const name = childByRole(node, 'Name')?.name ?? '';
      if (name.toLowerCase() === 'table') return true;
      const declaration = ctx.functions.get(name);
      return declaration !== undefined && returnsTable(declaration, ctx);
    }
    default:
      return node.kind.endsWith('Operator');
  }
}

/** Binds one `let` statement in `ctx` (tables, functions or scalars); other statements are refused. */
export function runLet(statement: KqlNode, ctx: QueryContext): void {
  if (statement.kind !== 'LetStatement') {
    throw unsupported('statement', statement.kind.replace(/Statement$/, '').toLowerCase());
  }
  const name = childByRole(statement, 'Name')?.name ?? '';
  const value = childByRole(statement, 'Expression');
  if (!value) throw new EngineError('SyntaxError', `let ${name} has no value`);
  ctx.frames.delete(name);
  ctx.scalars.delete(name);
  ctx.functions.delete(name);
  if (value.kind === 'FunctionDeclaration') ctx.functions.set(name, value);
  else if (isTabular(value, ctx)) ctx.frames.set(name, evalTabular(value, ctx));
  else ctx.scalars.set(name, evalScalar(value, {}, ctx));
}

/**
 * Gives `ctx` its evaluators for tabular operands inside scalar expressions (`x in (T | project Y)`,
 * evaluated once per scope, not once per row) and for calls of query-local scalar functions.
 */
export function bindOperands(ctx: QueryContext): void {
  const operands = new Map<KqlNode, Frame>();
  ctx.tabular = (node) => {
    if (!isTabular(node, ctx)) return undefined;
    const cached = operands.get(node);
    if (cached) return cached;
    const frame = evalTabular(node, ctx);
    operands.set(node, frame);
    return frame;
  };
  ctx.userCall = (call, row) => callScalar(call, row, ctx);
}

function runStatements(root: KqlNode, ctx: QueryContext): Frame {
  let result: Frame | undefined;
  for (const statement of childByRole(root, 'Statements')?.children ?? []) {
    if (statement.kind === 'ExpressionStatement') {
      const expression = childByRole(statement, 'Expression');
      if (expression) result = evalTabular(expression, ctx);
    } else if (statement.kind === 'QueryParametersStatement' || statement.kind === 'SetOptionStatement') {
      // declare query_parameters / set: no effect on a demo run.
    } else {
      runLet(statement, ctx);
    }
  }
  if (!result) throw new EngineError('SemanticError', 'The query has no tabular expression to return');
  return result;
}

const globalsBySignature = new Map<string, AnalyzerGlobals>();

/** Analyzer globals for the demo's tables, so the tree carries Kusto's result names and types. */
function globalsFor(tables: LogTables): AnalyzerGlobals {
  const schema = Object.fromEntries(
    Object.entries(tables).map(([name, t]) => [name, t.columns.map((c) => ({ name: c.name, type: c.type }))]),
  );
  const signature = JSON.stringify(schema);
  let globals = globalsBySignature.get(signature);
  if (!globals) {
    if (globalsBySignature.size >= 4) globalsBySignature.clear();
    globals = buildGlobals(schema);
    globalsBySignature.set(signature, globals);
  }
  return globals;
}

function lineAndColumn(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset);
  return [before.split('\n').length, offset - before.lastIndexOf('\n')];
}

/** Runs a query over the demo's tables, answering like the Log Analytics query API does. */
export function executeQuery(query: string, tables: LogTables, options: ExecuteOptions): EngineResult {
  try {
    if (typeof query !== 'string' || query.trim() === '') {
      throw new EngineError('SyntaxError', 'The query is empty');
    }
    const syntaxError = parseKql(query).diagnostics.find((d) => d.severity === 'Error');
    if (syntaxError) {
      const [line, column] = lineAndColumn(query, syntaxError.start);
      const near = query.slice(syntaxError.start, syntaxError.start + Math.max(syntaxError.length, 1)).trim();
      throw new EngineError(
        'SyntaxError',
        `Query could not be parsed at '${near}' on line [${line},${column}]: ${syntaxError.message}`,
      );
    }
    // Analysed, not only parsed: the tree then carries Kusto's names and types for computed columns.
    const parsed = analyzeKql(query, globalsFor(tables));
    if (parsed.kind !== 'Query') throw unsupported('feature', 'management commands');
    preflight(parsed.root);
    const ctx: QueryContext = {
      source: query,
      now: options.now,
      scalars: new Map(),
      tables,
      frames: new Map(),
      functions: new Map(),
      sourceCache: new Map(),
      callCache: new Map(),
      window: timeWindow(options.timespan, options.now),
      budget: new QueryBudget({
        deadline: options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs,
        maxCells: options.maxCells ?? DEFAULT_MAX_CELLS,
      }),
    };
    bindOperands(ctx);
    const frame = runStatements(parsed.root, ctx);
    const cap = options.rowCap !== undefined && options.rowCap >= 0 ? options.rowCap : Infinity;
    const rows = frame.rows.slice(0, cap).map((row) => frame.columns.map((c) => toCell(row[c.name])));
    return { ok: true, tables: [{ name: 'PrimaryResult', columns: frame.columns, rows }] };
  } catch (error) {
    if (error instanceof EngineError) {
      return { ok: false, code: 'BadArgumentError', innerCode: error.innerCode, message: error.message };
    }
    // A bug in the engine must not take the demo server down; report it as a query failure.
    return {
      ok: false,
      code: 'InternalServerError',
      message: `The demo workspace failed to run the query: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
