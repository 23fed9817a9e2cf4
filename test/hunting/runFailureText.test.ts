import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../adaptive-cards/verbs';
import { createGateway } from '../../src/bot/compose';
import { loadConfig } from '../../src/config';
import { startDemoWorkspace, type DemoWorkspace } from '../../src/demo/server';
import { SentinelError } from '../../src/sentinel/errors';
import type { BotHarness } from '../support/botHarness';
import { recordingGateway, startHuntHarness, storeHuntQuery } from './huntHarness';

/**
 * Template titles carry entity values ("File activity for <file name>") and Log Analytics errors quote
 * the query, so the "did not run" message posted to the conversation must not turn them into markdown.
 */
describe('a failed hunt run, told in chat', () => {
  let demo: DemoWorkspace;
  let h: BotHarness;
  let recorder: ReturnType<typeof recordingGateway>;
  const conversationId = 'a:hunt-failure-text';

  beforeAll(async () => {
    demo = await startDemoWorkspace({ port: 0 });
    recorder = recordingGateway(
      createGateway(loadConfig({ DEMO_PORT: String(demo.port), LOG_LEVEL: 'warn' })),
    );
    h = await startHuntHarness({ gateway: recorder.gateway });
  });
  afterAll(async () => {
    await h.close();
    await demo.close();
  });

  it('posts no attacker link or remote image from the title or the error', async () => {
    const id = 'templateTitleWithPayload01';
    await storeHuntQuery(h, id, {
      query: 'SigninLogs | take 3',
      title: 'File activity for ![x](https://evil.example/p.png) [re-login](https://evil.example/login)',
      engine: 'Template (no language model)',
      incidentName: demo.store.getByNumber(1)?.name ?? '',
    });
    recorder.nextRun.fail = new SentinelError(
      'BadRequest',
      "Query could not be parsed at '[here](https://evil.example/x)'",
      400,
      'SemanticError',
    );
    const before = h.teams.activities.length;
    await h.click(VERBS.huntRun, { verb: VERBS.huntRun, queryId: id }, { conversationId });
    const posted = h.teams.activities
      .slice(before)
      .map((a) => a.activity.text ?? '')
      .join('\n');
    expect(posted).toContain('did not run');
    expect(posted).not.toMatch(/\]\(https:\/\/evil/);
    expect(posted).not.toContain('https://evil.example');
    expect(posted).toContain('[image removed: x]');
  });
});
