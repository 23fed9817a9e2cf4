import type { WorkspaceRef } from '../config';

export function workspaceResourceId(ws: WorkspaceRef): string {
  return `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${ws.workspaceName}`;
}

export function securityInsightsBase(ws: WorkspaceRef): string {
  return `${workspaceResourceId(ws)}/providers/Microsoft.SecurityInsights`;
}

export function incidentResourceId(ws: WorkspaceRef, incidentName: string): string {
  return `${securityInsightsBase(ws)}/incidents/${incidentName}`;
}

export function analyticRuleId(ws: WorkspaceRef, ruleName: string): string {
  return `${securityInsightsBase(ws)}/alertRules/${ruleName}`;
}

/** The Azure portal deep link Sentinel puts in incidentUrl. */
export function incidentPortalUrl(ws: WorkspaceRef, incidentName: string): string {
  return `https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident${incidentResourceId(ws, incidentName)}`;
}
