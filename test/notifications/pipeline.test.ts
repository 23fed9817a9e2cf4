import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Activity, ConversationReference, Storage, StoreItems } from 'botbuilder';
import restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaledClock } from '../../src/notifications/clock';
import { TeamsMessenger, type ProactiveMessenger } from '../../src/notifications/teamsMessenger';
import { registerIncidentWebhook } from '../../src/notifications/webhook';
import { FileStorage } from '../../src/storage/fileStorage';
import { ThrottledTeams } from '../support/throttledTeams';
import {
  IncidentSource,
  cardLine,
  cardNumber,
  channelRef,
  localAdapter,
  makeIncident,
  startTestPipeline,
} from './fakes';

const clock = scaledClock(20);
const SECRET = 'a-webhook-secret-of-at-least-24-characters';
let teams: ThrottledTeams;
const dirs: string[] = [];

beforeAll(async () => {
  teams = await ThrottledTeams.start({ clock });
});
afterAll(async () => {
  await teams.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'notify-test-'));
  dirs.push(dir);
  return dir;
}

async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

/** Storage of a process that died: after `kill()` nothing it does reaches the disk. */
class DyingStorage implements Storage {
  dead = false;
  constructor(private readonly inner: Storage) {}
  read(keys: string[]): Promise<StoreItems> {
    return this.dead ? Promise.reject(new Error('process is dead')) : this.inner.read(keys);
  }
  write(changes: StoreItems): Promise<void> {
    return this.dead ? Promise.reject(new Error('process is dead')) : this.inner.write(changes);
  }
  delete(keys: string[]): Promise<void> {
    return this.dead ? Promise.reject(new Error('process is dead')) : this.inner.delete(keys);
  }
}

/** Posts for real, then "crashes" right after the n-th post reached Teams, before it could be marked sent. */
class CrashAfterSend implements ProactiveMessenger {
  private sends = 0;
  constructor(
    private readonly inner: ProactiveMessenger,
    private readonly crashAt: number,
    private readonly storage: DyingStorage,
  ) {}
  async send(ref: Partial<ConversationReference>, activity: Partial<Activity>): Promise<{ id: string }> {
    if (this.storage.dead) throw new Error('process is dead');
    const result = await this.inner.send(ref, activity);
    if (++this.sends === this.crashAt) {
      this.storage.dead = true;
      throw new Error('process crashed');
    }
    return result;
  }
  update(
    ref: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ): Promise<void> {
    return this.storage.dead
      ? Promise.reject(new Error('process is dead'))
      : this.inner.update(ref, activityId, activity);
  }
}

