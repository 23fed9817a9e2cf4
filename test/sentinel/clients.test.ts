import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TokenCredential } from '@azure/identity';
import { AzureSentinelGateway } from '../../src/sentinel/azureGateway';
import { createSentinelClients } from '../../src/sentinel/clients';
import {
  contractBody,
  demoConfigFor,
  gatewayFor,
  startFakeArm,
  TEST_WORKSPACE,
  type FakeArm,
} from './fakeArm';

const fakeCredential: TokenCredential = {
  getToken: () => Promise.resolve({ token: 'real-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

let fake: FakeArm;
beforeAll(async () => {
  fake = await startFakeArm();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.route = () => ({ body: contractBody('GetIncidents.json') });
});

describe('createSentinelClients', () => {
  it('demo mode talks plain http with the demo token and api-version 2024-09-01', async () => {
    await gatewayFor(fake).listIncidents({ top: 1 });
    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req.headers.authorization).toBe('Bearer demo-token');
    expect(req.query.get('api-version')).toBe('2024-09-01');
    expect(req.path).toMatch(/\/providers\/Microsoft\.SecurityInsights\/incidents$/);
  });

  it('demo mode sends the demo token to the logs endpoint too', async () => {
    fake.route = () => ({ body: { tables: [] } });
    await gatewayFor(fake).runQuery('print 1');
    expect(fake.requests[0].path).toBe(`/v1/workspaces/${TEST_WORKSPACE.workspaceId}/query`);
    expect(fake.requests[0].headers.authorization).toBe('Bearer demo-token');
  });

  it('real mode refuses a plain-http ARM endpoint before anything is sent', async () => {
    const config = { ...demoConfigFor(fake.url), mode: 'real' as const };
    const gateway = new AzureSentinelGateway(createSentinelClients(config, fakeCredential), config.workspace);
    await expect(gateway.listIncidents()).rejects.toThrow(/non-TLS|non-https|allowInsecureConnection/);
    await expect(gateway.runQuery('print 1')).rejects.toThrow(/non-TLS|non-https|allowInsecureConnection/);
    await expect(gateway.listTasks('x')).rejects.toThrow(/non-TLS|non-https|allowInsecureConnection/);
    expect(fake.requests).toHaveLength(0);
  });

  it('real mode keeps the bearer token policy on both pipelines', () => {
    const config = { ...demoConfigFor('https://management.azure.com'), mode: 'real' as const };
    const clients = createSentinelClients(config, fakeCredential);
    for (const pipeline of [clients.securityInsights.pipeline, clients.logs.pipeline]) {
      const names = pipeline.getOrderedPolicies().map((p) => p.name);
      expect(names).toContain('bearerTokenAuthenticationPolicy');
      expect(names).not.toContain('sentinelDemoAuthPolicy');
    }
  });

  it('trims a trailing slash from the ARM endpoint', async () => {
    const config = demoConfigFor(`${fake.url}/`);
    const clients = createSentinelClients(config);
    expect(clients.armEndpoint).toBe(fake.url);
    fake.route = () => ({ body: { value: [] } });
    await new AzureSentinelGateway(clients, config.workspace).listTasks('inc-1');
    expect(fake.requests[0].path).not.toContain('//');
  });
});
