/**
 * Incident Q&A benchmark (prints numbers, no pass/fail).
 *
 * 1. Bot overhead, measured through the real bot over HTTP (test harness: fake Teams as serviceUrl)
 *    — conversations start spread over one model latency, as independent analysts would —
 *    against the scripted OpenAI-compatible server with a fixed 500 ms latency, in a group chat (one final
 *    message). p50/p95 of end-to-end ÷ model latency at 1 and 20 concurrent conversations, three times:
 *    with the demo workspace as Sentinel in its own process (as a remote Sentinel is; includes the
 *    per-question incident re-read over HTTP), with the demo workspace inside the bot's process (its CPU
 *    competes with the bot's event loop), and with an in-memory gateway (the bot's own overhead).
 *    Goals: p50 ≤ 1.03, p95 ≤ 1.10.
 * 2. Personal chat (streamed) end-to-end, for reference: teams-ai paces stream updates 1.5 s apart.
 * 3. Prompt size of the synthetic large incident (200 alerts, 1,000 entities) against a naive JSON dump.
 *    Goals: ≤ 8,000 tokens and ≤ 0.2× the dump.
 *
 *   npx tsx bench/qa.ts
 */
import { configureLogging } from '../src/logger';

const MODEL_LATENCY_MS = 500;
const QUESTIONS_PER_LEVEL = 100;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  // Before the bot's modules load: their loggers are children of the root configured here.
  configureLogging('silent');
  const { startBotHarness } = await import('../test/support/botHarness');
  const { FakeGateway } = await import('../test/support/fakeGateway');
  const { createGateway } = await import('../src/bot/compose');
  const { loadConfig } = await import('../src/config');
  const { startDemoWorkspaceProcess } = await import('../src/demo/processHost');
  const remoteDemo = await startDemoWorkspaceProcess({ port: 0, logLevel: 'silent' });
  const { startFakeOpenAI } = await import('../test/support/fakeOpenAI');
  const { buildIncidentContext, countPromptTokens } = await import('../src/ai/context');
  const { largeIncidentData } = await import('../test/ai/incidentFixtures');

  const ai = await startFakeOpenAI();
  ai.setDefault({
    delayMs: MODEL_LATENCY_MS,
    content: 'Shadow copies were deleted on SRV-FILE01.\nEvidence: File backups were deleted; SRV-FILE01',
  });
  const env = { OPENAI_BASE_URL: ai.baseUrl, OPENAI_MODEL: 'gpt-4o-mini', LOG_LEVEL: 'silent' };
  try {
    for (const setup of [
      'demo workspace, own process',
      'demo workspace, in the bot process',
      'in-memory gateway',
    ] as const) {
      const h = await startBotHarness({
        env,
        gateway:
          setup === 'in-memory gateway'
            ? new FakeGateway()
            : setup === 'demo workspace, own process'
              ? createGateway(loadConfig({ DEMO_PORT: String(remoteDemo.port) }))
              : undefined,
      });
      const incidents = setup === 'in-memory gateway' ? 5 : 8;
      try {
        const ask = async (conversationId: string, incident: number): Promise<number> => {
          const activity = h.teams.message(`in incident ${incident}, what happened?`, {
            conversationType: 'groupChat',
            conversationId,
          });
          const t0 = Date.now();
          const res = await h.post(activity);
          if (res.status !== 200) throw new Error(`bot answered HTTP ${res.status}`);
          // What the analyst perceives: the answer reaching Teams (the turn's state save comes after it).
          const reply = h.teams.activities.find((a) => a.replyToId === activity.id && a.kind === 'reply');
          if (reply === undefined) throw new Error('no reply reached Teams');
          return (reply.at - t0) / MODEL_LATENCY_MS;
        };
        for (let n = 1; n <= incidents; n++) await ask(`warm-${n}`, n); // module loading, prompt files, caches
        const cpu0 = process.cpuUsage();
        for (let n = 0; n < 10; n++) await ask('cpu', 2);
        const cpu = process.cpuUsage(cpu0);
        console.log(
          `[${setup}] CPU per question (bot + fake Teams + fake model${setup === 'demo workspace, in the bot process' ? ' + demo workspace' : ''}, one process): ${((cpu.user + cpu.system) / 10 / 1000).toFixed(1)} ms`,
        );
        for (const concurrency of [1, 20]) {
          const ratios: number[] = [];
          await Promise.all(
            Array.from({ length: concurrency }, async (_, c) => {
              // Independent analysts do not press enter in the same millisecond: spread the starts over one model latency.
              await new Promise((resolve) => setTimeout(resolve, (c * MODEL_LATENCY_MS) / concurrency));
              for (let r = 0; r < QUESTIONS_PER_LEVEL / concurrency; r++)
                ratios.push(await ask(`bench-${concurrency}-${c}`, (c % incidents) + 1));
            }),
          );
          ratios.sort((a, b) => a - b);
          console.log(
            `overhead [${setup}] concurrency=${String(concurrency).padStart(2)} n=${ratios.length}: ` +
              `p50=${percentile(ratios, 50).toFixed(3)} p95=${percentile(ratios, 95).toFixed(3)} (question posted → answer at Teams, ÷ ${MODEL_LATENCY_MS} ms model latency)`,
          );
        }
        if (setup === 'demo workspace, own process') {
          const t0 = performance.now();
          await h.post(h.teams.message('in incident 2, what happened?', { conversationType: 'personal' }));
          console.log(
            `personal chat, streamed (informative update + final; teams-ai waits 1.5 s after each update): ${(performance.now() - t0).toFixed(0)} ms end-to-end`,
          );
        }
      } finally {
        await h.close();
      }
    }
  } finally {
    await ai.close();
    await remoteDemo.close();
  }

  const data = largeIncidentData(200, 1000);
  const built = buildIncidentContext(data, { budgetTokens: 6000 });
  const naive = countPromptTokens(JSON.stringify(data));
  console.log(
    `large incident (200 alerts, 1,000 entities): incident data in the prompt ${built.tokens} tokens (detail level ${built.detailLevel}) ` +
      `vs naive JSON dump ${naive} tokens = ${(built.tokens / naive).toFixed(3)}x`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
