import { DemoHttpError } from './requestIo';
import type { DemoStore } from './store';

/*
 * The ARM checks every Sentinel request passes before routing: api-version and the workspace path.
 */

/** 2024-09-01 is what the bot asks for; 2022-09-01-preview is the SDK's default. */
export const SUPPORTED_API_VERSIONS = ['2024-09-01', '2022-09-01-preview'] as const;

export function notFound(message: string, code = 'NotFound'): DemoHttpError {
  return new DemoHttpError(404, code, message);
}

export function checkApiVersion(url: URL): void {
  const version = url.searchParams.get('api-version');
  if (version === null || version.trim() === '') {
    throw new DemoHttpError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  if (!(SUPPORTED_API_VERSIONS as readonly string[]).includes(version)) {
    throw new DemoHttpError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${version}' is invalid. The supported versions are '${SUPPORTED_API_VERSIONS.join(',')}'.`,
    );
  }
}

/** Checks the path down to the workspace and returns the segments after Microsoft.SecurityInsights. */
export function workspaceScoped(segments: string[], store: DemoStore): string[] {
  const ws = store.workspace;
  const lower = segments.map((s) => s.toLowerCase());
  const [sub, rg, ws0] = [segments[1] ?? '', segments[3] ?? '', segments[7] ?? ''];
  if (lower[0] !== 'subscriptions' || segments.length < 2) throw notFound('No route matches this path.');
  if (sub.toLowerCase() !== ws.subscriptionId.toLowerCase()) {
    throw notFound(`The subscription '${sub}' could not be found.`, 'SubscriptionNotFound');
  }
  if (lower[2] !== 'resourcegroups' || segments.length < 4) throw notFound('No route matches this path.');
  if (rg.toLowerCase() !== ws.resourceGroup.toLowerCase()) {
    throw notFound(`Resource group '${rg}' could not be found.`, 'ResourceGroupNotFound');
  }
  if (
    lower[4] !== 'providers' ||
    lower[5] !== 'microsoft.operationalinsights' ||
    lower[6] !== 'workspaces' ||
    segments.length < 8
  ) {
    throw notFound('No route matches this path.');
  }
  if (ws0.toLowerCase() !== ws.workspaceName.toLowerCase()) {
    throw notFound(
      `The Resource 'Microsoft.OperationalInsights/workspaces/${ws0}' under resource group '${rg}' was not found.`,
      'ResourceNotFound',
    );
  }
  if (lower[8] !== 'providers' || lower[9] !== 'microsoft.securityinsights')
    throw notFound('No route matches this path.');
  return segments.slice(10);
}