describe('notification pipeline', () => {
  it('loses nothing across a crash between send and mark, with at most one duplicate', async () => {
    const dir = tempDir();
    const channel = '19:restart@thread.tacv2';
    const sentinel = new IncidentSource();
    const dying = new DyingStorage(new FileStorage(dir));
    const first = startTestPipeline({
      sentinel,
      clock,
      storage: dying,
      messenger: new CrashAfterSend(new TeamsMessenger(localAdapter(), ''), 3, dying),
      tuning: { retry: { maxAttempts: 2 } },
    });
    await first.service.subscriptions.subscribe(channelRef(teams.serviceUrl, channel), 'Medium', {
      now: new Date(clock.now()),
    });
    await first.service.pollNow(); // sets the checkpoint: from now on
    const base = clock.now() + 1_000;
    for (let n = 1; n <= 5; n++) sentinel.add(makeIncident(600 + n, base + n * 1_000));
    // The crash may hit this poll too (storage dies mid-way); that is part of what must be survived.
    await first.service.pollNow().catch(() => undefined);
    await first.service.drain();
    await first.service.stop();
    expect(teams.postsTo(channel).map((p) => cardNumber(p.activity))).toEqual([601, 602, 603]);

    // While the bot is down, more incidents arrive.
    for (let n = 6; n <= 8; n++) sentinel.add(makeIncident(600 + n, base + n * 1_000));
    const second = startTestPipeline({ sentinel, clock, storage: new FileStorage(dir) });
    await second.service.pollNow();
    await eventually(() => teams.postsTo(channel).length >= 9);
    await second.service.drain();
    await second.service.stop();

    const numbers = teams.postsTo(channel).map((p) => cardNumber(p.activity));
    expect([...new Set(numbers)].sort()).toEqual([601, 602, 603, 604, 605, 606, 607, 608]);
    expect(numbers.length - new Set(numbers).size).toBe(1);
    expect(numbers.filter((n) => n === 603)).toHaveLength(2);
  });

  it('posts one card when both the webhook and the poller see the incident, showing Sentinel data, not the body', async () => {
    const channel = '19:both@thread.tacv2';
    const sentinel = new IncidentSource();
    const { service } = startTestPipeline({ sentinel, clock });
    await service.subscriptions.subscribe(channelRef(teams.serviceUrl, channel), 'Medium', {
      now: new Date(clock.now()),
    });
    await service.pollNow();
    const incident = sentinel.add(
      makeIncident(700, clock.now() + 1_000, { title: 'Real title from Sentinel', severity: 'High' }),
    );

    const server = restify.createServer();
    registerIncidentWebhook(server, { secret: SECRET, notifyIncident: (n) => service.notifyIncident(n) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/incidents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          object: { id: incident.id, name: incident.name, properties: { title: 'Spoofed', severity: 'Low' } },
        }),
      });
      expect(res.status).toBe(202);
    } finally {
      server.close();
    }
    await service.pollNow();
    await service.drain();
    await service.pollNow();
    await service.drain();
    await service.stop();

    const posts = teams.postsTo(channel);
    expect(posts).toHaveLength(1);
    expect(cardLine(posts[0].activity)).toBe('#700 High New Real title from Sentinel');
    expect(sentinel.getCalls).toContain(incident.name);
  });

  it('finds changed incidents through lastModifiedTimeUtc and updates their cards in place', async () => {
    const channel = '19:poll-update@thread.tacv2';
    const sentinel = new IncidentSource();
    const { service } = startTestPipeline({ sentinel, clock });
    await service.subscriptions.subscribe(channelRef(teams.serviceUrl, channel), 'Low', {
      now: new Date(clock.now()),
    });
    await service.pollNow();
    const incident = sentinel.add(makeIncident(800, clock.now() + 1_000));
    await service.pollNow();
    await service.drain();
    sentinel.change(incident.name, { severity: 'High', title: 'Escalated' }, clock.now() + 60_000);
    await service.pollNow();
    await service.drain();
    await service.stop();

    const [post] = teams.postsTo(channel);
    expect(teams.postsTo(channel)).toHaveLength(1);
    const updates = teams.updates.filter((u) => u.activityId === post.activityId);
    expect(updates.map((u) => cardLine(u.activity))).toEqual(['#800 High New Escalated']);
    const filters = sentinel.listCalls.map((c) => c.filter ?? '');
    expect(filters.some((f) => f.startsWith('properties/createdTimeUtc gt '))).toBe(true);
    expect(filters.some((f) => f.startsWith('properties/lastModifiedTimeUtc gt '))).toBe(true);
  });

  it('keeps a webhook hint until Sentinel can be read, ignores incidents Sentinel does not have', async () => {
    const channel = '19:hint@thread.tacv2';
    const sentinel = new IncidentSource();
    const { service } = startTestPipeline({ sentinel, clock });
    await service.subscriptions.subscribe(channelRef(teams.serviceUrl, channel), 'Low', {
      now: new Date(clock.now()),
    });
    const incident = sentinel.add(makeIncident(900, clock.now()));
    sentinel.failGets = 2;
    await service.notifyIncident(incident.name);
    await service.notifyIncident('00000000-0000-4000-8000-999999999999');
    await eventually(() => teams.postsTo(channel).length >= 1);
    await service.drain();
    await service.stop();
    expect(teams.postsTo(channel).map((p) => cardNumber(p.activity))).toEqual([900]);
    await expect(service.notifyIncident('not a name!')).rejects.toThrow(/not an incident name/);
  });
});
