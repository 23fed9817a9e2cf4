/**
 * The one place that reads the environment. Everything else receives an AppConfig.
 * Validation fails fast with a ConfigError naming the variable and what to set, so an operator
 * starting the bot at 3 a.m. sees the fix in the first log line instead of a stack trace later.
 */

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

export type BotType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMsi';

export interface BotIdentity {
  /** Entra app (client) id of the bot; when set, inbound JWT validation is always on. */
  appId: string;
  password?: string;
  tenantId?: string;
  type: BotType;
}

export interface WorkspaceRef {
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
  /** Log Analytics workspace GUID (customer id), used by the query API. */
  workspaceId: string;
}

export interface SentinelConfig {
  mode: 'demo' | 'real';
  workspace: WorkspaceRef;
  /** ARM endpoint, e.g. https://management.azure.com (demo: the local demo workspace). */
  armEndpoint: string;
  /** Log Analytics query endpoint including /v1. */
  logsEndpoint: string;
}

export interface DemoConfig {
  port: number;
  /** Port of the local Teams client (M365 Agents Playground) that `npm start` opens in demo mode. */
  playgroundPort: number;
  /** Seconds between generated incidents; 0 = off. */
  newIncidentEverySeconds: number;
  /** Folder of extra scenario packs (*.json) loaded after the built-in ones; see docs/demo-scenarios.md. */
  scenariosDir?: string;
}

export type ModelConfig =
  | { provider: 'none' }
  | { provider: 'openai'; apiKey: string; model: string; baseUrl?: string; timeoutMs: number }
  | {
      provider: 'azure-openai';
      endpoint: string;
      deployment: string;
      apiVersion: string;
      /** Without a key, Entra ID through @azure/identity. */
      apiKey?: string;
      timeoutMs: number;
    };

/**
 * Where durable state lives. `file`: one JSON file per key under DATA_DIR (one process per directory).
 * `azure`: one blob per key in a container, shared by every instance (STORAGE=azure).
 */
export type StorageConfig =
  { backend: 'file' } | { backend: 'azure'; container: string; account: AzureStorageAccount };

/** How to reach the storage account: managed identity (production) or a connection string (Azurite). */
export type AzureStorageAccount =
  { kind: 'accountUrl'; url: string } | { kind: 'connectionString'; connectionString: string };

export interface AppConfig {
  version: string;
  port: number;
  /** 127.0.0.1 when no bot id is configured (local use, inbound auth off); 0.0.0.0 otherwise. */
  host: string;
  bot?: BotIdentity;
  sentinel: SentinelConfig;
  demo: DemoConfig;
  dataDir: string;
  storage: StorageConfig;
  logLevel: string;
  model: ModelConfig;
  promptTokenBudget: number;
  notifications: {
    webhookSecret?: string;
    pollIntervalSeconds: number;
    digestThreshold: number;
  };
  authz: {
    responders: string[];
    responderGroupId?: string;
  };
  kql: {
    rowCap: number;
    timeoutSeconds: number;
  };
  limits: {
    /** Messages and card clicks per user per minute; beyond it the user gets a polite "slow down". */
    userMessagesPerMinute: number;
  };
}

export const DEMO_WORKSPACE: WorkspaceRef = {
  subscriptionId: '00000000-0000-0000-0000-000000000000',
  resourceGroup: 'soc-demo',
  workspaceName: 'soc-demo-ws',
  workspaceId: '11111111-1111-1111-1111-111111111111',
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SENTINEL_VARS = [
  'SENTINEL_SUBSCRIPTION_ID',
  'SENTINEL_RESOURCE_GROUP',
  'SENTINEL_WORKSPACE_NAME',
  'SENTINEL_WORKSPACE_ID',
] as const;

function str(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = str(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw))
    throw new ConfigError(name, `must be a whole number between ${min} and ${max}, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function httpUrl(env: Env, name: string, requireHttps: boolean): string | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be an absolute URL, got "${raw}"`);
  }
  if (requireHttps && url.protocol !== 'https:')
    throw new ConfigError(name, `must be an https:// URL, got "${raw}"`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigError(name, `must be an http(s) URL`);
  return raw.replace(/\/+$/, '');
}

