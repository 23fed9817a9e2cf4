/**
 * Structural comparison of JSON: every key of `expected` must be present in `actual` with the same JSON
 * type, recursively; arrays are compared by their first element. Extra keys in `actual` are fine (the
 * API may return more than an example shows). `null` in `expected` says nothing about the type, so it
 * matches anything. Returns the differences as readable JSON paths; empty means same shape.
 */
export function shapeDifferences(expected: unknown, actual: unknown, path = '$'): string[] {
  if (expected === null) return [];
  const te = jsonType(expected);
  const ta = jsonType(actual);
  if (te !== ta) return [`${path}: expected ${te}, got ${ta}`];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length === 0) return [];
    if (actual.length === 0) return [`${path}: expected a non-empty array like the example, got []`];
    return shapeDifferences(expected[0], actual[0], `${path}[0]`);
  }
  if (te === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    return Object.keys(e).flatMap((key) =>
      key in a ? shapeDifferences(e[key], a[key], `${path}.${key}`) : [`${path}.${key}: missing`],
    );
  }
  return [];
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
