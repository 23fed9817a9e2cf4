// Azure resources for the Sentinel Teams bot, deployed by `teamsapp provision --env dev` (arm/deploy).
// Outputs are written back to env/.env.<env> under the same names (BOT_ID, BOT_DOMAIN, ...).
//
// Identity model: ONE user-assigned managed identity is both the bot's Microsoft App ID (Azure Bot
// msaAppType UserAssignedMSI, so no client secret exists to leak or rotate) and the credential the bot
// uses for Sentinel and Log Analytics (DefaultAzureCredential picks it through AZURE_CLIENT_ID).

@maxLength(20)
@minLength(4)
@description('Prefix for every resource name; keep it unique (Teams Toolkit appends RESOURCE_SUFFIX).')
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan SKU. B1 is the cheapest tier with Always On, which the poller and proactive messages need.')
param webAppSku string = 'B1'

@maxLength(42)
param botDisplayName string = 'Sentinel'

@description('F0 is free; Teams is a standard channel, so messages cost nothing on either tier.')
param botServiceSku string = 'F0'

// --- The Sentinel workspace the bot works on (may live in another resource group or subscription) ---
param sentinelSubscriptionId string
param sentinelResourceGroup string
param sentinelWorkspaceName string
@description('Log Analytics workspace GUID (Workspace ID on the overview page), used by the query API.')
param sentinelWorkspaceId string
@description('Log Analytics query endpoint including /v1; change only for sovereign clouds.')
param logAnalyticsEndpoint string = 'https://api.loganalytics.io/v1'

// --- Who may change incidents (see docs/deployment.md) ---
@description('Comma-separated UPNs or AAD object ids allowed to assign, comment on and close incidents.')
param responders string = ''
@description('Object id of an Entra group whose members are responders.')
param responderGroupId string = ''

// --- Model (optional: without one the bot still works, the built-in analyst answers) ---
param openAiModel string = ''
param openAiBaseUrl string = ''
@secure()
param openAiApiKey string = ''
param azureOpenAiEndpoint string = ''
param azureOpenAiDeployment string = ''
param azureOpenAiApiVersion string = ''
@secure()
@description('Leave empty to call Azure OpenAI with the managed identity (grant it Cognitive Services OpenAI User).')
param azureOpenAiApiKey string = ''

// --- Notifications ---
@secure()
@description('Shared secret the incident playbook presents as a Bearer token (>= 24 chars). Empty: no webhook, the bot polls.')
param incidentWebhookSecret string = ''
param pollIntervalSeconds string = '60'
param digestThreshold string = ''

// --- Tuning (empty = the bot's default) ---
param logLevel string = 'info'
param modelTimeoutSeconds string = ''
param promptTokenBudget string = ''
param kqlRowCap string = ''
param kqlTimeoutSeconds string = ''
param userMessagesPerMinute string = ''

// --- Scale ---
@description('App Service instances (a string so env files can drive it). State is shared in Azure Storage; see the note on the plan below.')
param instanceCount string = '2'

// --- Options ('true' / 'false' strings so env files can drive them through azure.parameters.json) ---
@description('Deploy the Logic App that posts new Sentinel incidents to /api/incidents, and the automation rule that runs it.')
param deployIncidentPlaybook string = 'false'
@description('Object id of the "Azure Security Insights" service principal in this tenant (app id 98785600-1bb7-4fb9-b9fa-19afe2c8a360). Empty: grant the playbook permission by hand (docs/deployment.md).')
param azureSecurityInsightsPrincipalId string = ''

var playbookOn = toLower(deployIncidentPlaybook) == 'true'
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
var sentinelAutomationContributorRoleId = 'f4c81013-99ee-4d62-a7ee-b3f1f648599a'
var webhookSecretName = 'incident-webhook-secret'
var openAiSecretName = 'openai-api-key'
var azureOpenAiSecretName = 'azure-openai-api-key'
var storageBlobDataContributorRoleId = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var stateContainerName = 'bot-state'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-id'
  location: location
}

// --- Secrets: Key Vault in RBAC mode; the Web App reads them through Key Vault references ---
resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: '${resourceBaseName}-kv'
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource webhookSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(incidentWebhookSecret)) {
  parent: keyVault
  name: webhookSecretName
  properties: {
    value: incidentWebhookSecret
  }
}