function loadSentinel(env: Env, demoPort: number): SentinelConfig {
  const set = SENTINEL_VARS.filter((v) => str(env, v) !== undefined);
  if (set.length === 0) {
    const base = `http://127.0.0.1:${demoPort}`;
    return { mode: 'demo', workspace: DEMO_WORKSPACE, armEndpoint: base, logsEndpoint: `${base}/v1` };
  }
  for (const v of SENTINEL_VARS) {
    if (str(env, v) === undefined) {
      throw new ConfigError(
        v,
        `is required when any SENTINEL_* variable is set (real mode needs ${SENTINEL_VARS.join(', ')}); unset all of them to use the demo workspace`,
      );
    }
  }
  const workspace: WorkspaceRef = {
    subscriptionId: str(env, 'SENTINEL_SUBSCRIPTION_ID') as string,
    resourceGroup: str(env, 'SENTINEL_RESOURCE_GROUP') as string,
    workspaceName: str(env, 'SENTINEL_WORKSPACE_NAME') as string,
    workspaceId: str(env, 'SENTINEL_WORKSPACE_ID') as string,
  };
  if (!GUID.test(workspace.subscriptionId)) {
    throw new ConfigError('SENTINEL_SUBSCRIPTION_ID', 'must be a subscription GUID');
  }
  if (!GUID.test(workspace.workspaceId)) {
    throw new ConfigError(
      'SENTINEL_WORKSPACE_ID',
      'must be the Log Analytics workspace GUID (Workspace ID on the workspace overview page), not its name',
    );
  }
  return {
    mode: 'real',
    workspace,
    armEndpoint: httpUrl(env, 'SENTINEL_ARM_ENDPOINT', true) ?? 'https://management.azure.com',
    logsEndpoint: httpUrl(env, 'LOG_ANALYTICS_ENDPOINT', true) ?? 'https://api.loganalytics.io/v1',
  };
}

function loadBot(env: Env): BotIdentity | undefined {
  const appId = str(env, 'BOT_ID');
  if (appId === undefined) return undefined;
  if (!GUID.test(appId)) throw new ConfigError('BOT_ID', "must be the bot's Entra app (client) id, a GUID");
  const rawType = str(env, 'BOT_TYPE') ?? 'MultiTenant';
  if (rawType !== 'MultiTenant' && rawType !== 'SingleTenant' && rawType !== 'UserAssignedMsi') {
    throw new ConfigError(
      'BOT_TYPE',
      `must be MultiTenant, SingleTenant or UserAssignedMsi, got "${rawType}"`,
    );
  }
  const password = str(env, 'BOT_PASSWORD') ?? str(env, 'SECRET_BOT_PASSWORD');
  const tenantId = str(env, 'BOT_TENANT_ID');
  if (rawType !== 'UserAssignedMsi' && password === undefined) {
    throw new ConfigError(
      'BOT_PASSWORD',
      `is required with BOT_ID and BOT_TYPE=${rawType} (or set SECRET_BOT_PASSWORD)`,
    );
  }
  if (rawType !== 'MultiTenant' && tenantId === undefined) {
    throw new ConfigError('BOT_TENANT_ID', `is required with BOT_TYPE=${rawType}`);
  }
  if (tenantId !== undefined && !GUID.test(tenantId))
    throw new ConfigError('BOT_TENANT_ID', 'must be a tenant GUID');
  return { appId, password, tenantId, type: rawType };
}

function loadModel(env: Env): ModelConfig {
  const timeoutMs = int(env, 'MODEL_TIMEOUT_SECONDS', 30, 1, 600) * 1000;
  const azureEndpoint = httpUrl(env, 'AZURE_OPENAI_ENDPOINT', true);
  if (azureEndpoint !== undefined) {
    const deployment = str(env, 'AZURE_OPENAI_DEPLOYMENT');
    if (deployment === undefined) {
      throw new ConfigError(
        'AZURE_OPENAI_DEPLOYMENT',
        'is required with AZURE_OPENAI_ENDPOINT (the model deployment name)',
      );
    }
    return {
      provider: 'azure-openai',
      endpoint: azureEndpoint,
      deployment,
      apiVersion: str(env, 'AZURE_OPENAI_API_VERSION') ?? '2024-10-21',
      apiKey: str(env, 'AZURE_OPENAI_API_KEY'),
      timeoutMs,
    };
  }
  const baseUrl = httpUrl(env, 'OPENAI_BASE_URL', false);
  const apiKey = str(env, 'OPENAI_API_KEY');
  if (apiKey === undefined && baseUrl === undefined) return { provider: 'none' };
  return {
    provider: 'openai',
    // Local OpenAI-compatible servers (Ollama, vLLM, LM Studio) accept any key.
    apiKey: apiKey ?? 'not-needed',
    model: str(env, 'OPENAI_MODEL') ?? 'gpt-4o-mini',
    baseUrl,
    timeoutMs,
  };
}

const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$/;
const AZURE_STORAGE_VARS = ['AZURE_STORAGE_ACCOUNT_URL', 'AZURE_STORAGE_CONNECTION_STRING'] as const;

