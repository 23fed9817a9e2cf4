import { isRestError } from '@azure/core-rest-pipeline';
import {
  AggregateAuthenticationError,
  AuthenticationError,
  CredentialUnavailableError,
} from '@azure/identity';
import { getLogger } from '../logger';
import { SentinelError, type SentinelErrorKind } from './errors';

const log = getLogger('sentinel.errors');

/** The few header reads we need; both the pipeline's HttpHeaders and a plain map satisfy it. */
interface HeaderSource {
  get(name: string): string | undefined;
}

/**
 * Thrown by the retry-after cap policy (see clients.ts) inside the pipeline. It is deliberately not a
 * RestError: the SDK retry policy re-throws anything else untouched instead of retrying it.
 */
export class RetryAfterTooLongError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number,
  ) {
    super(`the service asked us to wait ${Math.ceil(retryAfterMs / 1000)} s before retrying`);
    this.name = 'RetryAfterTooLongError';
  }
}

export function kindForStatus(status: number | undefined): SentinelErrorKind {
  if (status === undefined) return 'Unavailable';
  switch (status) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 409:
      return 'Conflict';
    case 412:
      return 'PreconditionFailed';
    case 429:
      return 'Throttled';
    default:
      return status >= 500 || status === 408 ? 'Unavailable' : 'Unknown';
  }
}

/** Milliseconds from `retry-after-ms`, `x-ms-retry-after-ms` or `Retry-After` (seconds or HTTP date). */
export function retryAfterMsFrom(headers: HeaderSource | undefined): number | undefined {
  if (!headers) return undefined;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(headers.get(name));
    if (headers.get(name) !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  }
  const raw = headers.get('retry-after');
  if (raw === undefined || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

interface ArmErrorInfo {
  code?: string;
  message?: string;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * ARM answers `{"error":{"code","message"}}`; Log Analytics adds `innererror` with the useful part of a
 * KQL failure ("SyntaxError: ... at line 1"), so we append the innermost message when there is one.
 */
export function parseArmError(body: unknown): ArmErrorInfo {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.trim() ? { message: body.trim().slice(0, 500) } : {};
    }
  }
  const error = asRecord(asRecord(parsed)?.error) ?? asRecord(parsed);
  if (!error) return {};
  const code = typeof error.code === 'string' ? error.code : undefined;
  let message = typeof error.message === 'string' ? error.message : undefined;
  let inner = asRecord(error.innererror);
  let innermost: string | undefined;
  while (inner) {
    if (typeof inner.message === 'string') innermost = inner.message;
    inner = asRecord(inner.innererror);
  }
  if (innermost && innermost !== message) message = message ? `${message} (${innermost})` : innermost;
  return { code, message };
}

function describe(what: string, status: number | undefined, info: ArmErrorInfo): string {
  const detail = [info.code, info.message].filter((s) => s !== undefined && s !== '').join(': ');
  const statusText = status === undefined ? '' : ` (HTTP ${status})`;
  return `Sentinel failed ${what}${statusText}${detail ? `: ${detail}` : ''}`;
}

/** For responses we read ourselves (the tasks REST calls), which the pipeline does not throw for. */
export function errorFromResponse(
  what: string,
  status: number,
  headers: HeaderSource,
  bodyText: string | undefined,
): SentinelError {
  const info = parseArmError(bodyText ?? '');
  return new SentinelError(
    kindForStatus(status),
    describe(what, status, info),
    status,
    info.code,
    retryAfterMsFrom(headers),
  );
}

const SIGN_IN_ERRORS = new Set([
  'AggregateAuthenticationError',
  'AuthenticationError',
  'AuthenticationRequiredError',
  'CredentialUnavailableError',
]);

/** @azure/identity's failures to get a token (thrown before any request reaches Azure). */
function isSignInFailure(error: unknown): error is Error {
  return (
    error instanceof AggregateAuthenticationError ||
    error instanceof AuthenticationError ||
    error instanceof CredentialUnavailableError ||
    (error instanceof Error && SIGN_IN_ERRORS.has(error.name))
  );
}

/** Wraps anything the SDKs throw; `what` says what we were doing ("listing alerts of incident X"). */
export function toSentinelError(error: unknown, what: string): SentinelError {
  if (error instanceof SentinelError) return error;
  if (error instanceof RetryAfterTooLongError) {
    return new SentinelError(
      kindForStatus(error.status),
      `Sentinel failed ${what} (HTTP ${error.status}): ${error.message}`,
      error.status,
      undefined,
      error.retryAfterMs,
    );
  }
  if (isRestError(error)) {
    const status = error.statusCode ?? error.response?.status;
    // core-client keeps the body text; the logs client keeps only the parsed body, in `details`.
    const bodyText = error.response?.bodyAsText;
    const fromBody = parseArmError(bodyText ? bodyText : error.details);
    const info: ArmErrorInfo = {
      code: fromBody.code ?? error.code,
      message: fromBody.message ?? error.message,
    };
    // Without a status the request never got an answer (DNS, refused, reset, timeout).
    const kind = status === undefined ? 'Unavailable' : kindForStatus(status);
    return new SentinelError(
      kind,
      describe(what, status, info),
      status,
      info.code,
      retryAfterMsFrom(error.response?.headers),
    );
  }
  if (isSignInFailure(error)) {
    // The identity library's text lists every credential it tried, with environment and endpoint
    // details: the operator finds it in the log, the chat gets the plain "could not sign in" sentence.
    log.warn({ err: error, what }, 'could not sign in to Azure');
    return new SentinelError(
      'Unauthorized',
      `Sentinel failed ${what}: could not sign in to Azure`,
      undefined,
      error.name,
    );
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new SentinelError('Unavailable', `Sentinel failed ${what}: timed out`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new SentinelError('Unknown', `Sentinel failed ${what}: ${message}`);
}
