/**
 * Notification pipeline benchmark (prints numbers; no pass/fail).
 *
 *   npx tsx bench/notify.ts [--scale 50] [--burst 1000] [--latency 30]
 *
 * Incidents go through the real pipeline (intake → outbox → rate-limited sender → CloudAdapter) to a
 * fake Teams connector that enforces Teams' limits (7/1 s, 8/2 s, 60/30 s, 1,800/h per conversation,
 * 30/s per app) on a clock running `scale` times faster than wall time.
 */
import type { AddressInfo } from 'node:net';
import { MemoryStorage } from 'botbuilder';
import restify from 'restify';
import { configureLogging } from '../src/logger';
import type { Clock } from '../src/notifications/clock';
import type { RecordedPost } from '../test/support/throttledTeams';

// Module loggers are children of the root logger as it was when the module loaded, so silence the
// root first and load the pipeline after; otherwise its info lines bury the numbers.
configureLogging('silent');
/* eslint-disable @typescript-eslint/no-require-imports -- loaded after configureLogging on purpose */
const { scaledClock, systemClock } =
  require('../src/notifications/clock') as typeof import('../src/notifications/clock');
const { SlidingWindowLimiter, TEAMS_CONVERSATION_LIMITS } =
  require('../src/notifications/rateLimiter') as typeof import('../src/notifications/rateLimiter');
const { registerIncidentWebhook } =
  require('../src/notifications/webhook') as typeof import('../src/notifications/webhook');
const { IncidentSource, cardNumber, channelRef, makeIncident, startTestPipeline } =
  require('../test/notifications/fakes') as typeof import('../test/notifications/fakes');
const { ThrottledTeams } =
  require('../test/support/throttledTeams') as typeof import('../test/support/throttledTeams');
/* eslint-enable @typescript-eslint/no-require-imports */

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const SCALE = arg('scale', 50);
const BURST = arg('burst', 1000);
const LATENCY_SAMPLES = arg('latency', 30);
const SECRET = 'bench-webhook-secret-0123456789abcdef';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The least time Teams' limits allow for n messages into one conversation (greedy schedule). */
async function floorMs(n: number): Promise<number> {
  let t = 0;
  const clock: Clock = { now: () => t, sleep: async (ms) => void (t += ms) };
  const limiter = new SlidingWindowLimiter(TEAMS_CONVERSATION_LIMITS, clock);
  for (let i = 0; i < n; i++) await limiter.acquire('c');
  return t;
}

/** Incident numbers a post covers: the card's incident, or every row of a digest. */
function covered(post: RecordedPost): number[] {
  const n = cardNumber(post.activity);
  if (!Number.isNaN(n)) return [n];
  const json = JSON.stringify(post.activity.attachments?.[0]?.content ?? {});
  return [...json.matchAll(/"incidentNumber":(\d+)/g)].map((m) => Number(m[1]));
}

async function latency(): Promise<void> {
  // Real time: what an analyst waits for, with production batching (500 ms) and limits.
  const clock = systemClock;
  const teams = await ThrottledTeams.start({ clock });
  const sentinel = new IncidentSource();
  const { service } = startTestPipeline({ sentinel, clock, tuning: { batchWindowMs: 500 } });
  const channel = '19:latency@thread.tacv2';
  await service.subscriptions.subscribe(channelRef(teams.serviceUrl, channel), 'Low');
  const server = restify.createServer();
  registerIncidentWebhook(server, { secret: SECRET, notifyIncident: (n) => service.notifyIncident(n) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/incidents`;
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const incident = sentinel.add(makeIncident(10_000 + i, Date.now()));
    const start = Date.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
      body: JSON.stringify({ object: { id: incident.id, name: incident.name, properties: {} } }),
    });
    if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
    while (!teams.postsTo(channel).some((p) => cardNumber(p.activity) === incident.number)) {
      await new Promise((r) => setTimeout(r, 2));
    }
    samples.push(Date.now() - start);
    await new Promise((r) => setTimeout(r, 250)); // one incident at a time, well inside the limits
  }
  await service.stop();
  server.close();
  await teams.close();
  console.log(`webhook → card latency (${LATENCY_SAMPLES} incidents, real time, 500 ms batch window):`);
  console.log(
    `  p50 ${percentile(samples, 50)} ms   p95 ${percentile(samples, 95)} ms   max ${Math.max(...samples)} ms`,
  );
}

async function burst(digestThreshold: number, label: string): Promise<void> {
  const clock = scaledClock(SCALE);
  const teams = await ThrottledTeams.start({ clock });
  const sentinel = new IncidentSource();
  const storage = new MemoryStorage();
  const { service } = startTestPipeline({
    sentinel,
    clock,
    storage,
    digestThreshold,
    tuning: { batchWindowMs: 500, retry: { maxAttempts: 10 }, random: Math.random },
  });
  const channel = '19:burst@thread.tacv2';
  await service.subscriptions.subscribe(channelRef(teams.serviceUrl, channel), 'Informational', {
    now: new Date(clock.now()),
  });
  const severities = ['High', 'Medium', 'Low', 'Informational'] as const;
  const base = clock.now();
  const incidents = Array.from({ length: BURST }, (_, i) =>
    sentinel.add(makeIncident(20_000 + i, base + i, { severity: severities[(i * 7) % 4] })),
  );
  const startVirtual = clock.now();
  const startReal = Date.now();
  await Promise.all(incidents.map((i) => service.notifyIncident(i.name)));
  for (;;) {
    await service.drain();
    const seen = new Set(teams.postsTo(channel).flatMap(covered));
    if (incidents.every((i) => seen.has(i.number)) || Date.now() - startReal > 600_000) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const lastPost = Math.max(...teams.postsTo(channel).map((p) => p.at));
  const virtualMs = lastPost - startVirtual;
  const realMs = Date.now() - startReal;
  await service.stop();
  await teams.close();

  const posts = teams.postsTo(channel);
  const all = posts.flatMap(covered);
  const counts = new Map<number, number>();
  for (const n of all) counts.set(n, (counts.get(n) ?? 0) + 1);
  const lost = incidents.filter((i) => !counts.has(i.number)).length;
  const duplicated = [...counts.values()].filter((c) => c > 1).length;
  const cards = posts.filter((p) => !Number.isNaN(cardNumber(p.activity))).length;
  const floor = await floorMs(posts.length);
  const stats = service.stats();
  console.log(`burst of ${BURST} into one channel, ${label} (clock ×${SCALE}):`);
  console.log(
    `  lost ${lost}   duplicated ${duplicated}   messages ${posts.length} (${cards} cards, ${posts.length - cards} digests)`,
  );
  console.log(
    `  total ${(virtualMs / 1000).toFixed(1)} s of Teams time (${(realMs / 1000).toFixed(1)} s wall) vs floor ${(floor / 1000).toFixed(1)} s for ${posts.length} messages; ` +
      `429s from Teams ${teams.throttled}, retries ${stats.retries}`,
  );
}

async function main(): Promise<void> {
  await latency();
  await burst(10, 'digest on (threshold 10)');
  await burst(1_000_000, 'digest off (every incident carded)');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
