import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VERBS } from '../../adaptive-cards/verbs';
import { createGateway } from '../../src/bot/compose';
import { loadConfig } from '../../src/config';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/server';
import type { Incident } from '../../src/domain/types';
import type { SentinelGateway } from '../../src/sentinel/gateway';
import { DEFAULT_USER } from '../support/teams';
import {
  cardTexts,
  invokeCard,
  startCardActionsHarness,
  type CardActionsHarness,
} from './cardActionsHarness';

const SAM = { objectId: '5a110000-0000-4000-8000-0000000005a1', assignedTo: 'Sam Okafor' };

/** The demo gateway, with a hook that changes the incident in the store just before the bot's write. */
function racingGateway(
  inner: SentinelGateway,
  beforeUpdate: { once?: (incident: Incident) => void },
): SentinelGateway {
  return {
    listIncidents: (o) => inner.listIncidents(o),
    getIncidentByNumber: (n) => inner.getIncidentByNumber(n),
    getIncident: (n) => inner.getIncident(n),
    listAlerts: (n) => inner.listAlerts(n),
    listEntities: (n) => inner.listEntities(n),
    listComments: (n) => inner.listComments(n),
    createComment: (n, id, m) => inner.createComment(n, id, m),
    listTasks: (n) => inner.listTasks(n),
    upsertTask: (n, id, task) => inner.upsertTask(n, id, task),
    runQuery: (q, o) => inner.runQuery(q, o),
    ping: () => inner.ping(),
    async updateIncident(incident, update) {
      const hook = beforeUpdate.once;
      beforeUpdate.once = undefined;
      hook?.(incident);
      return inner.updateIncident(incident, update);
    },
  };
}

describe('etag conflicts between reading the incident and writing it', () => {
  let demo: DemoWorkspace;
  let t: CardActionsHarness;
  const race: { once?: (incident: Incident) => void } = {};
  const stored = (n: number) => {
    const i = demo.store.getByNumber(n);
    if (!i) throw new Error(`no incident #${n}`);
    return i;
  };

  beforeAll(async () => {
    demo = await startDemoWorkspace({ port: 0 });
    const gateway = createGateway(loadConfig({ DEMO_PORT: String(demo.port) }));
    t = await startCardActionsHarness({ gateway: racingGateway(gateway, race) });
  });
  afterAll(async () => {
    await t.close();
    await demo.close();
  });
  beforeEach(() => {
    race.once = undefined;
  });

  it('an unrelated change (severity) is kept and the assignment re-applied once', async () => {
    race.once = (incident) => demo.store.updateIncident(incident.name, { severity: 'Low' });
    const { body } = await t.click(VERBS.assignToMe, 1, 'card-1');
    expect(cardTexts(invokeCard(body))).toContain('Assigned to Alex Analyst');
    expect(stored(1).owner.objectId).toBe(DEFAULT_USER.aadObjectId);
    expect(stored(1).severity).toBe('Low');
  });

  it('someone else took the incident meanwhile: not overwritten, the user is told who and when', async () => {
    race.once = (incident) => demo.store.updateIncident(incident.name, { owner: SAM });
    const { body } = await t.click(VERBS.assignToMe, 2, 'card-2');
    const text = cardTexts(invokeCard(body));
    expect(text).toMatch(/Sam Okafor took incident #2 at \d\d:\d\d UTC/);
    expect(stored(2).owner.objectId).toBe(SAM.objectId);
    // The card shows the owner Sentinel has now.
    expect(text).toContain('Sam Okafor');
  });

  it('a status changed by someone else is reported, not overwritten', async () => {
    race.once = (incident) =>
      demo.store.updateIncident(incident.name, { status: 'Closed', classification: 'BenignPositive' });
    const { body } = await t.click(VERBS.setStatus, 4, 'card-4', { data: { status: 'Active' } });
    expect(cardTexts(invokeCard(body))).toMatch(/someone set incident #4 to Closed at \d\d:\d\d UTC/);
    expect(stored(4).status).toBe('Closed');
  });

  it('the same change made by someone else counts as done', async () => {
    race.once = (incident) => demo.store.updateIncident(incident.name, { status: 'Active' });
    const { body } = await t.click(VERBS.setStatus, 6, 'card-6', { data: { status: 'Active' } });
    expect(cardTexts(invokeCard(body))).toContain('already Active; nothing changed');
    expect(stored(6).status).toBe('Active');
  });
});
