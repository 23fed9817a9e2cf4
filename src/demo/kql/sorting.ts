/** Ordering and row limits: sort/order by, top, take. */
import { childByRole, descendants, type KqlNode } from '../../kql/languageService';
import { evalScalar, type EvalContext } from './evaluate';
import { EngineError, compareValues, type Frame, type Row } from './values';

interface SortKey {
  expression: KqlNode;
  descending: boolean;
  nullsFirst: boolean;
}

export function sortKeys(expressions: KqlNode[]): SortKey[] {
  return expressions.map((e) => {
    const ordered = e.kind === 'OrderedExpression';
    const expression = ordered ? (childByRole(e, 'Expression') ?? e) : e;
    const clause = ordered ? childByRole(e, 'Ordering') : undefined;
    const words = clause
      ? [...descendants(clause)].filter((n) => n.isToken).map((n) => n.text.toLowerCase())
      : [];
    const descending = !words.includes('asc');
    const nullsFirst = words.includes('first') || (!words.includes('last') && !descending);
    return { expression, descending, nullsFirst };
  });
}

export function sortRows(input: Frame, keys: SortKey[], ctx: EvalContext): Row[] {
  const decorated = input.rows.map((row) => ({
    row,
    values: keys.map((k) => evalScalar(k.expression, row, ctx)),
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const x = a.values[i];
      const y = b.values[i];
      if (!key) continue;
      const xNull = x === null || x === undefined;
      const yNull = y === null || y === undefined;
      if (xNull || yNull) {
        if (xNull && yNull) continue;
        return xNull === key.nullsFirst ? -1 : 1;
      }
      const order = compareValues(x, y);
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  });
  return decorated.map((d) => d.row);
}

export function countArgument(op: KqlNode, ctx: EvalContext): number {
  const expression = childByRole(op, 'Expression');
  const value = expression ? evalScalar(expression, {}, ctx) : null;
  if (typeof value !== 'number' || value < 0)
    throw new EngineError('SemanticError', 'take/top expects a non-negative number');
  return Math.floor(value);
}
