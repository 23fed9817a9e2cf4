import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BOT, startFakeTeams, type FakeTeams } from '../support/teams';

/** The fake Bot Connector other features' tests rely on: recording, ids, scripted failures, waitFor. */
let teams: FakeTeams;
beforeAll(async () => {
  teams = await startFakeTeams();
});
afterAll(async () => {
  await teams.close();
});

const post = (path: string, body: unknown, method = 'POST') =>
  fetch(`${teams.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('startFakeTeams', () => {
  it('records sends, replies, updates, typing and proactive conversations, with generated ids', async () => {
    teams.clear();
    const conv = encodeURIComponent('19:c@thread.tacv2;messageid=123');
    const sent = (await (
      await post(`/v3/conversations/${conv}/activities`, { type: 'message', text: 'hi' })
    ).json()) as { id: string };
    const replied = (await (
      await post(`/v3/conversations/${conv}/activities/123`, { type: 'message', text: 're' })
    ).json()) as { id: string };
    await post(`/v3/conversations/${conv}/activities/123`, { type: 'typing' });
    await post(`/v3/conversations/${conv}/activities/${sent.id}`, { type: 'message', text: 'edited' }, 'PUT');
    const created = (await (
      await post('/v3/conversations', { isGroup: false, activity: { type: 'message', text: 'proactive' } })
    ).json()) as {
      id: string;
      activityId: string;
    };

    expect(sent.id).not.toBe(replied.id);
    expect(teams.activities.map((a) => [a.kind, a.conversationId, a.activity.text])).toEqual([
      ['send', '19:c@thread.tacv2;messageid=123', 'hi'],
      ['reply', '19:c@thread.tacv2;messageid=123', 're'],
      ['send', created.id, 'proactive'],
    ]);
    expect(teams.activities[1].replyToId).toBe('123');
    expect(teams.typing).toHaveLength(1);
    expect(teams.updates.map((u) => [u.activityId, u.activity.text])).toEqual([[sent.id, 'edited']]);
    expect(teams.createdConversations[0].activityId).toBe(created.activityId);
  });

  it('answers the next N requests with a scripted status (e.g. 429 + Retry-After), then recovers', async () => {
    teams.clear();
    teams.failNext({ status: 429, headers: { 'Retry-After': '2' } }, 2);
    const first = await post('/v3/conversations/x/activities', { type: 'message', text: 'a' });
    const second = await post('/v3/conversations/x/activities', { type: 'message', text: 'b' });
    const third = await post('/v3/conversations/x/activities', { type: 'message', text: 'c' });
    expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(teams.activities.map((a) => a.activity.text)).toEqual(['c']);
    expect(teams.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('waitFor resolves on a later match and rejects with what it saw on timeout', async () => {
    teams.clear();
    const waiting = teams.waitFor((a) => a.activity.text === 'later', 2000);
    await post('/v3/conversations/y/activities', { type: 'message', text: 'sooner' });
    await post('/v3/conversations/y/activities', { type: 'message', text: 'later' });
    expect((await waiting).conversationId).toBe('y');
    await expect(teams.waitFor((a) => a.activity.text === 'never', 50)).rejects.toThrow(
      /nothing matched.*\n.*sooner/,
    );
  });

  it('builds Teams-shaped activities pointing at itself', () => {
    const channel = teams.message('incident 1', { conversationType: 'channel' });
    expect(channel).toMatchObject({
      channelId: 'msteams',
      serviceUrl: teams.url,
      text: '<at>Sentinel</at> incident 1',
    });
    expect(channel.entities?.[0]).toMatchObject({ type: 'mention', mentioned: { id: DEFAULT_BOT.id } });
    expect(channel.conversation?.id).toBe(`19:channel-incidents@thread.tacv2;messageid=${channel.id}`);
    expect(channel.channelData).toMatchObject({
      tenant: { id: expect.any(String) },
      team: { id: expect.any(String) },
    });
    const personal = teams.message('help');
    expect(personal.text).toBe('help');
    expect(personal.conversation?.conversationType).toBe('personal');
    const click = teams.invoke('incident.select', { incidentNumber: 1 }, { replyToId: 'card-1' });
    expect(click).toMatchObject({
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: 'card-1',
      value: { action: { type: 'Action.Execute', verb: 'incident.select', data: { incidentNumber: 1 } } },
    });
  });
});
