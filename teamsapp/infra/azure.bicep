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

// --- Options ('true' / 'false' strings so env files can drive them through azure.parameters.json) ---
@description('Store bot state on an Azure Files share instead of the site\'s /home. Off by default: see the storage section below.')
param deployStateStorage string = 'false'
@description('Deploy the Logic App that posts new Sentinel incidents to /api/incidents, and the automation rule that runs it.')
param deployIncidentPlaybook string = 'false'
@description('Object id of the "Azure Security Insights" service principal in this tenant (app id 98785600-1bb7-4fb9-b9fa-19afe2c8a360). Empty: grant the playbook permission by hand (docs/deployment.md).')
param azureSecurityInsightsPrincipalId string = ''

var stateStorageOn = toLower(deployStateStorage) == 'true'
var playbookOn = toLower(deployIncidentPlaybook) == 'true'
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
var sentinelAutomationContributorRoleId = 'f4c81013-99ee-4d62-a7ee-b3f1f648599a'
var webhookSecretName = 'incident-webhook-secret'
var openAiSecretName = 'openai-api-key'
var azureOpenAiSecretName = 'azure-openai-api-key'
var stateMountPath = '/mnt/botstate'

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

// --- Optional state storage ---
// Off by default: one instance keeps its state (subscriptions, conversation references, outbox) in
// DATA_DIR under /home, which App Service already persists across restarts and redeployments at no
// extra cost. Turn it on to keep state in a storage account you back up and control (it survives
// deleting the site) — and before scaling out, where the file store must be shared by every instance.
resource stateStorage 'Microsoft.Storage/storageAccounts@2023-01-01' = if (stateStorageOn) {
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
  }
}

resource stateShare 'Microsoft.Storage/storageAccounts/fileServices/shares@2023-01-01' = if (stateStorageOn) {
  name: '${stateStorage.name}/default/botstate'
  properties: {
    shareQuota: 5
  }
}

// --- Compute ---
resource plan 'Microsoft.Web/serverfarms@2022-09-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
    // One instance: the poller and the notification outbox assume a single writer (scale up, not out).
    capacity: 1
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
          name: 'DATA_DIR'
          value: stateStorageOn ? stateMountPath : '/home/data'
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
    webhookSecret
    openAiSecret
    azureOpenAiSecret
  ]
}

resource stateMount 'Microsoft.Web/sites/config@2022-09-01' = if (stateStorageOn) {
  parent: webApp
  name: 'azurestorageaccounts'
  properties: {
    botstate: {
      type: 'AzureFiles'
      accountName: stateStorage.name
      shareName: 'botstate'
      mountPath: stateMountPath
      accessKey: stateStorage.listKeys().keys[0].value
    }
  }
  dependsOn: [
    stateShare
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
output INCIDENT_PLAYBOOK_RESOURCE_ID string = playbookOn ? playbook.outputs.resourceId : ''