resource openAiSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(openAiApiKey)) {
  parent: keyVault
  name: openAiSecretName
  properties: {
    value: openAiApiKey
  }
}

resource azureOpenAiSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(azureOpenAiApiKey)) {
  parent: keyVault
  name: azureOpenAiSecretName
  properties: {
    value: azureOpenAiApiKey
  }
}

// The vault holds only this bot's secrets, so the vault is the narrowest useful scope for the bot.
resource identityReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, identity.id, keyVaultSecretsUserRoleId)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Unversioned references: after a secret rotation the Web App picks up the new version within 24 h,
// or at once on restart.
var kvRef = '@Microsoft.KeyVault(VaultName=${keyVault.name};SecretName='

// --- State storage: every instance's durable state (STORAGE=azure) ---
// Blob Storage, reached only with Entra ID: shared-key access is off, so no account key exists to leak,
// and the bot's identity is Storage Blob Data Contributor on its one container (not the account). A
// flat namespace (no hierarchical namespace): the bot's blob names are flat, up to 1,024 characters.
// Soft delete keeps deleted or overwritten-by-delete records recoverable for 7 days.
resource stateStorage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: take('${toLower(replace(resourceBaseName, '-', ''))}state', 24)
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    isHnsEnabled: false
    accessTier: 'Hot'
  }
}

resource stateBlobService 'Microsoft.Storage/storageAccounts/blobServices@2023-01-01' = {
  parent: stateStorage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource stateContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-01-01' = {
  parent: stateBlobService
  name: stateContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource identityWritesState 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(stateContainer.id, identity.id, storageBlobDataContributorRoleId)
  scope: stateContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributorRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// --- Compute ---
resource plan 'Microsoft.Web/serverfarms@2022-09-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
    // Several instances share their state in Azure Storage (above) and the Bot Service sends any activity
    // to any of them. NOTE (issue #14, until its step 2 lands): the poller, the notification outbox,
    // card-button jobs and Teams rate limits are not yet coordinated across instances, so more than one
    // instance can post a card or run a card action twice. Deploy with INSTANCE_COUNT=1 until then
    // (docs/deployment.md, "Several instances and their state").
    capacity: int(empty(instanceCount) ? '2' : instanceCount)
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2022-09-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references resolve with this identity (the site has no system-assigned one).
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      alwaysOn: true
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
      appCommandLine: 'node dist/src/index.js'
      appSettings: [
        // Platform setting (not read by the bot): run the zip that `teamsapp deploy` uploads as-is.
        {
          name: 'WEBSITE_RUN_FROM_PACKAGE'
          value: '1'
        }
        // Read by @azure/identity (DefaultAzureCredential → ManagedIdentityCredential), not by src/config.ts.
        {
          name: 'AZURE_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'BOT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'BOT_TENANT_ID'
          value: identity.properties.tenantId
        }
        {
          name: 'BOT_TYPE'
          value: 'UserAssignedMsi'
        }
        {
          name: 'SENTINEL_SUBSCRIPTION_ID'
          value: sentinelSubscriptionId
        }
        {
          name: 'SENTINEL_RESOURCE_GROUP'
          value: sentinelResourceGroup
        }
        {
          name: 'SENTINEL_WORKSPACE_NAME'
          value: sentinelWorkspaceName
        }
        {
          name: 'SENTINEL_WORKSPACE_ID'
          value: sentinelWorkspaceId
        }
        {
          name: 'SENTINEL_ARM_ENDPOINT'
          value: environment().resourceManager
        }
        {
          name: 'LOG_ANALYTICS_ENDPOINT'
          value: logAnalyticsEndpoint
        }
        {
          name: 'RESPONDERS'
          value: responders
        }
        {
          name: 'RESPONDER_GROUP_ID'
          value: responderGroupId
        }
        {
          name: 'OPENAI_MODEL'
          value: openAiModel
        }
        {
          name: 'OPENAI_BASE_URL'
          value: openAiBaseUrl
        }
        {
          name: 'OPENAI_API_KEY'
          value: empty(openAiApiKey) ? '' : '${kvRef}${openAiSecretName})'
        }
        {
          name: 'AZURE_OPENAI_ENDPOINT'
          value: azureOpenAiEndpoint
        }
        {
          name: 'AZURE_OPENAI_DEPLOYMENT'
          value: azureOpenAiDeployment
        }
        {
          name: 'AZURE_OPENAI_API_VERSION'
          value: azureOpenAiApiVersion
        }
        {
          name: 'AZURE_OPENAI_API_KEY'
          value: empty(azureOpenAiApiKey) ? '' : '${kvRef}${azureOpenAiSecretName})'
        }
        {
          name: 'INCIDENT_WEBHOOK_SECRET'
          value: empty(incidentWebhookSecret) ? '' : '${kvRef}${webhookSecretName})'
        }
        {
          name: 'POLL_INTERVAL_SECONDS'
          value: pollIntervalSeconds
        }
        {
          name: 'DIGEST_THRESHOLD'
          value: digestThreshold
        }
        {
          name: 'STORAGE'
          value: 'azure'
        }
        {
          name: 'AZURE_STORAGE_ACCOUNT_URL'
          value: stateStorage.properties.primaryEndpoints.blob
        }
        {
          name: 'AZURE_STORAGE_CONTAINER'
          value: stateContainerName
        }
        // Not where state lives (STORAGE=azure); the source for `migrate-storage` from a file deployment.
        {
          name: 'DATA_DIR'
          value: '/home/data'
        }
        {
          name: 'LOG_LEVEL'
          value: logLevel
        }
        {
          name: 'MODEL_TIMEOUT_SECONDS'
          value: modelTimeoutSeconds
        }
        {
          name: 'PROMPT_TOKEN_BUDGET'
          value: promptTokenBudget
        }
        {
          name: 'KQL_ROW_CAP'
          value: kqlRowCap
        }
        {
          name: 'KQL_TIMEOUT_SECONDS'
          value: kqlTimeoutSeconds
        }
        {
          name: 'USER_MESSAGES_PER_MINUTE'
          value: userMessagesPerMinute
        }
      ]
    }
  }
  dependsOn: [
    identityReadsSecrets
    identityWritesState
    webhookSecret
    openAiSecret
    azureOpenAiSecret
  ]
}

