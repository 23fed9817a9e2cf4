import { describe, expect, it } from 'vitest';
import { BUNDLED_SCHEMA } from '../../src/kql/schema';
import { applyRowCap, columnReferences, isReadOnlyQuery, validateKql } from '../../src/kql/validator';
import { KNOWN_INVALID, loadCorpus } from './corpus';

const corpus = loadCorpus();

describe('validateKql over the published corpus', () => {
  it('accepts the 70 queries a real workspace runs and flags the one with a genuine fault', async () => {
    const rejected: string[] = [];
    let accepted = 0;
    for (const entry of corpus) {
      const result = await validateKql(entry.query, BUNDLED_SCHEMA);
      if (result.valid) accepted++;
      else rejected.push(entry.name);
    }
    expect(corpus).toHaveLength(71);
    expect(accepted).toBe(70);
    expect(rejected.sort()).toEqual([...KNOWN_INVALID].sort());
  }, 120_000);

  it('reports the tables each corpus query reads', async () => {
    for (const entry of corpus.slice(0, 20)) {
      const result = await validateKql(entry.query, BUNDLED_SCHEMA);
      expect(result.tables, entry.name).toEqual(entry.tables);
    }
  }, 120_000);

  it('explains an unknown column with its position and the closest column', async () => {
    const query = 'SigninLogs\n| where IpAddr == "1.2.3.4"';
    const result = await validateKql(query, BUNDLED_SCHEMA);
    expect(result.valid).toBe(false);
    expect(result.errors[0]).toMatchObject({
      code: 'KS142',
      line: 2,
      column: 9,
      snippet: 'IpAddr',
      start: 19,
      suggestion: 'IPAddress',
    });
    expect(result.errors[0]?.message).toMatch(/Did you mean 'IPAddress'\?$/);
  });

  it('flags an unknown table as KS204', async () => {
    const result = await validateKql('NoSuchTable | take 1', BUNDLED_SCHEMA);
    expect(result.errors.map((e) => e.code)).toContain('KS204');
  });

  it('flags a syntax error', async () => {
    const result = await validateKql('SigninLogs | where', BUNDLED_SCHEMA);
    expect(result.valid).toBe(false);
    expect(result.errors.length).toBeGreaterThan(0);
  });

  it('treats a management command as invalid', async () => {
    const result = await validateKql('.drop table SigninLogs', BUNDLED_SCHEMA);
    expect(result.valid).toBe(false);
    expect(result.errors[0]?.code).toBe('MANAGEMENT_COMMAND');
  });

  it('validates against a workspace schema with custom tables', async () => {
    const schema = {
      Custom_CL: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'Msg_s', type: 'string' },
      ],
    };
    expect((await validateKql('Custom_CL | where Msg_s has "x"', schema)).valid).toBe(true);
    expect((await validateKql('Custom_CL | where Other_s has "x"', schema)).valid).toBe(false);
  });
});

describe('mutation: one column renamed to a non-existent name', () => {
  it('is flagged at the mutated position for every corpus query', async () => {
    let mutated = 0;
    let caught = 0;
    const missed: string[] = [];
    for (const entry of corpus) {
      const tableColumns = new Set(entry.tables.flatMap((t) => (BUNDLED_SCHEMA[t] ?? []).map((c) => c.name)));
      const target = columnReferences(entry.query, BUNDLED_SCHEMA).find((r) => tableColumns.has(r.name));
      expect(target, `${entry.name} has a column reference`).toBeDefined();
      if (!target) continue;
      const broken = `${entry.query.slice(0, target.start)}${target.name}Zq9${entry.query.slice(target.start + target.length)}`;
      mutated++;
      const result = await validateKql(broken, BUNDLED_SCHEMA);
      if (result.errors.some((e) => e.start === target.start)) caught++;
      else missed.push(entry.name);
    }
    expect(missed).toEqual([]);
    expect(mutated).toBe(corpus.length);
    expect(caught).toBe(corpus.length);
  }, 120_000);
});

describe('isReadOnlyQuery', () => {
  it.each([
    '.drop table SigninLogs',
    '  // comment\n.set-or-append T <| print 1',
    '.append T <| SigninLogs',
    '.set T <| print 1',
    'SigninLogs | take 1; .drop table SigninLogs',
  ])('refuses %j', (query) => {
    expect(isReadOnlyQuery(query)).toBe(false);
  });

  it.each([
    'SigninLogs | take 1',
    'let x = 1d; SigninLogs | where TimeGenerated > ago(x)',
    'print ".drop table T"',
  ])('allows %j', (query) => {
    expect(isReadOnlyQuery(query)).toBe(true);
  });
});

describe('applyRowCap', () => {
  it('appends take when the final expression is unbounded', () => {
    expect(applyRowCap('SigninLogs | where ResultType != "0"', 100)).toBe(
      'SigninLogs | where ResultType != "0"\n| take 100',
    );
  });

  it.each([
    'SigninLogs | take 5',
    'SigninLogs | limit 5 | project UserPrincipalName',
    'SigninLogs | top 5 by TimeGenerated',
    'SigninLogs | count',
    'SigninLogs | summarize count() by UserPrincipalName',
    'let x = SigninLogs; x | summarize count()',
  ])('leaves %j alone', (query) => {
    expect(applyRowCap(query, 100)).toBe(query);
  });

  it('is not fooled by take in a string, a comment or a let statement', () => {
    const query =
      'let y = SigninLogs | take 1;\nSigninLogs // | take 5\n| where AppDisplayName == "| take 5"';
    expect(applyRowCap(query, 50)).toBe(`${query}\n| take 50`);
  });

  it('caps after a trailing comment and semicolon', () => {
    const capped = applyRowCap('SigninLogs // all of it\n;', 10);
    expect(capped).toBe('SigninLogs // all of it\n| take 10');
    expect(isReadOnlyQuery(capped)).toBe(true);
  });

  it('rejects a non-positive cap', () => {
    expect(() => applyRowCap('SigninLogs', 0)).toThrow(RangeError);
  });
});
