import { describe, expect, it } from 'vitest';
import { ConfigError, DEMO_WORKSPACE, loadConfig } from '../src/config';

const REAL = {
  SENTINEL_SUBSCRIPTION_ID: '2f0e1a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b',
  SENTINEL_RESOURCE_GROUP: 'soc-prod',
  SENTINEL_WORKSPACE_NAME: 'soc-prod-ws',
  SENTINEL_WORKSPACE_ID: '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d',
};
const BOT = {
  BOT_ID: 'c0ffee00-1234-4abc-9def-0123456789ab',
  BOT_PASSWORD: 'pw',
  BOT_TENANT_ID: REAL.SENTINEL_WORKSPACE_ID,
};

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to the demo workspace, loopback only, no model', () => {
    const c = loadConfig({});
    expect(c.sentinel.mode).toBe('demo');
    expect(c.sentinel.workspace).toEqual(DEMO_WORKSPACE);
    expect(c.sentinel.armEndpoint).toBe('http://127.0.0.1:4000');
    expect(c.sentinel.logsEndpoint).toBe('http://127.0.0.1:4000/v1');
    expect(c.host).toBe('127.0.0.1');
    expect(c.bot).toBeUndefined();
    expect(c.port).toBe(3978);
    expect(c.model).toEqual({ provider: 'none' });
    expect(c.notifications.pollIntervalSeconds).toBe(60);
    expect(c.notifications.digestThreshold).toBe(10);
    expect(c.promptTokenBudget).toBe(6000);
    expect(c.demo.playgroundPort).toBe(56150);
  });

  it('real mode needs all four SENTINEL_* variables and names the missing one', () => {
    const { SENTINEL_WORKSPACE_ID: _omit, ...partial } = REAL;
    const e = configError(partial);
    expect(e.variable).toBe('SENTINEL_WORKSPACE_ID');
    expect(e.message).toMatch(/unset all of them to use the demo workspace/);
    const c = loadConfig(REAL);
    expect(c.sentinel.mode).toBe('real');
    expect(c.sentinel.armEndpoint).toBe('https://management.azure.com');
    expect(c.sentinel.logsEndpoint).toBe('https://api.loganalytics.io/v1');
  });

  it('DEMO_SCENARIOS names a folder of extra packs, and only in demo mode', () => {
    expect(loadConfig({}).demo.scenariosDir).toBeUndefined();
    expect(loadConfig({ DEMO_SCENARIOS: ' ./tabletop ' }).demo.scenariosDir).toBe('./tabletop');
    const e = configError({ ...REAL, DEMO_SCENARIOS: './tabletop' });
    expect(e.variable).toBe('DEMO_SCENARIOS');
    expect(e.message).toMatch(/only applies to the demo workspace/);
  });

  it('rejects a workspace name where the Log Analytics GUID belongs', () => {
    expect(configError({ ...REAL, SENTINEL_WORKSPACE_ID: 'soc-prod-ws' }).variable).toBe(
      'SENTINEL_WORKSPACE_ID',
    );
  });

  it('with a bot id, binds all interfaces and requires the password; there is no auth switch', () => {
    expect(configError({ BOT_ID: BOT.BOT_ID }).variable).toBe('BOT_PASSWORD');
    const c = loadConfig({ ...BOT, SKIP_AUTH: 'true', DISABLE_AUTH: 'true' });
    expect(c.bot?.appId).toBe(BOT.BOT_ID);
    expect(c.host).toBe('0.0.0.0');
    expect(loadConfig({ BOT_ID: BOT.BOT_ID, SECRET_BOT_PASSWORD: 's' }).bot?.password).toBe('s');
    expect(configError({ ...BOT, BOT_TYPE: 'SingleTenant', BOT_TENANT_ID: '' }).variable).toBe(
      'BOT_TENANT_ID',
    );
    expect(configError({ ...BOT, BOT_TYPE: 'Anonymous' }).variable).toBe('BOT_TYPE');
    expect(
      loadConfig({ BOT_ID: BOT.BOT_ID, BOT_TYPE: 'UserAssignedMsi', BOT_TENANT_ID: BOT.BOT_TENANT_ID }).bot
        ?.type,
    ).toBe('UserAssignedMsi');
  });

  it('chooses the model provider from the environment', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-x' }).model).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o-mini',
    });
    expect(
      loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_MODEL: 'llama3' }).model,
    ).toMatchObject({
      provider: 'openai',
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'llama3',
    });
    expect(
      loadConfig({ AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com/', AZURE_OPENAI_DEPLOYMENT: 'gpt4o' })
        .model,
    ).toMatchObject({ provider: 'azure-openai', endpoint: 'https://x.openai.azure.com', apiKey: undefined });
    expect(configError({ AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com' }).variable).toBe(
      'AZURE_OPENAI_DEPLOYMENT',
    );
    expect(configError({ AZURE_OPENAI_ENDPOINT: 'http://x', AZURE_OPENAI_DEPLOYMENT: 'd' }).variable).toBe(
      'AZURE_OPENAI_ENDPOINT',
    );
  });

  it('validates numbers and secrets with messages that say what to set', () => {
    expect(configError({ PORT: 'abc' }).message).toMatch(/^PORT: must be a whole number/);
    expect(configError({ POLL_INTERVAL_SECONDS: '-1' }).variable).toBe('POLL_INTERVAL_SECONDS');
    expect(configError({ INCIDENT_WEBHOOK_SECRET: 'short' }).message).toMatch(/at least 24 characters/);
    // The boundary itself (issue #16 item 10: lowering the minimum to 16 passed every test).
    expect(configError({ INCIDENT_WEBHOOK_SECRET: 'x'.repeat(23) }).variable).toBe('INCIDENT_WEBHOOK_SECRET');
    expect(configError({ INCIDENT_WEBHOOK_SECRET: 'x'.repeat(16) }).variable).toBe('INCIDENT_WEBHOOK_SECRET');
    expect(loadConfig({ INCIDENT_WEBHOOK_SECRET: 'x'.repeat(24) }).notifications.webhookSecret).toHaveLength(
      24,
    );
    expect(configError({ RESPONDER_GROUP_ID: 'soc-team' }).variable).toBe('RESPONDER_GROUP_ID');
    expect(configError({ LOG_LEVEL: 'verbose' }).variable).toBe('LOG_LEVEL');
    expect(
      loadConfig({ RESPONDERS: 'Dana.Ruiz@contoso.com; 7b3c9d10-4e2a-4f6b-8c1d-0a9e8f7d6c52' }).authz
        .responders,
    ).toEqual(['dana.ruiz@contoso.com', '7b3c9d10-4e2a-4f6b-8c1d-0a9e8f7d6c52']);
  });
});

