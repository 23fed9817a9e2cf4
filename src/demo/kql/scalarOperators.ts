/** Scalar operators: string predicates (has, contains, ...), comparisons and arithmetic. */
import { EngineError, Timespan, toKustoString } from './values';

export const lower = (value: unknown): string => toKustoString(value).toLowerCase();

export function hasTerm(haystack: string, needle: string): boolean {
  if (needle === '') return true;
  const isWord = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
  let at = haystack.indexOf(needle);
  while (at >= 0) {
    const before = haystack[at - 1];
    const after = haystack[at + needle.length];
    const startOk = !isWord(needle[0]) || !isWord(before);
    const endOk = !isWord(needle[needle.length - 1]) || !isWord(after);
    if (startOk && endOk) return true;
    at = haystack.indexOf(needle, at + 1);
  }
  return false;
}

type StringTest = (left: string, right: string) => boolean;

export const STRING_OPERATORS: Record<string, { test: StringTest; caseSensitive: boolean; negate: boolean }> =
  {};
function stringOp(kinds: [string, string, string, string], test: StringTest): void {
  const [ci, cs, notCi, notCs] = kinds;
  STRING_OPERATORS[ci] = { test, caseSensitive: false, negate: false };
  STRING_OPERATORS[cs] = { test, caseSensitive: true, negate: false };
  STRING_OPERATORS[notCi] = { test, caseSensitive: false, negate: true };
  STRING_OPERATORS[notCs] = { test, caseSensitive: true, negate: true };
}
stringOp(['HasExpression', 'HasCsExpression', 'NotHasExpression', 'NotHasCsExpression'], hasTerm);
stringOp(
  ['ContainsExpression', 'ContainsCsExpression', 'NotContainsExpression', 'NotContainsCsExpression'],
  (l, r) => l.includes(r),
);
stringOp(
  ['StartsWithExpression', 'StartsWithCsExpression', 'NotStartsWithExpression', 'NotStartsWithCsExpression'],
  (l, r) => l.startsWith(r),
);
stringOp(
  ['EndsWithExpression', 'EndsWithCsExpression', 'NotEndsWithExpression', 'NotEndsWithCsExpression'],
  (l, r) => l.endsWith(r),
);
stringOp(
  ['HasSuffixExpression', 'HasSuffixCsExpression', 'NotHasSuffixExpression', 'NotHasSuffixCsExpression'],
  (l, r) => l.endsWith(r) || hasTerm(l, r),
);
stringOp(
  ['HasPrefixExpression', 'HasPrefixCsExpression', 'NotHasPrefixExpression', 'NotHasPrefixCsExpression'],
  (l, r) => l.startsWith(r) || hasTerm(l, r),
);

export function arithmetic(kind: string, a: unknown, b: unknown): unknown {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (kind === 'AddExpression') {
    if (a instanceof Date && b instanceof Timespan) return new Date(a.getTime() + b.ms);
    if (a instanceof Timespan && b instanceof Date) return new Date(b.getTime() + a.ms);
    if (a instanceof Timespan && b instanceof Timespan) return new Timespan(a.ms + b.ms);
  }
  if (kind === 'SubtractExpression') {
    if (a instanceof Date && b instanceof Date) return new Timespan(a.getTime() - b.getTime());
    if (a instanceof Date && b instanceof Timespan) return new Date(a.getTime() - b.ms);
    if (a instanceof Timespan && b instanceof Timespan) return new Timespan(a.ms - b.ms);
  }
  if (typeof a === 'number' && b instanceof Timespan && kind === 'MultiplyExpression')
    return new Timespan(a * b.ms);
  if (a instanceof Timespan && typeof b === 'number') {
    if (kind === 'MultiplyExpression') return new Timespan(a.ms * b);
    if (kind === 'DivideExpression') return b === 0 ? null : new Timespan(a.ms / b);
  }
  if (a instanceof Timespan && b instanceof Timespan && kind === 'DivideExpression')
    return b.ms === 0 ? null : a.ms / b.ms;
  if (typeof a !== 'number' || typeof b !== 'number') {
    throw new EngineError(
      'SemanticError',
      `Cannot apply '${kind.replace('Expression', '')}' to these operand types`,
    );
  }
  switch (kind) {
    case 'AddExpression':
      return a + b;
    case 'SubtractExpression':
      return a - b;
    case 'MultiplyExpression':
      return a * b;
    case 'DivideExpression':
      return b === 0 ? null : a / b;
    default:
      return b === 0 ? null : a % b;
  }
}

export const COMPARISONS: Record<string, (order: number) => boolean> = {
  LessThanExpression: (o) => o < 0,
  LessThanOrEqualExpression: (o) => o <= 0,
  GreaterThanExpression: (o) => o > 0,
  GreaterThanOrEqualExpression: (o) => o >= 0,
};
