import { describe, expect, it } from 'vitest';
import { shapeDifferences } from './shape';

describe('shapeDifferences', () => {
  it('accepts extra keys and equal types', () => {
    expect(shapeDifferences({ a: 1, b: { c: 'x' } }, { a: 2, b: { c: 'y', d: true }, e: [] })).toEqual([]);
  });

  it('reports missing keys and type changes with their paths', () => {
    expect(shapeDifferences({ a: 1, b: { c: 'x' } }, { a: '1', b: {} })).toEqual([
      '$.a: expected number, got string',
      '$.b.c: missing',
    ]);
  });

  it('compares arrays by their first element and refuses an empty one when the example has items', () => {
    expect(shapeDifferences({ v: [{ id: 'x' }] }, { v: [{ id: 3 }] })).toEqual([
      '$.v[0].id: expected string, got number',
    ]);
    expect(shapeDifferences({ v: [{ id: 'x' }] }, { v: [] })).toHaveLength(1);
    expect(shapeDifferences({ v: [] }, { v: [1] })).toEqual([]);
  });

  it('treats null in the example as any type, but null in the response as a type', () => {
    expect(shapeDifferences({ a: null }, { a: 'x' })).toEqual([]);
    expect(shapeDifferences({ a: 'x' }, { a: null })).toEqual(['$.a: expected string, got null']);
  });
});
