import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GroupMembership } from '../../src/authz/groupMembership';
import { loadConfig, type AppConfig } from '../../src/config';
import type { BotFeature } from '../../src/bot/app';
import { BOT_FEATURES, createGateway, startBot, type RunningBot } from '../../src/bot/compose';
import type { DemoWorkspace } from '../../src/demo/server';
import type { SentinelGateway } from '../../src/sentinel/gateway';
import { talkToBot, type BotConversation } from './talkToBot';
import { DEFAULT_BOT, startFakeTeams, type FakeTeams } from './teams';

/**
 * The whole bot, wired exactly as src/index.ts wires it (same compose function), against the demo
 * workspace (or a gateway you pass) with fake Teams as its serviceUrl and a throw-away data dir.
 *
 *   const h = await startBotHarness();
 *   const { replies } = await h.say('incident 1', { conversationType: 'channel' });
 *   ...
 *   await h.close();
 */
export interface BotHarness extends BotConversation {
  botUrl: string;
  teams: FakeTeams;
  /** Undefined when a gateway was passed in. */
  demo: DemoWorkspace | undefined;
  gateway: SentinelGateway;
  config: AppConfig;
  bot: RunningBot;
  dataDir: string;
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

  return {
    botUrl,
    teams,
    demo,
    gateway,
    config,
    bot,
    dataDir,
    ...talkToBot(botUrl, teams),
    async close() {
      await bot.close();
      await teams.close();
      await demo?.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