function loadStorage(env: Env): StorageConfig {
  const backend = str(env, 'STORAGE') ?? 'file';
  const accountUrl = httpUrl(env, 'AZURE_STORAGE_ACCOUNT_URL', true);
  const connectionString = str(env, 'AZURE_STORAGE_CONNECTION_STRING');
  const container = str(env, 'AZURE_STORAGE_CONTAINER') ?? 'bot-state';
  if (backend === 'file') {
    // Several instances writing to separate disks would silently diverge: a half-done switch is an error.
    const stray = AZURE_STORAGE_VARS.find((v) => str(env, v) !== undefined);
    if (stray !== undefined) {
      throw new ConfigError(
        stray,
        'is set but STORAGE is not "azure": set STORAGE=azure to use it, or unset it',
      );
    }
    return { backend: 'file' };
  }
  if (backend !== 'azure') throw new ConfigError('STORAGE', `must be "file" or "azure", got "${backend}"`);
  if (!CONTAINER_NAME.test(container)) {
    throw new ConfigError(
      'AZURE_STORAGE_CONTAINER',
      `must be a blob container name (3-63 lowercase letters, digits and single hyphens), got "${container}"`,
    );
  }
  if (accountUrl !== undefined && connectionString !== undefined) {
    throw new ConfigError(
      'AZURE_STORAGE_CONNECTION_STRING',
      'set either AZURE_STORAGE_ACCOUNT_URL (managed identity) or AZURE_STORAGE_CONNECTION_STRING, not both',
    );
  }
  if (accountUrl !== undefined)
    return { backend: 'azure', container, account: { kind: 'accountUrl', url: accountUrl } };
  if (connectionString !== undefined) {
    return { backend: 'azure', container, account: { kind: 'connectionString', connectionString } };
  }
  throw new ConfigError(
    'AZURE_STORAGE_ACCOUNT_URL',
    'is required with STORAGE=azure (e.g. https://<account>.blob.core.windows.net), or set AZURE_STORAGE_CONNECTION_STRING (Azurite)',
  );
}

function list(env: Env, name: string): string[] {
  return (str(env, name) ?? '')
    .split(/[,;\s]+/)
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
}

export function loadConfig(env: Env, version = '0.0.0'): AppConfig {
  const demoPort = int(env, 'DEMO_PORT', 4000, 1, 65535);
  const bot = loadBot(env);
  const logLevel = str(env, 'LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', 'must be one of fatal, error, warn, info, debug, trace, silent');
  }
  const webhookSecret = str(env, 'INCIDENT_WEBHOOK_SECRET');
  if (webhookSecret !== undefined && webhookSecret.length < 24) {
    throw new ConfigError(
      'INCIDENT_WEBHOOK_SECRET',
      'must be at least 24 characters (e.g. `openssl rand -hex 32`)',
    );
  }
  const sentinel = loadSentinel(env, demoPort);
  const scenariosDir = str(env, 'DEMO_SCENARIOS');
  if (scenariosDir !== undefined && sentinel.mode !== 'demo') {
    throw new ConfigError(
      'DEMO_SCENARIOS',
      'only applies to the demo workspace; unset it, or unset the SENTINEL_* variables to run the demo',
    );
  }
  const responderGroupId = str(env, 'RESPONDER_GROUP_ID');
  if (responderGroupId !== undefined && !GUID.test(responderGroupId)) {
    throw new ConfigError('RESPONDER_GROUP_ID', 'must be the Entra group object id, a GUID');
  }
  return {
    version,
    port: int(env, 'PORT', 3978, 1, 65535),
    host: bot ? '0.0.0.0' : '127.0.0.1',
    bot,
    sentinel,
    demo: {
      port: demoPort,
      playgroundPort: int(env, 'PLAYGROUND_PORT', 56150, 1, 65535),
      newIncidentEverySeconds: int(env, 'DEMO_NEW_INCIDENT_EVERY', 0, 0, 86_400),
      scenariosDir,
    },
    dataDir: str(env, 'DATA_DIR') ?? '.data',
    storage: loadStorage(env),
    logLevel,
    model: loadModel(env),
    promptTokenBudget: int(env, 'PROMPT_TOKEN_BUDGET', 6000, 500, 120_000),
    notifications: {
      webhookSecret,
      pollIntervalSeconds: int(env, 'POLL_INTERVAL_SECONDS', 60, 0, 86_400),
      digestThreshold: int(env, 'DIGEST_THRESHOLD', 10, 1, 1000),
    },
    authz: { responders: list(env, 'RESPONDERS'), responderGroupId },
    kql: {
      rowCap: int(env, 'KQL_ROW_CAP', 50, 1, 10_000),
      timeoutSeconds: int(env, 'KQL_TIMEOUT_SECONDS', 60, 1, 600),
    },
    limits: { userMessagesPerMinute: int(env, 'USER_MESSAGES_PER_MINUTE', 20, 1, 600) },
  };
}
