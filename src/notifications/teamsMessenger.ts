import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { getLogger } from '../logger';
import { DeliveryError, classifyStatus, parseRetryAfter } from './deliveryError';

const log = getLogger('notifications.teams');

/** core-rest-pipeline's name for the retry policy every Azure SDK client gets by default. */
const SDK_RETRY_POLICY = 'defaultRetryPolicy';

/** Posting and updating messages outside a turn. */
export interface ProactiveMessenger {
  send(ref: Partial<ConversationReference>, activity: Partial<Activity>): Promise<{ id: string }>;
  update(ref: Partial<ConversationReference>, activityId: string, activity: Partial<Activity>): Promise<void>;
}

/** The part of botframework-connector's ConnectorClient we call (it is not re-exported by botbuilder). */
interface ConversationsClient {
  conversations: { sendToConversation(conversationId: string, activity: Activity): Promise<{ id?: string }> };
}

/** The part of botbuilder's CloudAdapter we use (kept narrow so tests can pass any adapter). */
export interface ContinuingAdapter {
  continueConversationAsync(
    botAppId: string,
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void>;
}

/**
 * ProactiveMessenger over the bot's CloudAdapter. Connector errors become DeliveryErrors so the sender
 * decides about retries; the connector SDK's own retry policy is removed for these calls, because its
 * hidden retries would bypass our rate limiter and double the backoff.
 */
export class TeamsMessenger implements ProactiveMessenger {
  /** @param botAppId the bot's Entra app id (`config.bot?.appId ?? ''` when running locally). */
  constructor(
    private readonly adapter: ContinuingAdapter,
    private readonly botAppId: string,
  ) {}

  async send(ref: Partial<ConversationReference>, activity: Partial<Activity>): Promise<{ id: string }> {
    const target: Partial<ConversationReference> = { ...ref, activityId: undefined };
    const conversationId = target.conversation?.id ?? '';
    let id = '';
    await this.continueWith(target, async (ctx) => {
      // ctx.sendActivity would reply to the continuation activity's (random) id; posting to the
      // conversation itself is what starts a new thread in a channel.
      const connector = ctx.turnState.get<ConversationsClient | undefined>(ctx.adapter.ConnectorClientKey);
      if (connector === undefined) throw new Error('the adapter gave the turn no connector client');
      const outgoing = TurnContext.applyConversationReference(
        { ...activity, type: activity.type ?? 'message' },
        target,
      );
      const response = await connector.conversations.sendToConversation(conversationId, outgoing as Activity);
      id = response.id ?? '';
    });
    if (id === '')
      log.warn(
        { conversationId: ref.conversation?.id },
        'Teams returned no activity id; the card cannot be updated later',
      );
    return { id };
  }

  async update(
    ref: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ): Promise<void> {
    const target: Partial<ConversationReference> = { ...ref, activityId: undefined };
    await this.continueWith(target, async (ctx) => {
      await ctx.updateActivity({ ...activity, id: activityId, type: activity.type ?? 'message' });
    });
  }

  private async continueWith(
    ref: Partial<ConversationReference>,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<void> {
    try {
      await this.adapter.continueConversationAsync(this.botAppId, ref, async (ctx) => {
        removeSdkRetry(ctx);
        await logic(ctx);
      });
    } catch (err) {
      throw connectorErrorToDeliveryError(err, Date.now());
    }
  }
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
}

function headerValue(headers: unknown, name: string): string | undefined {
  const get = field(headers, 'get');
  if (typeof get === 'function') {
    const v: unknown = get.call(headers, name);
    return typeof v === 'string' ? v : undefined;
  }
  const v = field(headers, name) ?? field(headers, name.toLowerCase());
  return typeof v === 'string' ? v : undefined;
}

/** Maps a botframework-connector (core-rest-pipeline RestError) failure to our retry classes. */
export function connectorErrorToDeliveryError(err: unknown, now: number): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const status = field(err, 'statusCode') ?? field(field(err, 'response'), 'status');
  const message = err instanceof Error ? err.message : String(err);
  if (typeof status !== 'number') return new DeliveryError('retryable', `could not reach Teams: ${message}`);
  const retryAfter = parseRetryAfter(
    headerValue(field(field(err, 'response'), 'headers'), 'retry-after'),
    now,
  );
  return new DeliveryError(
    classifyStatus(status),
    `Teams answered ${status}: ${message}`,
    status,
    retryAfter,
  );
}

function removeSdkRetry(ctx: TurnContext): void {
  const connector = ctx.turnState.get(ctx.adapter.ConnectorClientKey);
  const pipeline = field(field(connector, 'client'), 'pipeline');
  const removePolicy = field(pipeline, 'removePolicy');
  if (typeof removePolicy === 'function') removePolicy.call(pipeline, { name: SDK_RETRY_POLICY });
}
