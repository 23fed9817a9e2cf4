import type { Activity, ConversationReference } from 'botbuilder';
import { getLogger } from '../logger';
import type { Clock } from './clock';
import { DeliveryError } from './deliveryError';
import {
  SlidingWindowLimiter,
  TEAMS_APP_LIMITS,
  TEAMS_CONVERSATION_LIMITS,
  type RateWindow,
} from './rateLimiter';
import type { ProactiveMessenger } from './teamsMessenger';

const log = getLogger('notifications.sender');

export interface RetryPolicy {
  /** Attempts per message, including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 60_000 };

export interface SenderOptions {
  clock: Clock;
  conversationLimits?: readonly RateWindow[];
  appLimits?: readonly RateWindow[];
  retry?: Partial<RetryPolicy>;
  /** Extra spacing per window to absorb network jitter (ms of the clock). */
  limiterMarginMs?: number;
  /** [0, 1) source for backoff jitter; injectable for deterministic tests. */
  random?: () => number;
  signal?: AbortSignal;
}

export interface SenderStats {
  requests: number;
  retries: number;
  throttled: number;
}

/**
 * Sends to Teams within its rate limits (per conversation and per app) and retries what Teams says is
 * transient, with exponential backoff, full jitter and Retry-After. Throws DeliveryError when a message
 * cannot be delivered now: `retryable` after the last attempt, `gone` or `rejected` at once.
 */
export class ThrottledSender {
  readonly stats: SenderStats = { requests: 0, retries: 0, throttled: 0 };
  private readonly perConversation: SlidingWindowLimiter;
  private readonly perApp: SlidingWindowLimiter;
  private readonly retry: RetryPolicy;
  private readonly random: () => number;

  constructor(
    private readonly messenger: ProactiveMessenger,
    private readonly options: SenderOptions,
  ) {
    const margin = options.limiterMarginMs ?? 50;
    this.perConversation = new SlidingWindowLimiter(
      options.conversationLimits ?? TEAMS_CONVERSATION_LIMITS,
      options.clock,
      margin,
    );
    this.perApp = new SlidingWindowLimiter(options.appLimits ?? TEAMS_APP_LIMITS, options.clock, margin);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.random = options.random ?? Math.random;
  }

  send(
    conversationId: string,
    ref: Partial<ConversationReference>,
    activity: Partial<Activity>,
  ): Promise<{ id: string }> {
    return this.withRetry(conversationId, 'send', () => this.messenger.send(ref, activity));
  }

  update(
    conversationId: string,
    ref: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ): Promise<void> {
    return this.withRetry(conversationId, 'update', () => this.messenger.update(ref, activityId, activity));
  }

  /** Full-jitter exponential backoff for the n-th retry (0-based), at least Retry-After. */
  backoffMs(retryIndex: number, retryAfterMs?: number): number {
    const cap = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** retryIndex);
    const jittered = this.random() * cap;
    return retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered);
  }

  private async withRetry<T>(conversationId: string, op: string, call: () => Promise<T>): Promise<T> {
    const { signal } = this.options;
    let last: DeliveryError | undefined;
    for (let attempt = 0; attempt < this.retry.maxAttempts; attempt++) {
      if (signal?.aborted) break;
      try {
        await this.perConversation.acquire(conversationId, signal);
        await this.perApp.acquire('app', signal);
      } catch {
        // Only an abort (shutdown) ends a limiter wait early; the message stays pending in the outbox.
        break;
      }
      this.stats.requests++;
      try {
        return await call();
      } catch (err) {
        last = toDeliveryError(err);
        if (last.kind !== 'retryable') throw last;
        if (last.status === 429) this.stats.throttled++;
        if (attempt + 1 >= this.retry.maxAttempts) break;
        const delay = this.backoffMs(attempt, last.retryAfterMs);
        log.debug({ conversationId, op, status: last.status, attempt, delay }, 'Teams asked us to retry');
        this.stats.retries++;
        await this.options.clock.sleep(delay, signal);
      }
    }
    throw last ?? new DeliveryError('retryable', `${op} aborted before it was attempted`);
  }
}

function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  // Anything else (socket reset, DNS, timeout) says nothing about the message itself: try again later.
  const message = err instanceof Error ? err.message : String(err);
  return new DeliveryError('retryable', `network or unexpected error: ${message}`);
}
