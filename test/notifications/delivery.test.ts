import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaledClock } from '../../src/notifications/clock';
import { compareDeliveryOrder } from '../../src/notifications/deliveryWorker';
import { ThrottledTeams } from '../support/throttledTeams';
import { IncidentSource, cardLine, cardNumber, channelRef, makeIncident, startTestPipeline } from './fakes';

// 20x: Teams' per-second windows pass in 50 ms, so throttling is real but tests stay fast.
const clock = scaledClock(20);
let teams: ThrottledTeams;

beforeAll(async () => {
  teams = await ThrottledTeams.start({ clock });
});
afterAll(async () => {
  await teams.close();
});

const SEVERITIES = ['High', 'Medium', 'Low', 'Informational'] as const;

describe('delivery to a throttling Teams', () => {
  it('delivers every incident once, High first then oldest first, each as a new channel thread', async () => {
    const sentinel = new IncidentSource();
    const channel = '19:aaa@thread.tacv2';
    const { service, threads } = startTestPipeline({ sentinel, clock, digestThreshold: 1000 });
    await service.subscriptions.subscribe(channelRef(teams.serviceUrl, channel), 'Low', {
      now: new Date(clock.now()),
    });
    const base = clock.now();
    const incidents = Array.from({ length: 30 }, (_, i) =>
      sentinel.add(makeIncident(100 + i, base + i * 1000, { severity: SEVERITIES[i % 4] })),
    );
    for (const incident of incidents) await service.notifyIncident(incident.name);
    await service.drain();
    await service.stop();

    const posts = teams.postsTo(channel);
    const eligible = incidents.filter((i) => i.severity !== 'Informational').sort(compareDeliveryOrder);
    expect(posts.map((p) => cardNumber(p.activity))).toEqual(eligible.map((i) => i.number));
    expect(posts.every((p) => p.replyToId === undefined)).toBe(true);
    expect(threads.map((t) => t.incidentNumber)).toEqual(eligible.map((i) => i.number));
    expect(threads.every((t) => t.conversationId === channel)).toBe(true);
  });

  it('retries 429 with Retry-After when the client limiter is looser than Teams', async () => {
    const sentinel = new IncidentSource();
    const channel = '19:bbb@thread.tacv2';
    const { service } = startTestPipeline({
      sentinel,
      clock,
      digestThreshold: 1000,
      tuning: { conversationLimits: [{ limit: 1000, windowMs: 1000 }], retry: { maxAttempts: 20 } },
    });
    await service.subscriptions.subscribe(channelRef(teams.serviceUrl, channel), 'Low', {
      now: new Date(clock.now()),
    });
    const throttledBefore = teams.throttled;
    const base = clock.now();
    const incidents = Array.from({ length: 12 }, (_, i) => sentinel.add(makeIncident(200 + i, base + i)));
    for (const incident of incidents) await service.notifyIncident(incident.name);
    await service.drain();
    await service.stop();

    expect(teams.throttled).toBeGreaterThan(throttledBefore);
    expect(service.stats().throttled).toBeGreaterThan(0);
    expect(teams.postsTo(channel).map((p) => cardNumber(p.activity))).toEqual(incidents.map((i) => i.number));
  });

  it('disables a subscription on 403 and does not retry it', async () => {
    const sentinel = new IncidentSource();
    const channel = '19:removed@thread.tacv2';
    teams.forbid(channel, 403);
    const { service } = startTestPipeline({ sentinel, clock });
    await service.subscriptions.subscribe(channelRef(teams.serviceUrl, channel), 'Low', {
      now: new Date(clock.now()),
    });
    const refusedBefore = teams.refused;
    const first = sentinel.add(makeIncident(300, clock.now()));
    await service.notifyIncident(first.name);
    await service.drain();

    const sub = await service.subscriptions.get(channel);
    expect(sub?.disabled?.status).toBe(403);
    expect(teams.refused - refusedBefore).toBe(1);

    const second = sentinel.add(makeIncident(301, clock.now()));
    await service.notifyIncident(second.name);
    await service.drain();
    await clock.sleep(5_000);
    await service.stop();
    expect(teams.refused - refusedBefore).toBe(1);
    expect(teams.postsTo(channel)).toHaveLength(0);
  });

  it('posts one digest card instead of a flood above the threshold', async () => {
    const sentinel = new IncidentSource();
    const channel = '19:burst@thread.tacv2';
    const { service, storage } = startTestPipeline({ sentinel, clock, digestThreshold: 10 });
    await service.subscriptions.subscribe(channelRef(teams.serviceUrl, channel), 'Low', {
      now: new Date(clock.now()),
    });
    const base = clock.now();
    const severities = [
      ...Array(2).fill('High'),
      ...Array(9).fill('Medium'),
      ...Array(3).fill('Low'),
    ] as const;
    const incidents = severities.map((severity, i) =>
      sentinel.add(
        makeIncident(400 + i, base + i, {
          severity,
          title: i === 0 ? '[click](https://evil.example) **x**' : `Burst ${i}`,
        }),
      ),
    );
    for (const incident of [...incidents].reverse()) await service.notifyIncident(incident.name);
    await service.drain();
    await service.stop();

    const posts = teams.postsTo(channel);
    expect(posts).toHaveLength(1);
    const card = JSON.stringify(posts[0].activity.attachments?.[0]?.content);
    expect(card).toContain('14 new incidents: 2 High, 9 Medium, 3 Low');
    expect(card).toContain('"verb":"incident.select"');
    expect(card).toContain('"incidentNumber":413');
    expect(card).not.toContain('[click](https://evil.example)');
    expect(card).toContain('\\\\[click\\\\]');
    const { Outbox } = await import('../../src/notifications/outbox');
    const outbox = new Outbox(storage);
    for (const incident of incidents) {
      const record = await outbox.get(channel, incident.name);
      expect(record?.state).toBe('digested');
      expect(record?.digestActivityId).toBe(posts[0].activityId);
    }
  });

  it('updates the posted card in place when the incident changes', async () => {
    const sentinel = new IncidentSource();
    const channel = '19:update@thread.tacv2';
    const { service } = startTestPipeline({ sentinel, clock });
    await service.subscriptions.subscribe(channelRef(teams.serviceUrl, channel), 'Medium', {
      now: new Date(clock.now()),
    });
    const incident = sentinel.add(makeIncident(500, clock.now(), { severity: 'High' }));
    await service.notifyIncident(incident.name);
    await service.drain();
    const [post] = teams.postsTo(channel);
    expect(cardLine(post.activity)).toBe('#500 High New Incident 500');

    sentinel.change(incident.name, { status: 'Active', owner: { assignedTo: 'Dana' } }, clock.now() + 1000);
    await service.notifyIncident(incident.name);
    await service.drain();
    // The same state seen again (e.g. by the poller) changes nothing.
    await service.notifyIncident(incident.name);
    await service.drain();
    await service.stop();

    expect(teams.postsTo(channel)).toHaveLength(1);
    const updates = teams.updates.filter((u) => u.conversationId === channel);
    expect(updates).toHaveLength(1);
    expect(updates[0].activityId).toBe(post.activityId);
    expect(cardLine(updates[0].activity)).toBe('#500 High Active Incident 500');
  });
});
