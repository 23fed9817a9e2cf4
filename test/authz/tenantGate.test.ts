import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../adaptive-cards/verbs';
import { createAdapter } from '../../src/bot/adapter';
import { createApp } from '../../src/bot/app';
import { BOT_FEATURES, createGateway } from '../../src/bot/compose';
import type { BotDeps } from '../../src/bot/deps';
import { createResponderAuthorizer } from '../../src/authz/responders';
import { IncidentContext } from '../../src/bot/incidentContext';
import { startServer, type RunningServer } from '../../src/bot/server';
import { loadConfig, type AppConfig } from '../../src/config';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/server';
import { subscriptionStoreFor } from '../../src/notifications';
import { FileStorage } from '../../src/storage/fileStorage';
import {
  postActivity,
  startFakeTeams,
  TENANT_ID,
  type FakeTeams,
  type TeamsActivity,
} from '../support/teams';

const OTHER_TENANT = 'aaaaaaaa-0000-4000-8000-0000000000aa';
const REFUSAL = "only serves its own organisation's tenant";

/**
 * BOT_TENANT_ID needs BOT_ID, which turns on Bot Connector JWT checks this test cannot sign; so the app
 * sees a config with the bot identity while the adapter is built without it (inbound auth off).
 */
describe('BOT_TENANT_ID applies to every activity, not only card writes', () => {
  let demo: DemoWorkspace;
  let teams: FakeTeams;
  let server: RunningServer;
  let deps: BotDeps;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'tenant-gate-'));
    demo = await startDemoWorkspace({ port: 0 });
    const config: AppConfig = {
      ...loadConfig({ LOG_LEVEL: 'warn', DATA_DIR: dataDir, DEMO_PORT: String(demo.port) }, 'test'),
      port: 0,
    };
    const storage = new FileStorage(config.dataDir);
    const tenantConfig: AppConfig = {
      ...config,
      bot: { appId: '00000000-0000-4000-8000-00000000b07b', type: 'SingleTenant', tenantId: TENANT_ID },
    };
    deps = {
      config: tenantConfig,
      sentinel: createGateway(config),
      storage,
      incidentContext: new IncidentContext(storage),
      authorizer: createResponderAuthorizer(tenantConfig),
    };
    teams = await startFakeTeams();
    const adapter = createAdapter(config);
    const app = createApp(deps, adapter, { features: BOT_FEATURES });
    server = await startServer({ config, adapter, app, gateway: deps.sentinel });
  });
  afterAll(async () => {
    await server?.close();
    await teams?.close();
    await demo?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const say = async (activity: TeamsActivity) => {
    const result = await postActivity(server.url, activity);
    return { ...result, replies: teams.activities.filter((a) => a.replyToId === activity.id) };
  };

  it('the home tenant still gets the open incidents', async () => {
    const { replies } = await say(teams.message('incidents', { tenantId: TENANT_ID }));
    expect(JSON.stringify(replies.map((r) => r.activity.attachments))).toContain('Open incidents');
  });

  it('another tenant cannot list incidents', async () => {
    const { replies } = await say(teams.message('incidents', { tenantId: OTHER_TENANT }));
    expect(replies.map((r) => r.activity.text).join(' ')).toContain(REFUSAL);
    expect(replies.some((r) => r.activity.attachments !== undefined)).toBe(false);
  });

  it('another tenant cannot open an incident card with a button', async () => {
    const { body } = await postActivity(
      server.url,
      teams.invoke(
        VERBS.selectIncident,
        { verb: VERBS.selectIncident, incidentNumber: 1 },
        { tenantId: OTHER_TENANT },
      ),
    );
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(JSON.stringify(body)).toContain(REFUSAL);
  });

  it('another tenant cannot subscribe a chat of theirs to new incidents', async () => {
    const { replies } = await say(
      teams.message('subscribe low', { tenantId: OTHER_TENANT, conversationType: 'groupChat' }),
    );
    expect(replies.map((r) => r.activity.text).join(' ')).toContain(REFUSAL);
    expect(await subscriptionStoreFor(deps.storage).list()).toHaveLength(0);
  });

  it('an activity that names no tenant is refused', async () => {
    const activity = teams.message('incident 1', { tenantId: TENANT_ID });
    const stripped = {
      ...activity,
      conversation: { ...activity.conversation, tenantId: undefined },
      channelData: {},
    } as TeamsActivity;
    const { replies } = await say(stripped);
    expect(replies.map((r) => r.activity.text).join(' ')).toContain(REFUSAL);
    expect(replies.some((r) => r.activity.attachments !== undefined)).toBe(false);
  });
});
