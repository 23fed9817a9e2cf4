/**
 * `mv-expand`: one output row per element of a dynamic array (or per property of a bag), and
 * `mv-apply`: a subquery run over each row's expanded elements.
 */
import { isColumnType, type ColumnType } from '../../domain/types';
import { childByRole, descendants, listOf, type KqlNode } from '../../kql/languageService';
import { evalScalar, type EvalContext } from './evaluate';
import { EngineError, fromCell, isDynamic, type Frame, type FrameColumn, type Row } from './values';

interface ExpandSpec {
  name: string;
  expression: KqlNode;
  type: ColumnType;
}

/** The name Kusto gives an expanded expression: its own, the derived one, or the analyzer's. */
export type NameOf = (expression: KqlNode) => string | undefined;

function specOf(node: KqlNode, nameOf: NameOf, fallback: string | undefined): ExpandSpec {
  const inner = childByRole(node, 'Expression') ?? node;
  const named = inner.kind === 'SimpleNamedExpression';
  const expression = named ? childByRole(inner, 'Expression') : inner;
  const name = named
    ? childByRole(inner, 'Name')?.name
    : expression
      ? (nameOf(expression) ?? fallback)
      : undefined;
  if (!expression || !name)
    throw new EngineError('SemanticError', 'mv-expand needs a name for this expression (name = expression)');
  const typeOf = childByRole(node, 'ToTypeOf');
  const typeToken = typeOf
    ? [...descendants(typeOf)]
        .filter((n) => n.isToken)
        .at(-2)
        ?.text.toLowerCase()
    : undefined;
  const normalized = typeToken === 'double' ? 'real' : typeToken;
  const type = normalized && isColumnType(normalized) ? normalized : 'dynamic';
  return { name, expression, type };
}

function parameter(op: KqlNode, wanted: string): KqlNode | undefined {
  for (const p of listOf(childByRole(op, 'Parameters'))) {
    const name = [...descendants(childByRole(p, 'Name') ?? p)].find((n) => n.isToken)?.text.toLowerCase();
    if (name === wanted) return childByRole(p, 'Expression');
  }
  return undefined;
}

/** Kusto: null expands to one null, an empty array or bag to no rows, anything else to its elements. */
function elementsOf(value: unknown, bagsAsArrays: boolean): unknown[] {
  if (Array.isArray(value)) return value;
  if (isDynamic(value)) {
    return Object.entries(value).map(([k, v]) => (bagsAsArrays ? [k, v] : { [k]: v }));
  }
  return [value ?? null];
}

interface Expansion {
  specs: ExpandSpec[];
  indexColumn: string | undefined;
  limit: number;
  bagsAsArrays: boolean;
}

function expansionOf(op: KqlNode, ctx: EvalContext, nameOf: NameOf, role: string): Expansion {
  const added = (op.columns ?? []).map((c) => c.name);
  const expressions = listOf(childByRole(op, role));
  const specs = expressions.map((e, i) => specOf(e, nameOf, added[added.length - expressions.length + i]));
  const limitNode = childByRole(childByRole(op, 'RowLimitClause') ?? op, 'RowLimit');
  const limitValue = limitNode ? evalScalar(limitNode, {}, ctx) : null;
  const index = parameter(op, 'with_itemindex');
  const bag = parameter(op, 'bagexpansion') ?? parameter(op, 'kind');
  return {
    specs,
    indexColumn: index?.name || undefined,
    limit: typeof limitValue === 'number' && limitValue > 0 ? limitValue : Infinity,
    bagsAsArrays:
      bag !== undefined && [...descendants(bag)].some((n) => n.isToken && n.text.toLowerCase() === 'array'),
  };
}

/** Rows of one input row's expansion (no input columns), with the expansion's columns. */
function expandRow(row: Row, expansion: Expansion, ctx: EvalContext): Row[] {
  const lists = expansion.specs.map((s) =>
    elementsOf(evalScalar(s.expression, row, ctx), expansion.bagsAsArrays),
  );
  const length = Math.min(expansion.limit, Math.max(0, ...lists.map((l) => l.length)));
  const rows: Row[] = [];
  for (let i = 0; i < length; i++) {
    const out: Row = {};
    if (expansion.indexColumn) out[expansion.indexColumn] = i;
    expansion.specs.forEach((s, j) => (out[s.name] = fromCell(lists[j]?.[i] ?? null, s.type)));
    rows.push(out);
  }
  return rows;
}

function expansionColumns(input: Frame, expansion: Expansion): FrameColumn[] {
  const columns: FrameColumn[] = [...input.columns];
  const set = (column: FrameColumn): void => {
    const existing = columns.findIndex((c) => c.name === column.name);
    if (existing >= 0) columns[existing] = column;
    else columns.push(column);
  };
  for (const spec of expansion.specs) set({ name: spec.name, type: spec.type });
  if (expansion.indexColumn) set({ name: expansion.indexColumn, type: 'long' });
  return columns;
}

export function mvExpand(input: Frame, op: KqlNode, ctx: EvalContext, nameOf: NameOf): Frame {
  const expansion = expansionOf(op, ctx, nameOf, 'Expressions');
  const rows: Row[] = [];
  for (const row of input.rows) {
    const expanded = expandRow(row, expansion, ctx);
    ctx.budget.charge(Math.max(1, expanded.length), input.columns.length + expansion.specs.length);
    for (const item of expanded) rows.push({ ...row, ...item });
  }
  return { columns: expansionColumns(input, expansion), rows };
}

/** `mv-apply x = arr to typeof(T) on (subquery)`: the subquery's rows for each row, beside its columns. */
export function mvApply(
  input: Frame,
  op: KqlNode,
  ctx: EvalContext,
  nameOf: NameOf,
  runSubquery: (frame: Frame, subquery: KqlNode) => Frame,
): Frame {
  const expansion = expansionOf(op, ctx, nameOf, 'Expressions');
  const subquery = childByRole(childByRole(op, 'Subquery') ?? op, 'Expression');
  if (!subquery) throw new EngineError('SyntaxError', 'mv-apply needs `on (subquery)`');
  const itemColumns = expansionColumns({ columns: [], rows: [] }, expansion);
  const rows: Row[] = [];
  let outputColumns: FrameColumn[] | undefined;
  for (const row of input.rows) {
    const items = expandRow(row, expansion, ctx).map((item) => ({ ...row, ...item }));
    const result = runSubquery(
      {
        columns: [
          ...input.columns.filter((c) => !itemColumns.some((i) => i.name === c.name)),
          ...itemColumns,
        ],
        rows: items,
      },
      subquery,
    );
    outputColumns ??= result.columns;
    ctx.budget.charge(result.rows.length, result.columns.length);
    for (const out of result.rows) rows.push({ ...row, ...out });
  }
  // With no rows the subquery still decides the columns: run it once over nothing.
  const columns =
    outputColumns ??
    runSubquery(
      {
        columns: [
          ...input.columns.filter((c) => !itemColumns.some((i) => i.name === c.name)),
          ...itemColumns,
        ],
        rows: [],
      },
      subquery,
    ).columns;
  const merged = [...input.columns.filter((c) => !columns.some((o) => o.name === c.name)), ...columns];
  return {
    columns: merged,
    rows: rows.map((r) => Object.fromEntries(merged.map((c) => [c.name, r[c.name] ?? null]))),
  };
}
