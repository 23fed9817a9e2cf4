import { SecurityInsights } from '@azure/arm-securityinsight';
import { createPipelineRequest, type PipelinePolicy } from '@azure/core-rest-pipeline';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { LogsQueryClient } from '@azure/monitor-query-logs';
import { DEMO_WORKSPACE } from '../../src/config';
import type { DemoWorkspace } from '../../src/demo/server';
import { ARM_BASE } from './demoHttp';

/** The real SDK clients, pointed at the demo over plain http the way FACTS.md describes. */
const credential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({
    token: 'demo-token',
    expiresOnTimestamp: Date.now() + 3600_000,
  }),
};
const demoAuth: PipelinePolicy = {
  name: 'testDemoAuth',
  sendRequest: (request, next) => {
    request.headers.set('authorization', 'Bearer demo-token');
    request.allowInsecureConnection = true;
    return next(request);
  },
};

export interface DemoSdkClients {
  sentinel: SecurityInsights;
  logs: LogsQueryClient;
  /** Incident tasks, which the SDK lacks, through the same client pipeline (GET .../tasks). */
  listTaskTitles(incidentName: string): Promise<{ title: string; status: string }[]>;
}

export function demoSdkClients(ws: DemoWorkspace): DemoSdkClients {
  const sentinel = new SecurityInsights(credential, DEMO_WORKSPACE.subscriptionId, {
    endpoint: ws.url,
    apiVersion: '2024-09-01',
    allowInsecureConnection: true,
  });
  sentinel.pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
  sentinel.pipeline.addPolicy(demoAuth);
  const logs = new LogsQueryClient(credential, { endpoint: `${ws.url}/v1`, allowInsecureConnection: true });
  logs.pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
  logs.pipeline.addPolicy(demoAuth);
  return {
    sentinel,
    logs,
    listTaskTitles: async (incidentName) => {
      const res = await sentinel.sendRequest(
        createPipelineRequest({
          url: `${ws.url}${ARM_BASE}/incidents/${incidentName}/tasks?api-version=2024-09-01`,
          method: 'GET',
          allowInsecureConnection: true,
        }),
      );
      const body = JSON.parse(res.bodyAsText ?? '{}') as {
        value?: { properties: { title: string; status: string } }[];
      };
      return (body.value ?? []).map((t) => ({ title: t.properties.title, status: t.properties.status }));
    },
  };
}
