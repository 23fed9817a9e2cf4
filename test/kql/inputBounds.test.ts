import { describe, expect, it } from 'vitest';
import { MAX_CHAINED_OPERATORS, MAX_NESTING_DEPTH, MAX_QUERY_CHARS } from '../../src/kql/inputBounds';
import { BUNDLED_SCHEMA } from '../../src/kql/schema';
import { readOnlyRefusal, validateKql } from '../../src/kql/validator';

describe('validation input bounds', () => {
  it('4,900 nested parentheses are refused, not a stack overflow', async () => {
    const query = `print ${'('.repeat(4900)}1${')'.repeat(4900)}`;
    const result = await validateKql(query, BUNDLED_SCHEMA);
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.code)).toEqual(['QUERY_TOO_DEEP']);
    expect(readOnlyRefusal(query)?.code).toBe('QUERY_TOO_DEEP');
  });

  it(`accepts ${MAX_NESTING_DEPTH} levels and refuses one more`, async () => {
    const at = (n: number): string => `print ${'('.repeat(n)}1${')'.repeat(n)}`;
    expect((await validateKql(at(MAX_NESTING_DEPTH), BUNDLED_SCHEMA)).valid).toBe(true);
    expect((await validateKql(at(MAX_NESTING_DEPTH + 1), BUNDLED_SCHEMA)).errors[0]?.code).toBe(
      'QUERY_TOO_DEEP',
    );
  });

  it('brackets inside strings and comments do not count', async () => {
    const deep = '('.repeat(MAX_NESTING_DEPTH + 5);
    const query = `SigninLogs // ${deep}\n| where AppDisplayName == "${deep}" or AppDisplayName == @'${deep}' | take 1`;
    expect((await validateKql(query, BUNDLED_SCHEMA)).valid).toBe(true);
  });

  it('a long chain of operators is refused before it reaches the parser', async () => {
    const chain = (n: number): string => `SigninLogs${' | take 1'.repeat(n)}`;
    // At the bound the language service still parses it (and reports its own depth limit, KS245).
    const atBound = await validateKql(chain(MAX_CHAINED_OPERATORS), BUNDLED_SCHEMA);
    expect(atBound.errors.map((e) => e.code)).not.toContain('QUERY_TOO_DEEP');
    expect((await validateKql(chain(300), BUNDLED_SCHEMA)).valid).toBe(true);
    expect((await validateKql(chain(MAX_CHAINED_OPERATORS + 1), BUNDLED_SCHEMA)).errors[0]?.code).toBe(
      'QUERY_TOO_DEEP',
    );
  });

  it('an over-long query is refused with its length', async () => {
    const query = `SigninLogs | where AppDisplayName == "${'a'.repeat(MAX_QUERY_CHARS)}"`;
    const result = await validateKql(query, BUNDLED_SCHEMA);
    expect(result.errors.map((e) => e.code)).toEqual(['QUERY_TOO_LONG']);
    expect(result.errors[0]?.message).toMatch(/characters long; the limit is 32,000/);
  });
});
