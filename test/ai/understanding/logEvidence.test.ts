import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncidentDataCache } from '../../../src/ai/incidentData';
import { gatherLogEvidence } from '../../../src/ai/understanding';
import { describeEntity, orgDomainsOf } from '../../../src/ai/understanding/subjects';
import { createGateway } from '../../../src/bot/compose';
import { loadConfig } from '../../../src/config';
import { startDemoWorkspace, type DemoWorkspace } from '../../../src/demo/server';
import type { Entity, Incident } from '../../../src/domain/types';
import { SentinelError } from '../../../src/sentinel/errors';
import { FakeGateway, makeIncident } from '../../support/fakeGateway';
import { ip } from './fixtures';

const subjectsOf = (entities: Entity[]) => entities.map((e) => describeEntity(e, orgDomainsOf(entities)));
const incident = (): Incident =>
  makeIncident(5, {
    firstActivityTimeUtc: '2026-11-02T10:00:00Z',
    lastActivityTimeUtc: '2026-11-02T11:00:00Z',
  });

describe('log evidence over the demo workspace (the real gateway and KQL API)', () => {
  let demo: DemoWorkspace;
  beforeAll(async () => {
    demo = await startDemoWorkspace({ port: 0 });
  });
  afterAll(async () => {
    await demo.close();
  });

  it('runs validated queries and reads who failed and who succeeded from the spray address', async () => {
    const gateway = createGateway(loadConfig({ DEMO_PORT: String(demo.port), LOG_LEVEL: 'silent' }));
    const data = await new IncidentDataCache(gateway).getByNumber(1);
    if (!data) throw new Error('demo incident 1 missing');
    const evidence = await gatherLogEvidence(gateway, data.incident, subjectsOf(data.entities));
    expect(evidence.status.failed).toEqual([]);
    expect(evidence.status.ran).toContain('sign-ins from the incident addresses');
    const fromTor = evidence.signins.filter((r) => r.ip === '185.220.101.45');
    expect(fromTor.filter((r) => r.failures > 0)).toHaveLength(8);
    expect(fromTor.filter((r) => r.successes > 0).map((r) => r.user)).toEqual(['adele.vance@contoso.com']);
  });
});

describe('log evidence bounds and failures', () => {
  it('entity values reach KQL only as escaped literals, and every query is bounded by take', async () => {
    const g = new FakeGateway();
    const hostile = ip('evil', '1.2.3.4" | take 1; .drop table SigninLogs //');
    await gatherLogEvidence(g, incident(), subjectsOf([hostile]));
    const queries = g.calls.filter((c) => c.method === 'runQuery').map((c) => String(c.args[0]));
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) {
      expect(q).toContain('"1.2.3.4\\" | take 1; .drop table SigninLogs //"');
      expect(q).toMatch(/\| take \d+$/);
      expect(q).not.toMatch(/^\s*\./m);
    }
  });

  it('a failing workspace is said to be missing evidence, never an error and never invented rows', async () => {
    const g = new FakeGateway();
    g.failNext('runQuery', new SentinelError('Forbidden', 'no Log Analytics Reader role', 403), 20);
    const evidence = await gatherLogEvidence(g, incident(), subjectsOf([ip('a', '198.51.100.1')]));
    expect(evidence.status.ran).toEqual([]);
    expect(evidence.status.failed.length).toBeGreaterThan(0);
    expect(evidence.status.failed[0]?.reason).toContain('no Log Analytics Reader role');
    expect(evidence.signins).toEqual([]);
  });

  it('at most maxQueries queries; the rest are named as not run', async () => {
    const g = new FakeGateway();
    const evidence = await gatherLogEvidence(g, incident(), subjectsOf([ip('a', '198.51.100.2')]), {
      maxQueries: 2,
    });
    expect(g.calls.filter((c) => c.method === 'runQuery')).toHaveLength(2);
    expect(
      evidence.status.failed.some((f) => f.reason === 'not run (query budget per incident reached)'),
    ).toBe(true);
  });

  it('a query that does not answer within the time budget is abandoned and named', async () => {
    const g = new FakeGateway();
    g.runQuery = () => new Promise(() => undefined); // never answers
    const evidence = await gatherLogEvidence(g, incident(), subjectsOf([ip('a', '198.51.100.3')]), {
      budgetMs: 50,
    });
    expect(evidence.status.ran).toEqual([]);
    expect(
      evidence.status.failed.some((f) =>
        /no answer within the time budget|time budget per incident/.test(f.reason),
      ),
    ).toBe(true);
  });
});
