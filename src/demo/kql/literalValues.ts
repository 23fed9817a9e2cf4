/** Literal values in the syntax tree: strings, numbers, datetime, timespan and dynamic(...) bodies. */
import { childByRole, listOf, type KqlNode } from '../../kql/languageService';
import { EngineError, parseTimespan, toDate } from './values';

function stringLiteral(node: KqlNode): string {
  return node.children
    .filter((c) => c.isToken)
    .map((c) => c.value)
    .join('');
}

export function literal(node: KqlNode): unknown {
  const token = node.children.find((c) => c.isToken);
  const text = token?.text ?? '';
  switch (node.kind) {
    case 'StringLiteralExpression':
    case 'CompoundStringLiteralExpression':
      return node.kind === 'StringLiteralExpression'
        ? stringLiteral(node)
        : node.children.map(stringLiteral).join('');
    case 'LongLiteralExpression':
    case 'IntLiteralExpression':
    case 'RealLiteralExpression':
    case 'DecimalLiteralExpression': {
      const inner = /^\w+\((.*)\)$/.exec(text)?.[1] ?? text;
      return inner === 'null' ? null : Number(inner);
    }
    case 'BooleanLiteralExpression':
      return /true/i.test(text);
    case 'GuidLiteralExpression':
      return token?.value ?? text;
    case 'DateTimeLiteralExpression': {
      const date = toDate(token?.value ?? '');
      if (!date) throw new EngineError('SyntaxError', `Invalid datetime literal ${text}`);
      return date;
    }
    case 'TimespanLiteralExpression': {
      const span = parseTimespan(text);
      if (!span) throw new EngineError('SyntaxError', `Invalid timespan literal ${text}`);
      return span;
    }
    case 'DynamicExpression': {
      const inner = childByRole(node, 'Expression');
      return inner ? jsonValue(inner) : null;
    }
    default:
      return null;
  }
}

/** The JSON-like body of dynamic(...), which the parser gives as a tree of arrays, pairs and literals. */
function jsonValue(node: KqlNode): unknown {
  if (node.kind === 'JsonArrayExpression')
    return listOf(childByRole(node, 'Values')).map((v) => jsonValue(v));
  if (node.kind === 'JsonObjectExpression') {
    const bag: Record<string, unknown> = {};
    for (const pair of listOf(childByRole(node, 'Pairs'))) {
      const key = childByRole(pair, 'Name')?.value ?? '';
      const value = childByRole(pair, 'Value');
      bag[key] = value ? jsonValue(value) : null;
    }
    return bag;
  }
  if (node.kind === 'UnaryMinusExpression') {
    const value = jsonValue(childByRole(node, 'Expression') ?? node);
    return typeof value === 'number' ? -value : null;
  }
  return literal(node);
}
