import type { TeamsAdapter } from '@microsoft/teams-ai';
import type restify from 'restify';
import { incidentQaFeature } from '../ai/qa';
import { cardActionsFeature } from '../cardActions';
import { huntingFeature } from '../hunting';
import {
  notificationsFeature,
  registerIncidentWebhook,
  startNotifications,
  TeamsMessenger,
  type NotificationService,
} from '../notifications';
import type { GroupMembership } from '../authz/groupMembership';
import { createResponderAuthorizer } from '../authz/responders';
import type { AppConfig } from '../config';
import { getLogger } from '../logger';
import { AzureSentinelGateway } from '../sentinel/azureGateway';
import { createSentinelClients } from '../sentinel/clients';
import type { SentinelGateway } from '../sentinel/gateway';
import { openStateStorage } from '../storage/createStateStorage';
import type { StateStorage } from '../storage/stateStorage';
import { createAdapter } from './adapter';
import { cardActionsFor, createApp, type BotApp, type BotFeature } from './app';
import { renderIncidentCard } from './cards/incidentCard';
import type { BotDeps } from './deps';
import { IncidentContext } from './incidentContext';
import { startServer, type RunningServer } from './server';
import { teamsOutputSafety } from './teamsOutput';

/**
 * The features the running bot installs, in routing order (see the ordering rule in app.ts).
 * Add new features here (registerIncidentQa, registerNotifications, registerCardActions, ...): both the
 * entry point and the test harness (test/support/botHarness.ts) build the bot from this list.
 */
// Incident Q&A is the catch-all for free text, so it stays LAST.
export const BOT_FEATURES: readonly BotFeature[] = [
  notificationsFeature,
  cardActionsFeature,
  huntingFeature,
  incidentQaFeature(),
];

const log = getLogger('bot.compose');
const HOUSEKEEPING_EVERY_MS = 6 * 60 * 60 * 1000;

/** Expires old per-click and per-hunt records now and every 6 h, on whichever backend holds them. */
function startHousekeeping(
  storage: StateStorage,
  features: readonly BotFeature[],
): NodeJS.Timeout | undefined {
  const rules = features.flatMap((f) => f.retention ?? []);
  if (rules.length === 0) return undefined;
  const sweep = (): void => {
    storage.expire(rules).catch((err: unknown) => log.warn({ err }, 'housekeeping failed'));
  };
  setImmediate(sweep);
  return setInterval(sweep, HOUSEKEEPING_EVERY_MS).unref();
}

export function createGateway(config: AppConfig): SentinelGateway {
  return new AzureSentinelGateway(createSentinelClients(config.sentinel), config.sentinel.workspace);
}

export interface ComposeOptions {
  features?: readonly BotFeature[];
  /** Defaults to the configured backend (STORAGE: file under DATA_DIR, or Azure Blob Storage). */
  storage?: StateStorage;
  extraRoutes?: (server: restify.Server) => void;
  /** Replaces Microsoft Graph for RESPONDER_GROUP_ID checks (tests); cached like the real one. */
  groupMembership?: GroupMembership;
}

export interface RunningBot {
  deps: BotDeps;
  adapter: TeamsAdapter;
  app: BotApp;
  server: RunningServer;
  notifications: NotificationService;
  close(): Promise<void>;
}

/** Storage → incident context → adapter → app → HTTP server, exactly as production runs it. */
export async function startBot(
  config: AppConfig,
  gateway: SentinelGateway,
  options: ComposeOptions = {},
): Promise<RunningBot> {
  const storage = options.storage ?? (await openStateStorage(config));
  const deps: BotDeps = {
    config,
    sentinel: gateway,
    storage,
    incidentContext: new IncidentContext(storage),
    authorizer: createResponderAuthorizer(config, options.groupMembership),
  };
  const adapter = createAdapter(config);
  adapter.use(teamsOutputSafety());
  const features = options.features ?? BOT_FEATURES;
  const app = createApp(deps, adapter, { features });
  const actions = cardActionsFor(features);
  const notifications = startNotifications({
    sentinel: gateway,
    storage,
    incidentContext: deps.incidentContext,
    messenger: new TeamsMessenger(adapter, config.bot?.appId ?? ''),
    renderIncidentCard: (incident) => renderIncidentCard({ incident }, { actions }),
    pollIntervalSeconds: config.notifications.pollIntervalSeconds,
    digestThreshold: config.notifications.digestThreshold,
  });
  const housekeeping = startHousekeeping(storage, features);
  const server = await startServer({
    config,
    adapter,
    app,
    gateway,
    extraRoutes: (s) => {
      registerIncidentWebhook(s, {
        secret: config.notifications.webhookSecret,
        notifyIncident: notifications.notifyIncident,
      });
      options.extraRoutes?.(s);
    },
  });
  return {
    deps,
    adapter,
    app,
    server,
    notifications,
    async close() {
      clearInterval(housekeeping);
      await notifications.stop();
      await server.close();
    },
  };
}
