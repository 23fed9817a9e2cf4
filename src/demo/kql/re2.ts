/**
 * Kusto regular expressions are RE2; the demo runs them on JavaScript's engine. RE2 syntax JavaScript
 * spells differently is translated (named groups `(?P<n>…)`, leading inline flags `(?i)`, `\A`, `\z`,
 * POSIX classes `[[:alpha:]]`); syntax one engine has and the other lacks is refused with a named
 * error, never run with another meaning and never a server error.
 */
import { EngineError } from './values';

const POSIX_CLASSES: Record<string, string> = {
  alnum: 'A-Za-z0-9',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: ' \\t',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: 'A-Za-z0-9_',
  xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp>();

function unsupportedRegex(pattern: string, what: string): EngineError {
  return new EngineError(
    'SemanticError',
    `Invalid regular expression '${pattern.slice(0, 200)}': ${what} is not supported by RE2 or by the demo workspace`,
  );
}

/** Translates an RE2 pattern to JavaScript source and flags; throws a named EngineError when it cannot. */
export function translateRe2(pattern: string): { source: string; flags: string } {
  let source = pattern;
  let flags = '';
  // Leading inline flags apply to the whole pattern: (?i), (?is), (?m) ...
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading?.[1]) {
    if (leading[1].includes('U')) throw unsupportedRegex(pattern, 'the non-greedy flag (?U)');
    flags += [...new Set(leading[1])].join('');
    source = source.slice(leading[0].length);
  }
  if (/\(\?[imsU-]+\)/.test(source) || /\(\?[imsU-]+:/.test(source)) {
    throw unsupportedRegex(pattern, 'an inline flag group after the start of the pattern');
  }
  if (/\(\?<?[=!]/.test(source)) throw unsupportedRegex(pattern, 'lookaround');
  if (/\\[1-9]|\\k</.test(source)) throw unsupportedRegex(pattern, 'a backreference');
  source = source
    .replace(/\(\?P<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?<$1>')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$(?![\\s\\S])')
    .replace(/\[:(\^?)([a-z]+):\]/g, (_, negate: string, name: string) => {
      const members = POSIX_CLASSES[name];
      if (members === undefined) throw unsupportedRegex(pattern, `the class [:${name}:]`);
      if (negate) throw unsupportedRegex(pattern, `the negated class [:^${name}:]`);
      return members;
    })
    .replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_, literal: string) =>
      literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'),
    );
  return { source, flags };
}

/** A JavaScript RegExp for an RE2 pattern (cached); `extraFlags` such as 'g'. */
export function re2(pattern: string, extraFlags = ''): RegExp {
  const key = `${extraFlags}/${pattern}`;
  const cached = cache.get(key);
  if (cached) {
    cached.lastIndex = 0;
    return cached;
  }
  const { source, flags } = translateRe2(pattern);
  let regex: RegExp;
  try {
    regex = new RegExp(source, [...new Set(flags + extraFlags + 'u')].join(''));
  } catch {
    try {
      regex = new RegExp(source, [...new Set(flags + extraFlags)].join(''));
    } catch (error) {
      throw unsupportedRegex(
        pattern,
        error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : 'its syntax',
      );
    }
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, regex);
  return regex;
}
