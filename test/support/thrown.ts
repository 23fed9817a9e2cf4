/** The error `fn` throws, checked to be a `type`; fails the test when nothing (or something else) is thrown. */
export function thrown<T extends Error>(fn: () => unknown, type: new (...args: never[]) => T): T {
  let error: unknown;
  try {
    fn();
  } catch (err) {
    error = err;
  }
  if (error instanceof type) return error;
  throw new Error(`expected a ${type.name}, got ${error === undefined ? 'no error' : String(error)}`);
}
