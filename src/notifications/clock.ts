/**
 * Time as the notification pipeline sees it. Rate limits, backoff and polling all go through a Clock so
 * tests and the benchmark can run Teams' per-hour limits in seconds instead of hours.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or early (without error) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: realSleep,
};

/**
 * A clock that runs `factor` times faster than wall time: one virtual second passes in 1/factor real
 * seconds. Share one instance between the pipeline and a fake connector so both enforce the same limits.
 */
export function scaledClock(factor: number, start = Date.now()): Clock {
  if (!(factor > 0)) throw new RangeError(`scaledClock: factor must be > 0, got ${factor}`);
  const realStart = Date.now();
  return {
    now: () => start + (Date.now() - realStart) * factor,
    sleep: (ms, signal) => realSleep(ms / factor, signal),
  };
}
