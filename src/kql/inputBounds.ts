/**
 * Limits on query text checked before the language service sees it. Its parser and our tree walks
 * recurse once per nesting level, so 4,900 nested parentheses would overflow the stack; the length
 * bound keeps one validation's cost small enough not to stall the event loop.
 */

/** Longest query accepted anywhere (published rules with long indicator lists stay under this). */
export const MAX_QUERY_CHARS = 32_000;
/** Deepest bracket nesting accepted; real queries stay under 10. */
export const MAX_NESTING_DEPTH = 64;
/** Most pipe operators and binary operators in one query; both nest the syntax tree one level each. */
export const MAX_CHAINED_OPERATORS = 1_000;

export class KqlInputError extends Error {
  constructor(
    /** QUERY_TOO_LONG or QUERY_TOO_DEEP. */
    readonly code: string,
    message: string,
    /** Where the limit was crossed. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'KqlInputError';
  }
}

/** Pipes, `and` / `or` and symbol operators: each one nests the tree one more level. */
const OPERATOR = /\||\band\b|\bor\b|[+\-*/%<>=!]=?|~/y;

/**
 * Throws KqlInputError when the text is longer or nests deeper than the limits. A small lexer skips
 * comments and string literals, so brackets or pipes inside them do not count.
 */
export function checkQueryBounds(query: string): void {
  if (query.length > MAX_QUERY_CHARS) {
    throw new KqlInputError(
      'QUERY_TOO_LONG',
      `The query is ${query.length.toLocaleString('en-US')} characters long; the limit is ${MAX_QUERY_CHARS.toLocaleString('en-US')}.`,
      MAX_QUERY_CHARS,
    );
  }
  let depth = 0;
  let operators = 0;
  let i = 0;
  while (i < query.length) {
    const ch = query[i];
    const next = query[i + 1];
    if (ch === '/' && next === '/') {
      const end = query.indexOf('\n', i);
      i = end < 0 ? query.length : end + 1;
      continue;
    }
    if ((ch === '`' || ch === '~') && query.startsWith(ch.repeat(3), i)) {
      const end = query.indexOf(ch.repeat(3), i + 3);
      i = end < 0 ? query.length : end + 3;
      continue;
    }
    if (ch === '@' && (next === '"' || next === "'")) {
      i = skipVerbatim(query, i + 1);
      continue;
    }
    if (ch === '"' || ch === "'") {
      i = skipQuoted(query, i);
      continue;
    }
    if (ch === '(' || ch === '[' || ch === '{') {
      depth++;
      if (depth > MAX_NESTING_DEPTH) {
        throw new KqlInputError(
          'QUERY_TOO_DEEP',
          `The query nests brackets more than ${MAX_NESTING_DEPTH} levels deep.`,
          i,
        );
      }
    } else if (ch === ')' || ch === ']' || ch === '}') {
      depth = Math.max(0, depth - 1);
    } else {
      OPERATOR.lastIndex = i;
      const match = OPERATOR.exec(query);
      if (match) {
        operators++;
        if (operators > MAX_CHAINED_OPERATORS) {
          throw new KqlInputError(
            'QUERY_TOO_DEEP',
            `The query has more than ${MAX_CHAINED_OPERATORS} operators.`,
            i,
          );
        }
        i += match[0].length;
        continue;
      }
    }
    i++;
  }
}

/** Index after a '…' or "…" literal with backslash escapes (or the end, if it never closes). */
function skipQuoted(query: string, start: number): number {
  const quote = query[start];
  for (let i = start + 1; i < query.length; i++) {
    if (query[i] === '\\') i++;
    else if (query[i] === quote) return i + 1;
    else if (query[i] === '\n') return i;
  }
  return query.length;
}

/** Index after an @"…" literal, where a doubled quote stands for one. */
function skipVerbatim(query: string, quoteAt: number): number {
  const quote = query[quoteAt];
  for (let i = quoteAt + 1; i < query.length; i++) {
    if (query[i] !== quote) continue;
    if (query[i + 1] === quote) i++;
    else return i + 1;
  }
  return query.length;
}
