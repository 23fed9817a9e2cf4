/**
 * The demo workspace's query engine. Queries are parsed by the Kusto language service and executed by
 * walking its syntax tree over in-memory tables; there is no hand-written parser, so syntax the
 * service accepts but we do not implement fails with an explicit "not supported" error instead of a
 * wrong answer.
 */
import type { QueryTable } from '../../domain/types';
import { childByRole, parseKql, type KqlNode } from '../../kql/languageService';
import type { LogTables } from '../logTables';
import { DEFAULT_MAX_CELLS, QueryBudget } from './budget';
import { join, union } from './combine';
import { evalScalar, type EvalContext } from './evaluate';
import { applyRowOperator } from './operators';
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

interface QueryContext extends EvalContext {
  tables: LogTables;
  frames: Map<string, Frame>;
  sourceCache: Map<string, Frame>;
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

function evalTabular(node: KqlNode, ctx: QueryContext): Frame {
  const evaluate = (n: KqlNode): Frame => evalTabular(n, ctx);
  switch (node.kind) {
    case 'NameReference': {
      const frame = ctx.frames.get(node.name) ?? sourceTable(node.name, ctx);
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
      const input = evalTabular(source, ctx);
      if (op.kind === 'JoinOperator') return join(input, op, evaluate, ctx.budget);
      if (op.kind === 'UnionOperator') return charged(union(input, op, evaluate), ctx);
      const output = applyRowOperator(input, op, ctx);
      if (!output) throw unsupported('operator', operatorName(op));
      ctx.budget.charge(output.rows.length, output.columns.length);
      return output;
    }
    case 'UnionOperator':
      return charged(union(undefined, node, evaluate), ctx);
    case 'MaterializeExpression': {
      const inner = childByRole(node, 'Expression');
      if (!inner) throw new EngineError('SyntaxError', 'materialize() needs a tabular expression');
      return evalTabular(inner, ctx);
    }
    case 'FunctionCallExpression':
      throw unsupported('function', operatorName(node));
    default:
      throw unsupported('operator', operatorName(node));
  }
}

/** Whether a `let` value is tabular, decided from its syntax and what names are already bound. */
function isTabular(node: KqlNode, ctx: QueryContext): boolean {
  switch (node.kind) {
    case 'PipeExpression':
    case 'UnionOperator':
    case 'MaterializeExpression':
      return true;
    case 'NameReference':
      return ctx.frames.has(node.name) || Object.prototype.hasOwnProperty.call(ctx.tables, node.name);
    case 'ParenthesizedExpression': {
      const inner = childByRole(node, 'Expression');
      return inner ? isTabular(inner, ctx) : false;
    }
    default:
      return node.kind.endsWith('Operator');
  }
}

function runStatements(root: KqlNode, ctx: QueryContext): Frame {
  let result: Frame | undefined;
  for (const statement of childByRole(root, 'Statements')?.children ?? []) {
    if (statement.kind === 'LetStatement') {
      const name = childByRole(statement, 'Name')?.name ?? '';
      const value = childByRole(statement, 'Expression');
      if (!value) throw new EngineError('SyntaxError', `let ${name} has no value`);
      if (value.kind === 'FunctionDeclaration')
        throw unsupported('feature', 'user-defined functions (let f = (...) {...})');
      if (isTabular(value, ctx)) {
        ctx.frames.set(name, evalTabular(value, ctx));
        ctx.scalars.delete(name);
      } else {
        ctx.scalars.set(name, evalScalar(value, {}, ctx));
        ctx.frames.delete(name);
      }
    } else if (statement.kind === 'ExpressionStatement') {
      const expression = childByRole(statement, 'Expression');
      if (expression) result = evalTabular(expression, ctx);
    } else {
      throw unsupported('statement', statement.kind.replace(/Statement$/, '').toLowerCase());
    }
  }
  if (!result) throw new EngineError('SemanticError', 'The query has no tabular expression to return');
  return result;
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
    const parsed = parseKql(query);
    const syntaxError = parsed.diagnostics.find((d) => d.severity === 'Error');
    if (syntaxError) {
      const [line, column] = lineAndColumn(query, syntaxError.start);
      const near = query.slice(syntaxError.start, syntaxError.start + Math.max(syntaxError.length, 1)).trim();
      throw new EngineError(
        'SyntaxError',
        `Query could not be parsed at '${near}' on line [${line},${column}]: ${syntaxError.message}`,
      );
    }
    if (parsed.kind !== 'Query') throw unsupported('feature', 'management commands');
    const ctx: QueryContext = {
      source: query,
      now: options.now,
      scalars: new Map(),
      tables,
      frames: new Map(),
      sourceCache: new Map(),
      window: timeWindow(options.timespan, options.now),
      budget: new QueryBudget({
        deadline: options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs,
        maxCells: options.maxCells ?? DEFAULT_MAX_CELLS,
      }),
    };
    // Tabular operands inside scalar expressions are evaluated once per query, not once per row.
    const tabularOperands = new Map<KqlNode, Frame>();
    ctx.tabular = (node) => {
      if (!isTabular(node, ctx)) return undefined;
      const cached = tabularOperands.get(node);
      if (cached) return cached;
      const frame = evalTabular(node, ctx);
      tabularOperands.set(node, frame);
      return frame;
    };
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
