import fs from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseEnvFile, placeholdersIn } from '../../scripts/package-app';
import { loadConfig } from '../../src/config';
import { REPO_ROOT } from '../support/paths';
import { appSettingNames, appSettingValue, bicepOutputs, bicepParams, bicepResources } from './bicep';

const read = (rel: string): string => fs.readFileSync(path.join(REPO_ROOT, rel), 'utf8');
const INFRA = 'teamsapp/infra';
const mainBicep = read(`${INFRA}/azure.bicep`);
const workspaceBicep = read(`${INFRA}/modules/sentinelWorkspaceAccess.bicep`);
const playbookBicep = read(`${INFRA}/modules/incidentPlaybook.bicep`);
const allBicep = [mainBicep, workspaceBicep, playbookBicep];

interface Step {
  uses: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}
type Project = { version: string; provision?: Step[]; deploy?: Step[]; publish?: Step[] };

const PROJECTS = [
  { file: 'teamsapp.yml', env: 'dev' },
  { file: 'teamsapp.local.yml', env: 'local' },
] as const;

function project(file: string): Project {
  return load(read(file)) as Project;
}

/** Keys the committed env file and its .user sample define (values may be empty until provision). */
function envKeys(env: string): Set<string> {
  const keys = new Set(Object.keys(parseEnvFile(read(`env/.env.${env}`), `env/.env.${env}`)));
  const sample = `env/.env.${env}.user.sample`;
  for (const k of Object.keys(parseEnvFile(read(sample), sample))) keys.add(k);
  return keys;
}

