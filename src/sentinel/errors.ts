export type SentinelErrorKind =
  | 'NotFound'
  | 'BadRequest'
  | 'Conflict'
  | 'PreconditionFailed'
  | 'Throttled'
  | 'Unauthorized'
  | 'Forbidden'
  | 'Unavailable'
  | 'Unknown';

/**
 * A failure talking to Sentinel or Log Analytics, classified so callers can give the analyst a plain
 * answer ("Sentinel is throttling us, try again in 20 s") without knowing HTTP or the SDK.
 */
export class SentinelError extends Error {
  constructor(
    readonly kind: SentinelErrorKind,
    message: string,
    readonly status?: number,
    readonly code?: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SentinelError';
  }
}

export function isSentinelError(e: unknown, kind?: SentinelErrorKind): e is SentinelError {
  return e instanceof SentinelError && (kind === undefined || e.kind === kind);
}
