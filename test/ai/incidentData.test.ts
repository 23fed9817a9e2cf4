import { describe, expect, it } from 'vitest';
import { IncidentDataCache } from '../../src/ai/incidentData';
import { SentinelError } from '../../src/sentinel/errors';
import { FakeGateway, makeIncident } from '../support/fakeGateway';

function callsOf(g: FakeGateway): string[] {
  return g.calls.map((c) => c.method);
}

describe('IncidentDataCache', () => {
  it('loads the incident with alerts, entities, comments and tasks', async () => {
    const g = new FakeGateway();
    const data = await new IncidentDataCache(g).getByNumber(2);
    expect(data?.incident.number).toBe(2);
    expect(data?.alerts.map((a) => a.displayName)).toEqual(['Suspicious PowerShell command line']);
    expect(data?.entities.map((e) => e.friendlyName)).toEqual(['WS-042']);
    expect(data?.comments).toHaveLength(1);
    expect(data?.tasks).toHaveLength(1);
    expect(callsOf(g).sort()).toEqual([
      'getIncidentByNumber',
      'listAlerts',
      'listComments',
      'listEntities',
      'listTasks',
    ]);
  });

  it('a follow-up re-reads only the incident; a changed etag reloads the rest', async () => {
    const g = new FakeGateway();
    const cache = new IncidentDataCache(g);
    await cache.getByNumber(2);
    g.calls.length = 0;
    await cache.getByNumber(2);
    expect(callsOf(g)).toEqual(['getIncidentByNumber']);

    const incident = g.incidents.find((i) => i.number === 2);
    expect(incident).toBeDefined();
    await g.updateIncident(incident as NonNullable<typeof incident>, { status: 'Active', severity: 'High' });
    g.calls.length = 0;
    const reloaded = await cache.getByNumber(2);
    expect(reloaded?.incident.severity).toBe('High');
    expect(callsOf(g)).toContain('listAlerts');
  });

  it('loads the parts in parallel and shares one load between concurrent questions', async () => {
    const g = new FakeGateway();
    const cache = new IncidentDataCache(g);
    await Promise.all([cache.getByNumber(1), cache.getByNumber(1), cache.getByNumber(1)]);
    expect(callsOf(g).filter((m) => m === 'listAlerts')).toHaveLength(1);
  });

  it('is bounded: the least recently used incident is evicted', async () => {
    const incidents = Array.from({ length: 5 }, (_, i) => makeIncident(i + 1));
    const g = new FakeGateway({ incidents, alerts: {}, entities: {}, comments: {}, tasks: {} });
    const cache = new IncidentDataCache(g, { maxIncidents: 3 });
    for (const n of [1, 2, 3, 1, 4]) await cache.getByNumber(n);
    expect(cache.size).toBe(3);
    g.calls.length = 0;
    await cache.getByNumber(2); // evicted → full load
    expect(callsOf(g)).toContain('listAlerts');
    g.calls.length = 0;
    await cache.getByNumber(1); // recently used → kept
    expect(callsOf(g)).toEqual(['getIncidentByNumber']);
  });

  it('returns undefined for an unknown incident', async () => {
    await expect(new IncidentDataCache(new FakeGateway()).getByNumber(999)).resolves.toBeUndefined();
  });

  it('answers without comments when they cannot be read, and says so; fails when alerts cannot be read', async () => {
    const g = new FakeGateway();
    g.failNext('listComments', new SentinelError('Forbidden', 'no access', 403));
    const data = await new IncidentDataCache(g).getByNumber(2);
    expect(data?.unavailable).toEqual(['comments']);

    const g2 = new FakeGateway();
    g2.failNext('listAlerts', new SentinelError('Throttled', 'busy', 429));
    await expect(new IncidentDataCache(g2).getByNumber(2)).rejects.toThrow('busy');
  });
  it('a comment added in Sentinel (commentsCount moves, the etag does not) reaches the next question', async () => {
    const g = new FakeGateway();
    const cache = new IncidentDataCache(g);
    const first = await cache.getByNumber(2);
    const name = first?.incident.name ?? '';
    const etag = first?.incident.etag;
    await g.createComment(name, 'c-new', 'That is her home IP.');
    g.calls.length = 0;
    const next = await cache.getByNumber(2);
    expect(next?.incident.etag).toBe(etag);
    expect(next?.comments.map((c) => c.message)).toContain('That is her home IP.');
    expect(callsOf(g)).toContain('listComments');
  });

  it('tasks, which the incident does not count, are re-read once older than the freshness window', async () => {
    const g = new FakeGateway();
    let now = 1_000_000;
    const cache = new IncidentDataCache(g, { taskFreshnessMs: 60_000, now: () => now });
    const first = await cache.getByNumber(2);
    const name = first?.incident.name ?? '';
    await g.upsertTask(name, 't-new', { title: 'Reset password for adele', status: 'Completed' });
    g.calls.length = 0;
    now += 30_000;
    const soon = await cache.getByNumber(2);
    expect(callsOf(g)).toEqual(['getIncidentByNumber']);
    expect(soon?.tasks.map((t) => t.title)).not.toContain('Reset password for adele');
    now += 31_000;
    const later = await cache.getByNumber(2);
    expect(callsOf(g)).toEqual(['getIncidentByNumber', 'getIncidentByNumber', 'listTasks']);
    expect(later?.tasks.map((t) => t.title)).toContain('Reset password for adele');
  });
});