/** Variables src/config.ts reads, from its str/int/httpUrl/list(env, 'NAME') calls. */
function configVariables(): Set<string> {
  const source = read('src/config.ts');
  return new Set(
    [...source.matchAll(/\b(?:str|int|httpUrl|list)\(env, '([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1] as string),
  );
}

describe('env files', () => {
  it('committed env files hold no secrets; secrets live only in the git-ignored .user files', () => {
    for (const env of ['dev', 'local']) {
      const vars = parseEnvFile(read(`env/.env.${env}`), env);
      expect(Object.keys(vars).filter((k) => k.startsWith('SECRET_'))).toEqual([]);
      const sample = parseEnvFile(read(`env/.env.${env}.user.sample`), env);
      expect(Object.keys(sample).length).toBeGreaterThan(0);
      expect(Object.entries(sample).filter(([k, v]) => !k.startsWith('SECRET_') || v !== '')).toEqual([]);
      expect(vars.TEAMSFX_ENV).toBe(env);
    }
    expect(read('.gitignore').split('\n')).toContain('env/.env.*.user');
  });
});

describe('teamsapp.yml / teamsapp.local.yml', () => {
  it.each(PROJECTS)('$file is in the Teams Toolkit v1.x format with a matching $schema', ({ file }) => {
    const text = read(file);
    const p = project(file);
    expect(p.version).toMatch(/^v1\.\d+$/);
    expect(text.split('\n')[0]).toBe(
      `# yaml-language-server: $schema=https://aka.ms/teams-toolkit/${p.version}/yaml.schema.json`,
    );
  });

  it('teamsapp.yml provisions Azure and the Teams app, deploys the build, and publishes', () => {
    const p = project('teamsapp.yml');
    const uses = (steps: Step[] | undefined): string[] => (steps ?? []).map((s) => s.uses);
    expect(uses(p.provision)).toEqual(
      expect.arrayContaining([
        'teamsApp/create',
        'arm/deploy',
        'teamsApp/validateManifest',
        'teamsApp/zipAppPackage',
        'teamsApp/update',
      ]),
    );
    expect(uses(p.provision).indexOf('arm/deploy')).toBeLessThan(
      uses(p.provision).indexOf('teamsApp/zipAppPackage'),
    );
    expect(uses(p.deploy)).toEqual([
      'cli/runNpmCommand',
      'cli/runNpmCommand',
      'cli/runNpmCommand',
      'azureAppService/zipDeploy',
    ]);
    expect(p.deploy?.[1]?.with?.args).toBe('run build');
    // The zip is the staged folder: build + production dependencies, no dev tools (issue #16 item 11).
    expect(p.deploy?.[2]?.with?.args).toBe('run stage:deploy');
    expect(p.deploy?.[3]?.with?.artifactFolder).toBe('./.deploy');
    expect(uses(p.publish)).toContain('teamsApp/publishAppPackage');
  });

  it('teamsapp.local.yml registers a bot against the tunnel and writes the bot runtime env', () => {
    const p = project('teamsapp.local.yml');
    const uses = (p.provision ?? []).map((s) => s.uses);
    expect(uses.some((u) => u === 'aadApp/create' || u === 'botAadApp/create')).toBe(true);
    const bot = (p.provision ?? []).find((s) => s.uses === 'botFramework/create');
    expect(bot?.with?.messagingEndpoint).toBe('${{BOT_ENDPOINT}}/api/messages');
    const envFile = (p.deploy ?? []).find((s) => s.uses === 'file/createOrUpdateEnvironmentFile');
    const written = Object.keys((envFile?.with?.envs ?? {}) as Record<string, string>);
    expect(written).toEqual(expect.arrayContaining(['BOT_ID', 'BOT_PASSWORD', 'BOT_TENANT_ID', 'BOT_TYPE']));
    expect(written.filter((k) => !configVariables().has(k))).toEqual([]);
  });

  it.each(PROJECTS)('every file $file points at exists', ({ file }) => {
    const p = project(file);
    const paths = [...(p.provision ?? []), ...(p.deploy ?? []), ...(p.publish ?? [])].flatMap((s) => {
      const w = s.with ?? {};
      const templates = (w.templates ?? []) as { path: string; parameters: string }[];
      return [w.manifestPath, w.ignoreFile, ...templates.flatMap((t) => [t.path, t.parameters])].filter(
        (v): v is string => typeof v === 'string',
      );
    });
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((rel) => !fs.existsSync(path.join(REPO_ROOT, rel)))).toEqual([]);
  });
});

describe('${{VAR}} placeholders', () => {
  it.each(PROJECTS)(
    'every placeholder in $file is defined in env/ or produced by an earlier step',
    ({ file, env }) => {
      const p = project(file);
      const known = envKeys(env);
      const undefinedVars: string[] = [];
      for (const stage of [p.provision, p.deploy, p.publish]) {
        for (const step of stage ?? []) {
          const used = placeholdersIn(JSON.stringify(step.with ?? {}));
          if (step.uses === 'arm/deploy')
            used.push(...placeholdersIn(read(`${INFRA}/azure.parameters.json`)));
          if (step.uses.startsWith('teamsApp/')) used.push(...placeholdersIn(read('teamsapp/manifest.json')));
          undefinedVars.push(...used.filter((v) => !known.has(v)).map((v) => `${step.uses}: ${v}`));
          for (const produced of Object.values(step.writeToEnvironmentFile ?? {})) known.add(produced);
          if (step.uses === 'arm/deploy') for (const o of bicepOutputs(mainBicep)) known.add(o);
        }
      }
      expect(undefinedVars).toEqual([]);
    },
  );

  it('every Bicep output lands in a variable env/.env.dev declares', () => {
    const keys = envKeys('dev');
    expect(bicepOutputs(mainBicep).filter((o) => !keys.has(o))).toEqual([]);
  });

  it('every placeholder is documented in README.md or docs/deployment.md', () => {
    const docs = ['README.md', 'docs/deployment.md']
      .filter((f) => fs.existsSync(path.join(REPO_ROOT, f)))
      .map(read)
      .join('\n');
    const used = new Set(
      [
        'teamsapp.yml',
        'teamsapp.local.yml',
        'teamsapp/manifest.json',
        `${INFRA}/azure.parameters.json`,
      ].flatMap((f) => placeholdersIn(read(f))),
    );
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((v) => !docs.includes(`\`${v}\``))).toEqual([]);
  });
});

describe('Bicep ↔ the variables the bot reads', () => {
  /** Read by the bot but not set on App Service, and why. */
  const NOT_APP_SETTINGS: Record<string, string> = {
    DEMO_PORT: 'demo workspace only; real mode never starts it',
    DEMO_NEW_INCIDENT_EVERY: 'demo workspace only',
    DEMO_SCENARIOS: 'demo workspace only; real mode refuses it',
    PLAYGROUND_PORT: 'the local Agents Playground, demo only',
    PORT: 'App Service sets PORT itself and routes 443 to it',
    BOT_PASSWORD: 'BOT_TYPE=UserAssignedMsi: the managed identity has no client secret',
    SECRET_BOT_PASSWORD: 'same as BOT_PASSWORD',
    AZURE_STORAGE_CONNECTION_STRING:
      'local / Azurite only: on Azure the identity reaches the account by AZURE_STORAGE_ACCOUNT_URL (shared keys are off)',
  };
  /** Set on App Service but read by something other than src/config.ts. */
  const NOT_READ_BY_CONFIG: Record<string, string> = {
    AZURE_CLIENT_ID: '@azure/identity DefaultAzureCredential selects the user-assigned identity by it',
    WEBSITE_RUN_FROM_PACKAGE: 'App Service platform: run the deployed zip read-only',
  };

  it('finds the variables in src/config.ts (guards the parser)', () => {
    expect([...configVariables()]).toEqual(
      expect.arrayContaining([
        'BOT_ID',
        'SENTINEL_WORKSPACE_ID',
        'INCIDENT_WEBHOOK_SECRET',
        'RESPONDERS',
        'DATA_DIR',
      ]),
    );
    expect(configVariables().size).toBeGreaterThan(20);
  });

  it('every real-mode variable the bot reads is an app setting', () => {
    const settings = new Set(appSettingNames(mainBicep));
    const missing = [...configVariables()].filter((v) => !(v in NOT_APP_SETTINGS) && !settings.has(v));
    expect(missing).toEqual([]);
  });

  it('every app setting is a variable the bot (or its Azure SDK) reads', () => {
    const read = configVariables();
    const stray = appSettingNames(mainBicep).filter((s) => !read.has(s) && !(s in NOT_READ_BY_CONFIG));
    expect(stray).toEqual([]);
    expect(new Set(appSettingNames(mainBicep)).size).toBe(appSettingNames(mainBicep).length);
  });

  it('secrets reach the app only as Key Vault references, from @secure parameters', () => {
    for (const name of ['INCIDENT_WEBHOOK_SECRET', 'OPENAI_API_KEY', 'AZURE_OPENAI_API_KEY']) {
      expect(appSettingValue(mainBicep, name)).toContain('${kvRef}');
    }
    expect(mainBicep).toContain("var kvRef = '@Microsoft.KeyVault(VaultName=${keyVault.name};SecretName='");
    const secure = bicepParams(mainBicep)
      .filter((p) => p.secure)
      .map((p) => p.name)
      .sort();
    expect(secure).toEqual(['azureOpenAiApiKey', 'incidentWebhookSecret', 'openAiApiKey']);
  });

  it('the bot runs as the managed identity, single tenant', () => {
    expect(appSettingValue(mainBicep, 'BOT_TYPE')).toBe("'UserAssignedMsi'");
    expect(appSettingValue(mainBicep, 'BOT_ID')).toBe('identity.properties.clientId');
    expect(appSettingValue(mainBicep, 'AZURE_CLIENT_ID')).toBe('identity.properties.clientId');
    const bot = bicepResources(mainBicep).find((r) => r.type === 'Microsoft.BotService/botServices');
    expect(bot?.body).toContain("msaAppType: 'UserAssignedMSI'");
    expect(bot?.body).toContain('msaAppTenantId: identity.properties.tenantId');
    expect(bicepResources(mainBicep).some((r) => r.body.includes("channelName: 'MsTeamsChannel'"))).toBe(
      true,
    );
  });
});

describe('azure.bicep structure (textual: no Bicep compiler offline)', () => {
  it('azure.parameters.json sets only declared parameters and every required one', () => {
    const declared = bicepParams(mainBicep);
    const given = Object.keys(JSON.parse(read(`${INFRA}/azure.parameters.json`)).parameters as object);
    expect(given.filter((g) => !declared.some((d) => d.name === g))).toEqual([]);
    expect(declared.filter((d) => !d.hasDefault && !given.includes(d.name)).map((d) => d.name)).toEqual([]);
  });

  it('Linux Node 20 Web App, HTTPS only, always on, Key Vault references through the identity', () => {
    const site = bicepResources(mainBicep).find((r) => r.type === 'Microsoft.Web/sites');
    expect(site?.body).toContain("linuxFxVersion: 'NODE|20-lts'");
    expect(site?.body).toContain('httpsOnly: true');
    expect(site?.body).toContain('alwaysOn: true');
    expect(site?.body).toContain('keyVaultReferenceIdentity: identity.id');
    const plan = bicepResources(mainBicep).find((r) => r.type === 'Microsoft.Web/serverfarms');
    expect(plan?.body).toContain('reserved: true');
  });

  it('Key Vault is in RBAC mode and the identity is Key Vault Secrets User on it', () => {
    const vault = bicepResources(mainBicep).find((r) => r.type === 'Microsoft.KeyVault/vaults');
    expect(vault?.body).toContain('enableRbacAuthorization: true');
    const grant = bicepResources(mainBicep).find((r) => r.symbol === 'identityReadsSecrets');
    expect(grant?.body).toContain('scope: keyVault');
    expect(mainBicep).toContain("keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'");
  });

  it('only least-privilege roles, each on the narrowest scope', () => {
    const allowed = new Set([
      '3e150937-b8fe-4cfb-8069-0eaf05ecd056', // Microsoft Sentinel Responder
      '73c42c96-874c-492b-b04d-ab87d138a893', // Log Analytics Reader
      '4633458b-17de-408a-b874-0445c86b69e6', // Key Vault Secrets User
      'f4c81013-99ee-4d62-a7ee-b3f1f648599a', // Microsoft Sentinel Automation Contributor (Sentinel's own SP)
      'ba92f5b4-2d11-453d-a403-e96b0029c9fe', // Storage Blob Data Contributor (the state container)
    ]);
    const guids = allBicep.flatMap((t) => [
      ...t.matchAll(/'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'/g),
    ]);
    expect(guids.map((m) => m[1]).filter((g) => !allowed.has(g as string))).toEqual([]);
    expect(allBicep.some((t) => /targetScope\s*=\s*'(subscription|managementGroup|tenant)'/.test(t))).toBe(
      false,
    );

    const assignments = allBicep
      .flatMap(bicepResources)
      .filter((r) => r.type === 'Microsoft.Authorization/roleAssignments');
    expect(
      assignments
        .map((a) => `${a.symbol}: ${/^\s*scope: (\w+)/m.exec(a.body)?.[1] ?? '(resource group)'}`)
        .sort(),
    ).toEqual(
      [
        'botIsLogAnalyticsReader: workspace',
        'botIsSentinelResponder: workspace',
        'identityReadsSecrets: keyVault',
        'identityWritesState: stateContainer',
        'playbookReadsWebhookSecret: webhookSecret',
        'sentinelRunsPlaybooks: (resource group)',
      ].sort(),
    );
  });

  it('workspace roles are granted in the workspace resource group on the existing workspace', () => {
    expect(mainBicep).toMatch(
      /module workspaceAccess '[^']+' = \{[^}]*scope: resourceGroup\(sentinelSubscriptionId, sentinelResourceGroup\)/,
    );
    expect(workspaceBicep).toMatch(
      /resource workspace 'Microsoft\.OperationalInsights\/workspaces@[^']+' existing = \{/,
    );
    expect(workspaceBicep).toContain("sentinelResponderRoleId = '3e150937-b8fe-4cfb-8069-0eaf05ecd056'");
    expect(workspaceBicep).toContain("logAnalyticsReaderRoleId = '73c42c96-874c-492b-b04d-ab87d138a893'");
  });

  it('state lives in Blob Storage reached only with Entra ID, shared by several instances', () => {
    const account = bicepResources(mainBicep).find((r) => r.type === 'Microsoft.Storage/storageAccounts');
    expect(account?.body).toContain('allowSharedKeyAccess: false');
    expect(account?.body).toContain('allowBlobPublicAccess: false');
    expect(account?.body).toContain('isHnsEnabled: false');
    expect(mainBicep).not.toMatch(/listKeys|accessKey|AccountKey/);
    const container = bicepResources(mainBicep).find(
      (r) => r.type === 'Microsoft.Storage/storageAccounts/blobServices/containers',
    );
    expect(container?.body).toContain("publicAccess: 'None'");
    // The container the Bicep creates and grants is the bot's default one.
    expect(mainBicep).toContain("var stateContainerName = 'bot-state'");
    expect(
      loadConfig({ STORAGE: 'azure', AZURE_STORAGE_ACCOUNT_URL: 'https://x.blob.core.windows.net' }).storage,
    ).toMatchObject({ container: 'bot-state' });
    expect(appSettingValue(mainBicep, 'STORAGE')).toBe("'azure'");
    expect(appSettingValue(mainBicep, 'AZURE_STORAGE_ACCOUNT_URL')).toBe(
      'stateStorage.properties.primaryEndpoints.blob',
    );
    expect(appSettingValue(mainBicep, 'AZURE_STORAGE_CONTAINER')).toBe('stateContainerName');
    const grant = bicepResources(mainBicep).find((r) => r.symbol === 'identityWritesState');
    expect(grant?.body).toContain('principalId: identity.properties.principalId');
    const plan = bicepResources(mainBicep).find((r) => r.type === 'Microsoft.Web/serverfarms');
    expect(plan?.body).not.toMatch(/capacity: 1\b/);
    expect(mainBicep).toContain("param instanceCount string = '2'");
  });

  it('the optional playbook posts the incident to /api/incidents with the Key Vault secret as Bearer token', () => {
    expect(mainBicep).toMatch(/module playbook '[^']+' = if \(playbookOn\)/);
    expect(playbookBicep).toContain("path: '/incident-creation'");
    expect(playbookBicep).toContain("uri: 'https://${botDomain}/api/incidents'");
    expect(playbookBicep).toContain(
      "Authorization: 'Bearer @{body(\\'Get_webhook_secret\\')?[\\'value\\']}'",
    );
    expect(playbookBicep).toContain("body: '@triggerBody()'");
    expect(playbookBicep).toContain("type: 'ManagedServiceIdentity'");
    const rule = bicepResources(workspaceBicep).find(
      (r) => r.type === 'Microsoft.SecurityInsights/automationRules',
    );
    expect(rule?.body).toContain("triggersWhen: 'Created'");
    expect(rule?.body).toContain("actionType: 'RunPlaybook'");
    expect(rule?.body).toContain('scope: workspace');
  });

  it('outputs are named after the env variables Teams Toolkit writes', () => {
    expect(bicepOutputs(mainBicep)).toEqual(
      expect.arrayContaining([
        'BOT_AZURE_APP_SERVICE_RESOURCE_ID',
        'BOT_DOMAIN',
        'BOT_ID',
        'BOT_TENANT_ID',
        'BOT_ENDPOINT',
      ]),
    );
  });
});
