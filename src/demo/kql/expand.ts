/** `mv-expand`: one output row per element of a dynamic array (or per property of a bag). */
import { isColumnType, type ColumnType } from '../../domain/types';
import { childByRole, descendants, listOf, type KqlNode } from '../../kql/languageService';
import { evalScalar, type EvalContext } from './evaluate';
import { fromCell, isDynamic, unsupported, type Frame, type FrameColumn, type Row } from './values';

interface ExpandSpec {
  name: string;
  expression: KqlNode;
  type: ColumnType;
}

function specOf(node: KqlNode): ExpandSpec {
  const inner = childByRole(node, 'Expression') ?? node;
  const named = inner.kind === 'SimpleNamedExpression';
  const expression = named ? childByRole(inner, 'Expression') : inner;
  const name = named
    ? childByRole(inner, 'Name')?.name
    : inner.kind === 'NameReference'
      ? inner.name
      : undefined;
  if (!expression || !name) throw unsupported('mv-expand form', 'unnamed expression');
  const typeOf = childByRole(node, 'ToTypeOf');
  const typeToken = typeOf
    ? [...descendants(typeOf)]
        .filter((n) => n.isToken)
        .at(-2)
        ?.text.toLowerCase()
    : undefined;
  const type = typeToken && isColumnType(typeToken) ? typeToken : 'dynamic';
  return { name, expression, type };
}

function elementsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.length > 0 ? value : [null];
  if (isDynamic(value)) {
    const entries = Object.entries(value).map(([k, v]) => ({ [k]: v }));
    return entries.length > 0 ? entries : [null];
  }
  return [value ?? null];
}

export function mvExpand(input: Frame, op: KqlNode, ctx: EvalContext): Frame {
  const specs = listOf(childByRole(op, 'Expressions')).map(specOf);
  const limitNode = childByRole(childByRole(op, 'RowLimitClause') ?? op, 'RowLimit');
  const limitValue = limitNode ? evalScalar(limitNode, {}, ctx) : null;
  const limit = typeof limitValue === 'number' && limitValue > 0 ? limitValue : Infinity;
  const rows: Row[] = [];
  for (const row of input.rows) {
    const lists = specs.map((s) => elementsOf(evalScalar(s.expression, row, ctx)));
    const length = Math.min(limit, Math.max(...lists.map((l) => l.length)));
    ctx.budget.charge(length, input.columns.length + specs.length);
    for (let i = 0; i < length; i++) {
      const out: Row = { ...row };
      specs.forEach((s, j) => (out[s.name] = fromCell(lists[j]?.[i] ?? null, s.type)));
      rows.push(out);
    }
  }
  const columns: FrameColumn[] = [...input.columns];
  for (const spec of specs) {
    const existing = columns.findIndex((c) => c.name === spec.name);
    if (existing >= 0) columns[existing] = { name: spec.name, type: spec.type };
    else columns.push({ name: spec.name, type: spec.type });
  }
  return { columns, rows };
}
