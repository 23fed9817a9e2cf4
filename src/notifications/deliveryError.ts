/**
 * How a failed post to Teams should be treated:
 * - `retryable`: throttled or a transient gateway error (429, 412, 502, 504, network) — back off and retry;
 * - `gone`: the bot can no longer reach the conversation (403, 404) — stop delivering there;
 * - `rejected`: Teams refused this message (400, 413) — retrying the same payload cannot succeed.
 */
export type DeliveryErrorKind = 'retryable' | 'gone' | 'rejected';

export class DeliveryError extends Error {
  constructor(
    readonly kind: DeliveryErrorKind,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

// 401 is our credentials, not the message: keep it queued (and logged) until an operator fixes them.
const RETRYABLE_STATUS = new Set([401, 408, 412, 429, 500, 502, 503, 504]);

export function classifyStatus(status: number): DeliveryErrorKind {
  if (status === 403 || status === 404) return 'gone';
  if (RETRYABLE_STATUS.has(status)) return 'retryable';
  return 'rejected';
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
