import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../adaptive-cards/verbs';
import type { GroupMembership } from '../../src/authz/groupMembership';
import { runQueryId } from '../hunting/huntHarness';
import { startBotHarness, type BotHarness } from '../support/botHarness';

/**
 * Issue #16 item 9: authorisation is built once, in the composition root. Card writes, subscriptions and
 * hunt tasks ask the same authoriser, so one Microsoft Graph answer (one cache) decides for all three —
 * a responder removed from the group cannot keep write access in one feature while losing it in another.
 */
const GROUP = '0b0d0000-0000-4000-8000-0000000000aa';

describe('one authoriser for every feature that writes', () => {
  let h: BotHarness;
  const graph = { calls: 0, member: true };
  const membership: GroupMembership = {
    isMember: () => {
      graph.calls += 1;
      return Promise.resolve(graph.member);
    },
  };
  beforeAll(async () => {
    h = await startBotHarness({
      env: { RESPONDER_GROUP_ID: GROUP, POLL_INTERVAL_SECONDS: '0' },
      groupMembership: membership,
    });
  });
  afterAll(() => h.close());

  it('card action, subscribe and hunt task are all allowed by one cached group check', async () => {
    const assign = await h.click(VERBS.assignToMe, { incidentNumber: 2 }, { conversationType: 'channel' });
    expect(JSON.stringify(assign.body)).not.toMatch(/not allowed|could not check/);
    expect((await h.gateway.getIncidentByNumber(2))?.owner.objectId).toBeDefined();

    const subscribed = await h.say('subscribe high', { conversationType: 'channel' });
    expect(subscribed.replies[0]?.activity.text).toMatch(/^Subscribed/);

    const conversationId = 'a:1-personal-hunter';
    await h.say('incident 1', { conversationId });
    const { replies } = await h.say('kql: SigninLogs | take 5', { conversationId });
    const card = replies.find((r) => r.activity.attachments?.length)?.activity.attachments?.[0]?.content;
    const added = await h.click(
      VERBS.huntAddTask,
      { queryId: runQueryId(card as Parameters<typeof runQueryId>[0]) },
      { conversationId },
    );
    expect(JSON.stringify(added.body)).toContain('Added as a task');

    expect(graph.calls).toBe(1);
  });
});