describe('loadConfig: storage backend (STORAGE)', () => {
  const ACCOUNT_URL = 'https://socbotstate.blob.core.windows.net';
  const CONN =
    'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;';

  it('defaults to files under DATA_DIR, as before', () => {
    expect(loadConfig({}).storage).toEqual({ backend: 'file' });
    expect(loadConfig({ STORAGE: 'file', DATA_DIR: '/x' })).toMatchObject({
      storage: { backend: 'file' },
      dataDir: '/x',
    });
  });

  it('azure with an account URL (managed identity) or a connection string, in container bot-state by default', () => {
    expect(loadConfig({ STORAGE: 'azure', AZURE_STORAGE_ACCOUNT_URL: `${ACCOUNT_URL}/` }).storage).toEqual({
      backend: 'azure',
      container: 'bot-state',
      account: { kind: 'accountUrl', url: ACCOUNT_URL },
    });
    expect(
      loadConfig({
        STORAGE: 'azure',
        AZURE_STORAGE_CONNECTION_STRING: CONN,
        AZURE_STORAGE_CONTAINER: 'soc-1',
      }).storage,
    ).toEqual({
      backend: 'azure',
      container: 'soc-1',
      account: { kind: 'connectionString', connectionString: CONN },
    });
  });

  it('fails fast naming the variable to fix', () => {
    expect(configError({ STORAGE: 'blob' }).variable).toBe('STORAGE');
    expect(configError({ STORAGE: 'azure' }).variable).toBe('AZURE_STORAGE_ACCOUNT_URL');
    expect(
      configError({ STORAGE: 'azure', AZURE_STORAGE_ACCOUNT_URL: 'http://socbotstate.blob.core.windows.net' })
        .variable,
    ).toBe('AZURE_STORAGE_ACCOUNT_URL');
    expect(
      configError({
        STORAGE: 'azure',
        AZURE_STORAGE_ACCOUNT_URL: ACCOUNT_URL,
        AZURE_STORAGE_CONNECTION_STRING: CONN,
      }).variable,
    ).toBe('AZURE_STORAGE_CONNECTION_STRING');
    for (const bad of ['Bot-State', 'ab', 'a--b', '-ab', 'x'.repeat(64)]) {
      expect(
        configError({
          STORAGE: 'azure',
          AZURE_STORAGE_ACCOUNT_URL: ACCOUNT_URL,
          AZURE_STORAGE_CONTAINER: bad,
        }).variable,
      ).toBe('AZURE_STORAGE_CONTAINER');
    }
  });

  it('refuses Azure Storage settings without STORAGE=azure (instances would silently keep separate files)', () => {
    expect(configError({ AZURE_STORAGE_ACCOUNT_URL: ACCOUNT_URL }).variable).toBe(
      'AZURE_STORAGE_ACCOUNT_URL',
    );
    expect(configError({ STORAGE: 'file', AZURE_STORAGE_CONNECTION_STRING: CONN }).variable).toBe(
      'AZURE_STORAGE_CONNECTION_STRING',
    );
  });
});
