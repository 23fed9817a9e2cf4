/**
 * `parse` and `parse-where`: extract columns from a string by a pattern of literals, `*` and typed
 * column names. kind=simple (default) matches literals as text, kind=regex treats them as RE2, and
 * kind=relaxed keeps what matched when the rest does not. A row that does not match gets nulls
 * (parse) or is dropped (parse-where), as in Kusto.
 */
import { isColumnType, type ColumnType } from '../../domain/types';
import { childByRole, descendants, listOf, type KqlNode } from '../../kql/languageService';
import { evalScalar, type EvalContext } from './evaluate';
import { literal } from './literalValues';
import { re2 } from './re2';
import { EngineError, fromCell, toKustoString, type Frame, type FrameColumn, type Row } from './values';

interface Capture {
  name: string;
  type: ColumnType;
}

function namedParameter(op: KqlNode, wanted: string): string | undefined {
  for (const parameter of listOf(childByRole(op, 'Parameters'))) {
    const name = [...descendants(childByRole(parameter, 'Name') ?? parameter)].find((n) => n.isToken)?.text;
    if (name?.toLowerCase() !== wanted) continue;
    const value = childByRole(parameter, 'Expression');
    return value
      ? [...descendants(value)]
          .filter((n) => n.isToken)
          .map((n) => n.value || n.text)
          .join('')
      : undefined;
  }
  return undefined;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const TYPE_PATTERNS: Partial<Record<ColumnType, string>> = {
  int: '[-+]?\\d+',
  long: '[-+]?\\d+',
  real: '[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?',
};

function typeOf(node: KqlNode | undefined): ColumnType {
  const token = node ? [...descendants(node)].find((n) => n.isToken)?.text.toLowerCase() : undefined;
  const name = token === 'double' ? 'real' : token === 'boolean' ? 'bool' : token;
  return name !== undefined && isColumnType(name) ? name : 'string';
}

/** The pattern as one regular expression with a group per column, and the columns in order. */
function compile(op: KqlNode, kind: string, flags: string): { regex: RegExp; captures: Capture[] } {
  const parts = listOf(childByRole(op, 'Patterns'));
  const captures: Capture[] = [];
  let source = '';
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    if (part.kind === 'StringLiteralExpression' || part.kind === 'CompoundStringLiteralExpression') {
      const text = String(literal(part));
      source += kind === 'regex' ? `(?:${text})` : escape(text);
    } else if (part.kind === 'StarExpression') {
      source += last ? '[\\s\\S]*' : '[\\s\\S]*?';
    } else {
      const declaration = part.kind === 'NameAndTypeDeclaration' ? (childByRole(part, 'Name') ?? part) : part;
      const type = part.kind === 'NameAndTypeDeclaration' ? typeOf(childByRole(part, 'Type')) : 'string';
      captures.push({ name: declaration.name, type });
      const body = TYPE_PATTERNS[type] ?? (kind === 'regex' ? '.*?' : '[\\s\\S]*?');
      source += last && !TYPE_PATTERNS[type] ? `(${kind === 'regex' ? '.*' : '[\\s\\S]*'})` : `(${body})`;
    }
  });
  const anchored = kind === 'regex' ? source : `^${source}${kind === 'relaxed' ? '' : '$'}`;
  return { regex: re2(`${flags ? `(?${flags})` : ''}${anchored}`), captures };
}

export function parseRows(input: Frame, op: KqlNode, ctx: EvalContext, dropUnmatched: boolean): Frame {
  const kind = (namedParameter(op, 'kind') ?? 'simple').toLowerCase();
  if (!['simple', 'regex', 'relaxed'].includes(kind))
    throw new EngineError('SemanticError', `parse kind=${kind} is not a parse kind`);
  const flags = (namedParameter(op, 'flags') ?? '').replace(/[^imsU]/g, '');
  const source = childByRole(op, 'Expression');
  if (!source) throw new EngineError('SyntaxError', 'parse needs an expression to parse');
  const { regex, captures } = compile(op, kind, flags);
  const rows: Row[] = [];
  for (const row of input.rows) {
    const match = regex.exec(toKustoString(evalScalar(source, row, ctx)));
    if (!match && dropUnmatched) continue;
    const out: Row = { ...row };
    captures.forEach((c, i) => {
      const text = match?.[i + 1];
      out[c.name] = text === undefined ? null : fromCell(c.type === 'string' ? text : text.trim(), c.type);
    });
    rows.push(out);
  }
  const columns: FrameColumn[] = input.columns.filter((c) => !captures.some((x) => x.name === c.name));
  columns.push(...captures.map((c) => ({ name: c.name, type: c.type })));
  return { columns, rows };
}
