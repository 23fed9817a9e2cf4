import { TeamsAdapter } from '@microsoft/teams-ai';
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { AppConfig } from '../config';
import { getLogger } from '../logger';
import { ensureBoundedOpenIdMetadata } from './openIdMetadata';

const log = getLogger('bot.adapter');
let warnedAuthOff = false;

/**
 * The Bot Framework adapter. With a bot identity configured, every inbound activity must carry a valid
 * Bot Connector JWT; there is deliberately no switch to turn that off. Without one (local use with the
 * Agents Playground or tests) inbound auth is off, which is only safe because config then binds the
 * server to 127.0.0.1.
 */
export function createAdapter(config: AppConfig): TeamsAdapter {
  const bot = config.bot;
  if (!bot) {
    if (!warnedAuthOff) {
      warnedAuthOff = true;
      log.warn('inbound authentication is off (BOT_ID empty): listening on 127.0.0.1 only');
    }
    return new TeamsAdapter({});
  }
  ensureBoundedOpenIdMetadata();
  const auth: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: bot.appId,
    MicrosoftAppType: bot.type,
  };
  if (bot.password !== undefined) auth.MicrosoftAppPassword = bot.password;
  if (bot.tenantId !== undefined) auth.MicrosoftAppTenantId = bot.tenantId;
  return new TeamsAdapter(auth);
}
