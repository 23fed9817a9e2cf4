import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotCluster, type BotCluster } from '../support/botCluster';

/**
 * Two bot processes sharing one Azurite container and one demo workspace: whatever instance the Bot
 * Service hands an activity to, the conversation's state is the same.
 */
describe('two bot instances on one Azure Storage container', () => {
  let cluster: BotCluster;
  beforeAll(async () => {
    cluster = await startBotCluster({ instances: 2 });
  }, 90_000);
  afterAll(async () => {
    await cluster?.close();
  });

  const ASKS_WHICH = 'Which incident is this about?';
  const answer = (replies: { activity: { text?: string } }[]): string =>
    replies.map((r) => r.activity.text ?? '').join('\n');

  it('a conversation’s current incident set through instance A is what instance B answers about', async () => {
    const [a, b] = cluster.instances;
    const conversationId = 'a:1-personal-two-instances';

    const set = await a!.say('incident 7', { conversationId });
    expect(set.status).toBe(200);
    expect(set.replies).toHaveLength(1);
    const asked = await b!.say('what happened?', { conversationId });
    expect(asked.status).toBe(200);
    // The built-in analyst's answer opens with the incident it is about (no model configured).
    expect(answer(asked.replies)).toContain(`**Incident #7:`);
    expect(answer(asked.replies)).not.toContain(ASKS_WHICH);

    // And back: B moves the conversation to #3, A follows (no instance-local cache of the context).
    await b!.say('incident 3', { conversationId });
    const again = await a!.say('what happened?', { conversationId });
    expect(answer(again.replies)).toContain(`**Incident #3:`);

    // The state both used is in the shared container, under the conversation's key.
    expect(await cluster.storage.list('incident-context/')).toEqual([
      `incident-context/${encodeURIComponent(conversationId)}`,
    ]);
  });

  it('a conversation that set nothing is not answered about another conversation’s incident', async () => {
    await cluster.instances[0]!.say('incident 7', { conversationId: 'a:1-personal-elsewhere' });
    const asked = await cluster.instances[1]!.say('what happened?', { conversationId: 'a:1-personal-fresh' });
    expect(asked.status).toBe(200);
    expect(answer(asked.replies)).toContain(ASKS_WHICH);
    expect(answer(asked.replies)).not.toContain('**Incident #7:');
  });
});
