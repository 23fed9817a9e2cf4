import { CredentialUnavailableError, type TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { AzureSentinelGateway } from '../../src/sentinel/azureGateway';
import { createSentinelClients } from '../../src/sentinel/clients';
import { startBotHarness, type BotHarness } from '../support/botHarness';

/**
 * Issue #16 item 8: when the bot cannot get an Azure token, the analyst reads one plain sentence; the
 * identity library's text (every credential tried, environment details) stays in the operator's log.
 */
const RAW =
  'DefaultAzureCredential failed to retrieve a token from the included credentials.\n' +
  'EnvironmentCredential is unavailable. Environment variables are not fully configured. AZURE_TENANT_ID=72f9…\n' +
  'ManagedIdentityCredential: Attempted to use the IMDS endpoint http://169.254.169.254/metadata/identity';

describe('Azure sign-in failures in chat', () => {
  let h: BotHarness;
  beforeAll(async () => {
    const config = loadConfig({
      SENTINEL_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000001',
      SENTINEL_RESOURCE_GROUP: 'soc',
      SENTINEL_WORKSPACE_NAME: 'soc-ws',
      SENTINEL_WORKSPACE_ID: '11111111-1111-1111-1111-111111111112',
      SENTINEL_ARM_ENDPOINT: 'https://127.0.0.1:9',
      LOG_ANALYTICS_ENDPOINT: 'https://127.0.0.1:9/v1',
    });
    const noToken: TokenCredential = { getToken: () => Promise.reject(new CredentialUnavailableError(RAW)) };
    const gateway = new AzureSentinelGateway(
      createSentinelClients(config.sentinel, noToken),
      config.sentinel.workspace,
    );
    h = await startBotHarness({ gateway, env: { POLL_INTERVAL_SECONDS: '0' } });
  });
  afterAll(() => h.close());

  it('answers with the plain sentence, not the identity library text', async () => {
    const { replies } = await h.say('incidents');
    expect(replies).toHaveLength(1);
    const text = String(replies[0]?.activity.text);
    expect(text).toMatch(/couldn't sign in to Azure/);
    expect(text).not.toMatch(/DefaultAzureCredential|EnvironmentCredential|169\.254|AZURE_TENANT_ID/);
  });
});