// --- Bot registration: single tenant, the managed identity is the app id ---
resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
    msaAppType: 'UserAssignedMSI'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// --- Optional: playbook that pushes new incidents to the bot (polling still catches up if it fails) ---
module playbook 'modules/incidentPlaybook.bicep' = if (playbookOn) {
  name: 'incident-playbook'
  params: {
    name: '${resourceBaseName}-incident-to-teams'
    location: location
    botDomain: webApp.properties.defaultHostName
    keyVaultName: keyVault.name
    webhookSecretName: webhookSecretName
  }
  dependsOn: [
    webhookSecret
  ]
}

// Sentinel runs playbooks as its own service principal, which needs this role on the playbook's
// resource group; without it the automation rule cannot be saved.
resource sentinelRunsPlaybooks 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (playbookOn && !empty(azureSecurityInsightsPrincipalId)) {
  name: guid(resourceGroup().id, azureSecurityInsightsPrincipalId, sentinelAutomationContributorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', sentinelAutomationContributorRoleId)
    principalId: azureSecurityInsightsPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// --- Least-privilege access on the workspace (deployed in the workspace's own resource group) ---
module workspaceAccess 'modules/sentinelWorkspaceAccess.bicep' = {
  name: 'sentinel-workspace-access'
  scope: resourceGroup(sentinelSubscriptionId, sentinelResourceGroup)
  params: {
    workspaceName: sentinelWorkspaceName
    botPrincipalId: identity.properties.principalId
    playbookResourceId: playbookOn ? playbook.outputs.resourceId : ''
    createAutomationRule: playbookOn && !empty(azureSecurityInsightsPrincipalId)
  }
  dependsOn: [
    sentinelRunsPlaybooks
  ]
}

output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_MANAGED_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
output KEY_VAULT_NAME string = keyVault.name
output AZURE_STORAGE_ACCOUNT_URL string = stateStorage.properties.primaryEndpoints.blob
output INCIDENT_PLAYBOOK_RESOURCE_ID string = playbookOn ? playbook.outputs.resourceId : ''
