import type { ConversationReference, Storage } from 'botbuilder';
import { SEVERITIES, type Severity } from '../domain/types';
import { getLogger } from '../logger';

const log = getLogger('notifications.subscriptions');

/** Higher is more severe; Informational < Low < Medium < High. */
export const SEVERITY_RANK: Record<Severity, number> = { Informational: 0, Low: 1, Medium: 2, High: 3 };
export const DEFAULT_MIN_SEVERITY: Severity = 'Medium';

export function parseSeverity(text: string): Severity | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'info') return 'Informational';
  return SEVERITIES.find((s) => s.toLowerCase() === t);
}

export function meetsMinimum(severity: Severity, minimum: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[minimum];
}

/** A channel thread's conversation id is `<channel id>;messageid=<root>`; subscriptions belong to the channel. */
export function baseConversationId(conversationId: string): string {
  return conversationId.split(';messageid=')[0];
}

export interface Subscription {
  /** Channel or chat conversation id (never a thread id); the storage key. */
  conversationId: string;
  conversationType: string;
  /** What the proactive send needs, stored without the triggering message's id. */
  reference: Partial<ConversationReference>;
  minSeverity: Severity;
  createdAt: string;
  createdBy?: string;
  /** Set when Teams said the bot can no longer post here (403/404); such subscriptions get nothing. */
  disabled?: { at: string; reason: string; status?: number };
}

export class SubscriptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubscriptionError';
  }
}

/** The Agents Playground can present itself as these channels, always on a loopback serviceUrl. */
const PLAYGROUND_CHANNELS = new Set(['emulator', 'webchat', 'directline']);

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    hostname === '::1' ||
    /^127\.\d+\.\d+\.\d+$/.test(hostname)
  );
}

/**
 * Checks a conversation reference before it is stored for proactive sends, and normalises it to the
 * channel or chat (no thread, no message id). Throws SubscriptionError saying what is wrong.
 */
export function validateReference(ref: Partial<ConversationReference>): Partial<ConversationReference> {
  const conversationId = ref.conversation?.id;
  if (typeof conversationId !== 'string' || conversationId.trim() === '') {
    throw new SubscriptionError('the conversation reference has no conversation id');
  }
  if (typeof ref.serviceUrl !== 'string')
    throw new SubscriptionError('the conversation reference has no serviceUrl');
  let url: URL;
  try {
    url = new URL(ref.serviceUrl);
  } catch {
    throw new SubscriptionError(`serviceUrl "${ref.serviceUrl}" is not an absolute URL`);
  }
  const loopback = url.protocol === 'http:' && isLoopback(url.hostname);
  if (url.protocol !== 'https:' && !loopback) {
    throw new SubscriptionError(
      `serviceUrl must be https (or http on loopback for local tools), got "${ref.serviceUrl}"`,
    );
  }
  const channelId = ref.channelId ?? '';
  const allowedChannel =
    channelId === 'msteams' || (PLAYGROUND_CHANNELS.has(channelId) && isLoopback(url.hostname));
  if (!allowedChannel) {
    throw new SubscriptionError(
      `channel "${channelId}" is not Microsoft Teams; subscriptions work only in Teams`,
    );
  }
  return {
    channelId,
    serviceUrl: ref.serviceUrl,
    locale: ref.locale,
    bot: ref.bot,
    user: ref.user,
    conversation: {
      ...ref.conversation,
      id: baseConversationId(conversationId),
    } as ConversationReference['conversation'],
  };
}

const PREFIX = 'notifications/subscriptions/';
const INDEX_KEY = 'notifications/subscription-index';

interface IndexDoc {
  ids: string[];
}

/**
 * Subscriptions in durable storage, one item per conversation plus an index (botbuilder Storage cannot
 * list keys). Writes are serialised in-process so concurrent subscribe/unsubscribe keep the index whole.
 */
export class SubscriptionStore {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly storage: Storage) {}

  subscribe(
    ref: Partial<ConversationReference>,
    minSeverity: Severity,
    options: { createdBy?: string; now?: Date } = {},
  ): Promise<Subscription> {
    return this.serial(async () => {
      const reference = validateReference(ref);
      const conversationId = reference.conversation?.id ?? '';
      const sub: Subscription = {
        conversationId,
        conversationType: ref.conversation?.conversationType ?? 'personal',
        reference,
        minSeverity,
        createdAt: (options.now ?? new Date()).toISOString(),
        createdBy: options.createdBy,
      };
      const index = await this.readIndex();
      if (!index.ids.includes(conversationId)) index.ids.push(conversationId);
      await this.storage.write({
        [keyFor(conversationId)]: { ...sub, eTag: '*' },
        [INDEX_KEY]: { ...index, eTag: '*' },
      });
      log.info({ conversationId, minSeverity }, 'conversation subscribed to new incidents');
      return sub;
    });
  }

  unsubscribe(conversationId: string): Promise<boolean> {
    return this.serial(async () => {
      const id = baseConversationId(conversationId);
      const index = await this.readIndex();
      const existed = index.ids.includes(id);
      await this.storage.delete([keyFor(id)]);
      if (existed) {
        index.ids = index.ids.filter((x) => x !== id);
        await this.storage.write({ [INDEX_KEY]: { ...index, eTag: '*' } });
      }
      return existed;
    });
  }

  async get(conversationId: string): Promise<Subscription | undefined> {
    const key = keyFor(baseConversationId(conversationId));
    const items = await this.storage.read([key]);
    return toSubscription(items[key]);
  }

  /** Every stored subscription, disabled ones included. */
  async list(): Promise<Subscription[]> {
    const index = await this.readIndex();
    if (index.ids.length === 0) return [];
    const items = await this.storage.read(index.ids.map(keyFor));
    return index.ids
      .map((id) => toSubscription(items[keyFor(id)]))
      .filter((s): s is Subscription => s !== undefined);
  }

  async active(): Promise<Subscription[]> {
    return (await this.list()).filter((s) => s.disabled === undefined);
  }

  disable(conversationId: string, reason: string, status?: number): Promise<void> {
    return this.serial(async () => {
      const sub = await this.get(conversationId);
      if (sub === undefined || sub.disabled !== undefined) return;
      sub.disabled = { at: new Date().toISOString(), reason, status };
      await this.storage.write({ [keyFor(sub.conversationId)]: { ...sub, eTag: '*' } });
      log.warn(
        { conversationId: sub.conversationId, status, reason },
        'subscription disabled: the bot cannot post there any more',
      );
    });
  }

  private async readIndex(): Promise<IndexDoc> {
    const items = await this.storage.read([INDEX_KEY]);
    const ids = (items[INDEX_KEY] as Partial<IndexDoc> | undefined)?.ids;
    return { ids: Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [] };
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

function keyFor(conversationId: string): string {
  return PREFIX + encodeURIComponent(conversationId);
}

function toSubscription(item: unknown): Subscription | undefined {
  if (item === null || typeof item !== 'object') return undefined;
  const { eTag: _eTag, ...rest } = item as Subscription & { eTag?: string };
  return typeof rest.conversationId === 'string' ? rest : undefined;
}
