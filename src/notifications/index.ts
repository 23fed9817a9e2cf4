import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Attachment, Storage } from 'botbuilder';
import type { ResponderAuthorizer } from '../authz/responders';
import type { BotFeature } from '../bot/app';
import type { Incident } from '../domain/types';
import { getLogger } from '../logger';
import type { SentinelGateway } from '../sentinel/gateway';
import { systemClock, type Clock } from './clock';
import { registerSubscriptionCommands, teamInstallText } from './commands';
import { DeliveryWorker, type DeliveryStats, type ThreadContext } from './deliveryWorker';
import { IncidentIntake } from './intake';
import { Outbox, OUTBOX_RECORD_PREFIX, type DeliveryRecord } from './outbox';
import { IncidentPoller, type PollResult } from './poller';
import type { RateWindow } from './rateLimiter';
import { routeIncident } from './router';
import { ThrottledSender, type RetryPolicy, type SenderStats } from './sender';
import { SubscriptionStore } from './subscriptions';
import type { ProactiveMessenger } from './teamsMessenger';

export { SUBSCRIPTION_COMMANDS, teamInstallText } from './commands';
export { registerIncidentWebhook, INCIDENT_WEBHOOK_PATH } from './webhook';
export { TeamsMessenger, type ProactiveMessenger } from './teamsMessenger';
export { SubscriptionStore } from './subscriptions';

const log = getLogger('notifications');

const stores = new WeakMap<Storage, SubscriptionStore>();

/** One store per Storage, so the commands and the pipeline serialise their writes through one queue. */
export function subscriptionStoreFor(storage: Storage): SubscriptionStore {
  let store = stores.get(storage);
  if (store === undefined) {
    store = new SubscriptionStore(storage);
    stores.set(storage, store);
  }
  return store;
}

export interface NotificationDeps {
  sentinel: SentinelGateway;
  /** Durable storage (FileStorage in production): subscriptions, outbox, poller checkpoint. */
  storage: Storage;
  incidentContext?: ThreadContext;
  messenger: ProactiveMessenger;
  /** The bot's incident card, e.g. `(i) => renderIncidentCard({ incident: i }, { actions })`. */
  renderIncidentCard: (incident: Incident) => Attachment;
  /** config.notifications.pollIntervalSeconds; 0 turns the poller off. */
  pollIntervalSeconds: number;
  /** config.notifications.digestThreshold. */
  digestThreshold: number;
  clock?: Clock;
  tuning?: NotificationTuning;
}

/** Knobs for tests and the benchmark; production uses the defaults. */
export interface NotificationTuning {
  pollOverlapMs?: number;
  batchWindowMs?: number;
  retryLaterMs?: number;
  conversationLimits?: readonly RateWindow[];
  appLimits?: readonly RateWindow[];
  retry?: Partial<RetryPolicy>;
  limiterMarginMs?: number;
  digestMaxItems?: number;
  random?: () => number;
}

export interface NotificationService {
  /** Stops polling and delivery; in-flight sends finish, pending work stays in the outbox. */
  stop(): Promise<void>;
  /** A hint that incident `name` was created or changed (the webhook); resolves once durably queued. */
  notifyIncident(name: string): Promise<void>;
  /** One poll now (also runs on its interval). */
  pollNow(): Promise<PollResult>;
  /** Resolves when queued hints are routed and every conversation's deliveries are done (tests, bench). */
  drain(): Promise<void>;
  readonly subscriptions: SubscriptionStore;
  stats(): DeliveryStats & SenderStats;
}

export function startNotifications(deps: NotificationDeps): NotificationService {
  const clock = deps.clock ?? systemClock;
  const tuning = deps.tuning ?? {};
  const abort = new AbortController();
  const subscriptions = subscriptionStoreFor(deps.storage);
  const outbox = new Outbox(deps.storage);
  const sender = new ThrottledSender(deps.messenger, {
    clock,
    conversationLimits: tuning.conversationLimits,
    appLimits: tuning.appLimits,
    retry: tuning.retry,
    limiterMarginMs: tuning.limiterMarginMs,
    random: tuning.random,
    signal: abort.signal,
  });
  const worker = new DeliveryWorker({
    outbox,
    subscriptions,
    sender,
    renderIncidentCard: deps.renderIncidentCard,
    incidentContext: deps.incidentContext,
    clock,
    digestThreshold: deps.digestThreshold,
    digestMaxItems: tuning.digestMaxItems,
    batchWindowMs: tuning.batchWindowMs ?? 500,
    retryLaterMs: tuning.retryLaterMs,
    signal: abort.signal,
  });
  const route = async (incident: Incident): Promise<void> => {
    const affected = await routeIncident(incident, { subscriptions, outbox, now: () => clock.now() });
    for (const conversationId of affected) worker.kick(conversationId);
  };
  const intake = new IncidentIntake({
    storage: deps.storage,
    sentinel: deps.sentinel,
    route,
    clock,
    signal: abort.signal,
  });
  const poller = new IncidentPoller({
    sentinel: deps.sentinel,
    storage: deps.storage,
    clock,
    onIncident: route,
    intervalMs: deps.pollIntervalSeconds * 1000,
    overlapMs: tuning.pollOverlapMs,
    signal: abort.signal,
  });

  // Resume what a previous run left: unrouted webhook hints and unconfirmed deliveries.
  intake.kick();
  void worker.kickAll().catch((err: unknown) => log.error({ err }, 'could not resume pending deliveries'));
  poller.start();
  log.info(
    { pollIntervalSeconds: deps.pollIntervalSeconds, digestThreshold: deps.digestThreshold },
    'notifications started',
  );

  return {
    subscriptions,
    notifyIncident: (name) => intake.notify(name),
    pollNow: () => poller.pollOnce(),
    async drain() {
      await intake.idle();
      await worker.idle();
    },
    async stop() {
      abort.abort();
      await Promise.all([poller.stopped(), intake.idle(), worker.idle()]);
    },
    stats: () => ({ ...worker.stats, ...sender.stats }),
  };
}

/** For createApp({ features: [notificationsFeature] }): the subscription commands as a bot feature. */
/**
 * A delivery record matters while its card may still change: pending work, or a posted card of an open
 * incident. Records of closed incidents (a reopened one gets a fresh card), digested and failed ones go
 * after 30 days without a write.
 */
const OUTBOX_RETENTION = [
  {
    prefix: OUTBOX_RECORD_PREFIX,
    maxAgeMs: 30 * 24 * 60 * 60 * 1000,
    keep: (item: Record<string, unknown>): boolean => {
      const record = item as Partial<DeliveryRecord>;
      if (record.state === 'pending' || record.updatePending === true) return true;
      return record.state === 'sent' && record.incident?.status !== 'Closed';
    },
  },
];

export const notificationsFeature: BotFeature = {
  name: 'notifications',
  retention: OUTBOX_RETENTION,
  register: (app, deps) => registerNotifications(app, deps),
  welcomeNote: (activity) =>
    (activity.channelData as { team?: unknown } | undefined)?.team !== undefined
      ? teamInstallText()
      : undefined,
};

/**
 * Subscription commands; `deps.storage` must be the same durable storage. With `deps.authorizer` (the
 * bot's shared one), subscribe/unsubscribe are limited to RESPONDERS / RESPONDER_GROUP_ID like every
 * other write.
 */
export function registerNotifications<TState extends TurnState>(
  app: Application<TState>,
  deps: { storage: Storage; authorizer?: ResponderAuthorizer },
): void {
  registerSubscriptionCommands(app, {
    subscriptions: subscriptionStoreFor(deps.storage),
    authorizer: deps.authorizer,
  });
}
