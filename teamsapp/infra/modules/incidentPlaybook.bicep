// Logic App (Consumption) that Sentinel runs for every new incident: it reads the webhook secret from
// Key Vault with its own managed identity and POSTs the incident trigger body to the bot's
// /api/incidents with `Authorization: Bearer <secret>`. Both HTTP actions mark their data secure so the
// secret never appears in run history.

param name string
param location string

@description('Host name of the bot\'s Web App, e.g. sentinel-bot.azurewebsites.net.')
param botDomain string

param keyVaultName string
param webhookSecretName string

var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource sentinelConnection 'Microsoft.Web/connections@2016-06-01' = {
  name: '${name}-sentinel'
  location: location
  kind: 'V1'
  properties: {
    displayName: '${name} (Microsoft Sentinel, managed identity)'
    api: {
      id: subscriptionResourceId('Microsoft.Web/locations/managedApis', location, 'azuresentinel')
    }
    parameterValueType: 'Alternative'
  }
}

resource workflow 'Microsoft.Logic/workflows@2019-05-01' = {
  name: name
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    state: 'Enabled'
    definition: {
      '$schema': 'https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#'
      contentVersion: '1.0.0.0'
      parameters: {
        '$connections': {
          type: 'Object'
          defaultValue: {}
        }
      }
      triggers: {
        Microsoft_Sentinel_incident: {
          type: 'ApiConnectionWebhook'
          inputs: {
            host: {
              connection: {
                name: '@parameters(\'$connections\')[\'azuresentinel\'][\'connectionId\']'
              }
            }
            body: {
              callback_url: '@{listCallbackUrl()}'
            }
            path: '/incident-creation'
          }
        }
      }
      actions: {
        Get_webhook_secret: {
          type: 'Http'
          runAfter: {}
          inputs: {
            method: 'GET'
            uri: 'https://${keyVaultName}${environment().suffixes.keyvaultDns}/secrets/${webhookSecretName}?api-version=7.4'
            authentication: {
              type: 'ManagedServiceIdentity'
              audience: 'https://vault.azure.net'
            }
          }
          runtimeConfiguration: {
            secureData: {
              properties: [
                'inputs'
                'outputs'
              ]
            }
          }
        }
        Post_incident_to_bot: {
          type: 'Http'
          runAfter: {
            Get_webhook_secret: [
              'Succeeded'
            ]
          }
          inputs: {
            method: 'POST'
            uri: 'https://${botDomain}/api/incidents'
            headers: {
              'Content-Type': 'application/json'
              Authorization: 'Bearer @{body(\'Get_webhook_secret\')?[\'value\']}'
            }
            body: '@triggerBody()'
          }
          runtimeConfiguration: {
            secureData: {
              properties: [
                'inputs'
              ]
            }
          }
        }
      }
    }
    parameters: {
      '$connections': {
        value: {
          azuresentinel: {
            connectionId: sentinelConnection.id
            connectionName: sentinelConnection.name
            id: sentinelConnection.properties.api.id
            connectionProperties: {
              authentication: {
                type: 'ManagedServiceIdentity'
              }
            }
          }
        }
      }
    }
  }
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource webhookSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {
  parent: keyVault
  name: webhookSecretName
}

// Scoped to the one secret: the playbook must not read the model keys.
resource playbookReadsWebhookSecret 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(webhookSecret.id, workflow.id, keyVaultSecretsUserRoleId)
  scope: webhookSecret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: workflow.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

output resourceId string = workflow.id
