import type { Activity } from 'botbuilder';

/**
 * What stands between an authenticated activity and a turn (issue #16, item 7):
 *  - a per-user rate limit (token bucket): a user sending faster than the bot can sensibly answer gets a
 *    polite sentence instead of a turn, so a burst costs neither model calls nor Sentinel reads;
 *  - one turn at a time per conversation: turn state (conversation history, current incident) is read at
 *    the start of a turn and written at its end with its eTag, so two overlapping turns in one chat made
 *    the second write fail ("Sorry, something went wrong"). Queued turns run in arrival order.
 */
export interface TurnGateOptions {
  /** Messages and card clicks per user per minute, sustained; the same number may arrive at once. */
  perUserPerMinute: number;
  /** Turns waiting in one conversation beyond this are answered "busy" instead of queued. */
  maxQueuedPerConversation?: number;
  now?: () => number;
}

export type Admission =
  { admitted: true } | { admitted: false; reason: 'rate' | 'busy'; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

const IDLE_BUCKET_MS = 10 * 60_000;
const MAX_BUCKETS = 50_000;

export class TurnGate {
  private readonly buckets = new Map<string, Bucket>();
  private readonly queues = new Map<string, { tail: Promise<void>; waiting: number }>();
  private readonly now: () => number;
  private readonly capacity: number;
  private readonly perMs: number;

  constructor(private readonly options: TurnGateOptions) {
    this.now = options.now ?? Date.now;
    this.capacity = Math.max(1, options.perUserPerMinute);
    this.perMs = this.capacity / 60_000;
  }

  /** Whether this activity gets a turn. Only messages and card clicks count; events always pass. */
  admit(activity: Partial<Activity>): Admission {
    if (activity.type !== 'message' && activity.type !== 'invoke') return { admitted: true };
    const user = activity.from?.aadObjectId ?? activity.from?.id ?? 'unknown';
    const now = this.now();
    const bucket = this.buckets.get(user) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    this.remember(user, bucket);
    if (bucket.tokens < 1) {
      return {
        admitted: false,
        reason: 'rate',
        retryAfterSeconds: Math.ceil((1 - bucket.tokens) / this.perMs / 1000),
      };
    }
    const queued = this.queues.get(conversationKey(activity))?.waiting ?? 0;
    if (queued >= (this.options.maxQueuedPerConversation ?? 50)) {
      return { admitted: false, reason: 'busy', retryAfterSeconds: 30 };
    }
    bucket.tokens -= 1;
    return { admitted: true };
  }

  /** Runs `turn` after every earlier turn of the same conversation has finished (failed ones included). */
  async serialise<T>(activity: Partial<Activity>, turn: () => Promise<T>): Promise<T> {
    const key = conversationKey(activity);
    const queue = this.queues.get(key) ?? { tail: Promise.resolve(), waiting: 0 };
    this.queues.set(key, queue);
    queue.waiting += 1;
    const previous = queue.tail;
    let release!: () => void;
    queue.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    const mine = queue.tail;
    try {
      await previous;
      return await turn();
    } finally {
      queue.waiting -= 1;
      release();
      if (queue.tail === mine) this.queues.delete(key);
    }
  }

  private remember(user: string, bucket: Bucket): void {
    this.buckets.set(user, bucket);
    if (this.buckets.size <= MAX_BUCKETS) return;
    const cutoff = this.now() - IDLE_BUCKET_MS;
    for (const [key, b] of this.buckets) if (b.at < cutoff) this.buckets.delete(key);
  }
}

function conversationKey(activity: Partial<Activity>): string {
  return `${activity.channelId ?? ''}/${activity.conversation?.id ?? ''}`;
}

export function limitReplyText(admission: Extract<Admission, { admitted: false }>): string {
  return admission.reason === 'rate'
    ? `You're sending messages faster than I can answer them. I'll pick up again in about ${admission.retryAfterSeconds} s — please resend then.`
    : "I'm still working through earlier messages in this conversation. Please try again in a moment.";
}
