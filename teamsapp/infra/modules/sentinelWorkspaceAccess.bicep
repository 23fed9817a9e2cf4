// Deployed at the Sentinel workspace's resource group (which may differ from the bot's).
// Grants the bot's managed identity exactly what it needs ON THE WORKSPACE, nothing at RG or subscription scope:
//   - Microsoft Sentinel Responder: read incidents, alerts and entities; assign, comment, change status and tasks.
//   - Log Analytics Reader: run KQL hunts through the query API.

param workspaceName string

@description('Object (principal) id of the bot\'s user-assigned managed identity.')
param botPrincipalId string

@description('Resource id of the incident playbook (Logic App); empty when none is deployed.')
param playbookResourceId string = ''

@description('Create the automation rule that runs the playbook for every new incident.')
param createAutomationRule bool = false

var sentinelResponderRoleId = '3e150937-b8fe-4cfb-8069-0eaf05ecd056'
var logAnalyticsReaderRoleId = '73c42c96-874c-492b-b04d-ab87d138a893'

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' existing = {
  name: workspaceName
}

resource botIsSentinelResponder 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace.id, botPrincipalId, sentinelResponderRoleId)
  scope: workspace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', sentinelResponderRoleId)
    principalId: botPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource botIsLogAnalyticsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace.id, botPrincipalId, logAnalyticsReaderRoleId)
  scope: workspace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', logAnalyticsReaderRoleId)
    principalId: botPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Runs the playbook for every incident as it is created; the last rule in order so triage rules that
// close or relabel incidents run first.
resource notifyTeamsBot 'Microsoft.SecurityInsights/automationRules@2024-09-01' = if (createAutomationRule && !empty(playbookResourceId)) {
  name: guid(workspace.id, 'sentinel-teams-bot-new-incident')
  scope: workspace
  properties: {
    displayName: 'Post new incidents to the Sentinel Teams bot'
    order: 1000
    triggeringLogic: {
      isEnabled: true
      triggersOn: 'Incidents'
      triggersWhen: 'Created'
      conditions: []
    }
    actions: [
      {
        order: 1
        actionType: 'RunPlaybook'
        actionConfiguration: {
          logicAppResourceId: playbookResourceId
          tenantId: subscription().tenantId
        }
      }
    ]
  }
}
