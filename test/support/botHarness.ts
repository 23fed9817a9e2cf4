import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GroupMembership } from '../../src/authz/groupMembership';
import { loadConfig, type AppConfig } from '../../src/config';
import type { BotFeature } from '../../src/bot/app';
import { BOT_FEATURES, createGateway, startBot, type RunningBot } from '../../src/bot/compose';
import type { DemoWorkspace } from '../../src/demo/server';
import type { SentinelGateway } from '../../src/sentinel/gateway';
import {
  DEFAULT_BOT,
  postActivity,
  startFakeTeams,
  type FactoryOptions,
  type FakeTeams,
  type PostResult,
  type RecordedActivity,
  type TeamsActivity,
} from './teams';

/**
 * The whole bot, wired exactly as src/index.ts wires it (same compose function), against the demo
 * workspace (or a gateway you pass) with fake Teams as its serviceUrl and a throw-away data dir.
 *
 *   const h = await startBotHarness();
 *   const { replies } = await h.say('incident 1', { conversationType: 'channel' });
 *   ...
 *   await h.close();
 */
export interface BotHarness {
  botUrl: string;
  teams: FakeTeams;
  /** Undefined when a gateway was passed in. */
  demo: DemoWorkspace | undefined;
  gateway: SentinelGateway;
  config: AppConfig;
  bot: RunningBot;
  dataDir: string;
  /** Posts an activity to the bot. */
  post(
    activity: TeamsActivity | Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<PostResult>;
  /** Posts a Teams message and returns the HTTP status and what the bot sent in reply to it. */
  say(
    text: string,
    opts?: FactoryOptions,
  ): Promise<PostResult & { activity: TeamsActivity; replies: RecordedActivity[] }>;
  /** Clicks an Action.Execute button: returns the invoke response body (status, type, value). */
  click(
    verb: string,
    data: Record<string, unknown>,
    opts?: FactoryOptions,
  ): Promise<PostResult & { activity: TeamsActivity }>;
  close(): Promise<void>;
}

export interface BotHarnessOverrides {
  env?: Record<string, string>;
  /** Use this gateway instead of starting the demo workspace. */
  gateway?: SentinelGateway;
  /** Defaults to BOT_FEATURES, the production list. */
  features?: readonly BotFeature[];
  /** Replaces Microsoft Graph for RESPONDER_GROUP_ID checks, at the composition root. */
  groupMembership?: GroupMembership;
}

export async function startBotHarness(overrides: BotHarnessOverrides = {}): Promise<BotHarness> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bot-harness-'));
  const demo = overrides.gateway
    ? undefined
    : await (await import('../../src/demo/server')).startDemoWorkspace({ port: 0 });
  const env: Record<string, string> = {
    LOG_LEVEL: 'warn',
    // Tests post many messages as one user; the rate limit has its own tests (test/bot/burst.test.ts).
    USER_MESSAGES_PER_MINUTE: '600',
    ...overrides.env,
    DATA_DIR: dataDir,
    ...(demo ? { DEMO_PORT: String(demo.port) } : {}),
  };
  const config: AppConfig = { ...loadConfig(env, 'test'), port: 0 };
  const gateway = overrides.gateway ?? createGateway(config);
  const teams = await startFakeTeams({
    bot: config.bot ? { ...DEFAULT_BOT, id: `28:${config.bot.appId}` } : DEFAULT_BOT,
  });
  const bot = await startBot(config, gateway, {
    features: overrides.features ?? BOT_FEATURES,
    groupMembership: overrides.groupMembership,
  });
  const botUrl = bot.server.url;

  const post: BotHarness['post'] = (activity, headers) => postActivity(botUrl, activity, { headers });
  return {
    botUrl,
    teams,
    demo,
    gateway,
    config,
    bot,
    dataDir,
    post,
    async say(text, opts) {
      const activity = teams.message(text, opts);
      const result = await post(activity);
      // CloudAdapter answers the HTTP request after the turn, so the replies are already recorded.
      const replies = teams.activities.filter((a) => a.replyToId === activity.id);
      return { ...result, activity, replies };
    },
    async click(verb, data, opts) {
      const activity = teams.invoke(verb, data, opts);
      return { ...(await post(activity)), activity };
    },
    async close() {
      await bot.close();
      await teams.close();
      await demo?.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
