/** Tabular expressions that make rows from nothing: datatable, print and range. */
import type { ColumnType } from '../../domain/types';
import { isColumnType } from '../../domain/types';
import { childByRole, descendants, listOf, type KqlNode } from '../../kql/languageService';
import { MAX_GENERATED_ROWS } from '../../kql/readOnly';
import { evalScalar, staticType, type EvalContext } from './evaluate';
import { analyzedType } from './operators';
import {
  EngineError,
  Timespan,
  fromCell,
  typeOfValue,
  type Frame,
  type FrameColumn,
  type Row,
} from './values';

function typeName(node: KqlNode | undefined): ColumnType {
  const token = node ? [...descendants(node)].find((n) => n.isToken)?.text.toLowerCase() : undefined;
  const aliases: Record<string, ColumnType> = {
    double: 'real',
    boolean: 'bool',
    date: 'datetime',
    time: 'timespan',
    uniqueid: 'guid',
  };
  const name = token === undefined ? 'string' : (aliases[token] ?? token);
  return isColumnType(name) ? name : 'string';
}

/** `datatable(a:string, b:long) ["x", 1, "y", 2]`: values fill the columns row by row. */
export function dataTable(node: KqlNode, ctx: EvalContext): Frame {
  const columns: FrameColumn[] = listOf(childByRole(childByRole(node, 'Schema') ?? node, 'Columns')).map(
    (c) => ({
      name: childByRole(c, 'Name')?.name ?? '',
      type: typeName(childByRole(c, 'Type')),
    }),
  );
  if (columns.length === 0) throw new EngineError('SyntaxError', 'datatable needs at least one column');
  const values = listOf(childByRole(node, 'Values')).map((v) => evalScalar(v, {}, ctx));
  if (values.length % columns.length !== 0) {
    throw new EngineError(
      'SemanticError',
      `datatable has ${values.length} values for ${columns.length} columns`,
    );
  }
  const rows: Row[] = [];
  for (let i = 0; i < values.length; i += columns.length) {
    const row: Row = {};
    columns.forEach((c, j) => (row[c.name] = fromCell(values[i + j] ?? null, c.type)));
    rows.push(row);
  }
  return { columns, rows };
}

/** `print a = 1, strlen("x")`: one row; unnamed values are print_0, print_1, ... as in Kusto. */
export function printRow(node: KqlNode, ctx: EvalContext): Frame {
  const row: Row = {};
  const columns: FrameColumn[] = [];
  listOf(childByRole(node, 'Expressions')).forEach((expression, i) => {
    const named = expression.kind === 'SimpleNamedExpression';
    const name = named ? (childByRole(expression, 'Name')?.name ?? `print_${i}`) : `print_${i}`;
    const value = named ? childByRole(expression, 'Expression') : expression;
    row[name] = value ? evalScalar(value, {}, ctx) : null;
    const type = analyzedType(node, name) ?? (value ? staticType(value, []) : undefined);
    columns.push({ name, type: type ?? typeOfValue(row[name]) ?? 'string' });
  });
  return { columns, rows: [row] };
}

/** `range x from A to B step S`: numbers, datetimes or timespans; at most MAX_GENERATED_ROWS. */
export function rangeRows(node: KqlNode, ctx: EvalContext): Frame {
  const name = childByRole(node, 'Name')?.name ?? 'value';
  const at = (role: string): unknown => {
    const value = childByRole(node, role);
    return value ? evalScalar(value, {}, ctx) : null;
  };
  const from = at('From');
  const to = at('To');
  const step = at('Step');
  const toNumber = (v: unknown): number | null =>
    v instanceof Date ? v.getTime() : v instanceof Timespan ? v.ms : typeof v === 'number' ? v : null;
  const start = toNumber(from);
  const end = toNumber(to);
  const by = toNumber(step);
  if (start === null || end === null || by === null || by === 0) {
    throw new EngineError('SemanticError', 'range needs from, to and a non-zero step of the same kind');
  }
  const count = Math.floor((end - start) / by) + 1;
  if (count > MAX_GENERATED_ROWS) {
    throw new EngineError(
      'LimitsExceeded',
      `range would generate ${count} rows; the limit is ${MAX_GENERATED_ROWS}`,
    );
  }
  const make = (n: number): unknown =>
    from instanceof Date ? new Date(n) : from instanceof Timespan ? new Timespan(n) : n;
  const rows: Row[] = [];
  for (let i = 0; i < Math.max(0, count); i++) {
    rows.push({ [name]: make(start + i * by) });
    if (i % 10_000 === 0) ctx.budget.charge(10_000, 1);
  }
  const type: ColumnType =
    from instanceof Date
      ? 'datetime'
      : from instanceof Timespan
        ? 'timespan'
        : Number.isInteger(start) && Number.isInteger(by)
          ? 'long'
          : 'real';
  return { columns: [{ name, type }], rows };
}
