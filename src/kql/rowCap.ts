import { childByRole, parseKql, type KqlNode } from './languageService';

const BOUNDING_OPERATORS = new Set(['TakeOperator', 'TopOperator', 'CountOperator', 'SummarizeOperator']);

/** The last expression statement of the query block: the tabular result Log Analytics returns. */
function finalExpression(root: KqlNode): KqlNode | undefined {
  const statements = childByRole(root, 'Statements');
  const last = statements?.children.filter((s) => s.kind === 'ExpressionStatement').at(-1);
  return last ? childByRole(last, 'Expression') : undefined;
}

/**
 * Appends `| take cap` unless the final tabular expression already bounds its rows (take/limit, top,
 * count, summarize anywhere along its pipe chain). Decided on the syntax tree, so a `take` inside a
 * string, a comment or a subquery does not count.
 */
export function applyRowCap(query: string, cap: number): string {
  if (!Number.isInteger(cap) || cap <= 0)
    throw new RangeError(`Row cap must be a positive integer, got ${cap}`);
  const parsed = parseKql(query);
  let expression = parsed.kind === 'Query' ? finalExpression(parsed.root) : undefined;
  if (!expression) return query;
  while (expression) {
    if (expression.kind === 'ParenthesizedExpression') {
      expression = childByRole(expression, 'Expression');
      continue;
    }
    if (expression.kind !== 'PipeExpression') break;
    const operator = childByRole(expression, 'Operator');
    if (operator && BOUNDING_OPERATORS.has(operator.kind)) return query;
    expression = childByRole(expression, 'Expression');
  }
  if (expression && BOUNDING_OPERATORS.has(expression.kind)) return query;
  const trimmed = query.replace(/[\s;]+$/, '');
  return `${trimmed}\n| take ${cap}`;
}
