import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../adaptive-cards/verbs';
import type { GroupMembership } from '../../src/authz/groupMembership';
import { DEFAULT_USER, TENANT_ID, type Identity } from '../support/teams';
import { invokeCard, startCardActionsHarness, type CardActionsHarness } from './cardActionsHarness';

const LEAD: Identity = {
  id: '29:1-soc-lead',
  name: 'Dana Ruiz',
  aadObjectId: 'd4a40000-0000-4000-8000-00000000d4a4',
};
const GROUP_MEMBER: Identity = {
  id: '29:1-member',
  name: 'Gil Member',
  aadObjectId: '9e9e0000-0000-4000-8000-000000009e9e',
};
const GROUP_ID = '0c0c0000-0000-4000-8000-000000000c0c';
const OTHER_TENANT = 'aaaaaaaa-0000-4000-8000-0000000000aa';

/** Answers from a list; records every question (so the cache can be checked). */
function fakeGroups(members: string[]): GroupMembership & { calls: string[]; failing: boolean } {
  return {
    calls: [],
    failing: false,
    async isMember(userObjectId, groupId) {
      this.calls.push(userObjectId);
      if (this.failing) throw new Error('graph down');
      return groupId === GROUP_ID && members.includes(userObjectId);
    },
  };
}

function messageOf(body: unknown): string {
  expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
  return String((body as { value: unknown }).value);
}

describe('who may press the buttons (RESPONDERS, RESPONDER_GROUP_ID)', () => {
  let t: CardActionsHarness;
  const groups = fakeGroups([GROUP_MEMBER.aadObjectId ?? '']);
  const store = () => {
    const s = t.h.demo?.store;
    if (!s) throw new Error('demo workspace not running');
    return s;
  };
  const snapshot = (n: number) => {
    const i = store().getByNumber(n);
    if (!i) throw new Error(`no incident #${n}`);
    return JSON.stringify({ etag: i.etag, tasks: i.tasks.length, comments: i.comments.length });
  };

  beforeAll(async () => {
    t = await startCardActionsHarness({
      env: {
        RESPONDERS: `${LEAD.aadObjectId?.toUpperCase()},someone@contoso.com`,
        RESPONDER_GROUP_ID: GROUP_ID,
      },
      feature: { groupMembership: groups, model: null },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([
    [
      VERBS.assignToMe,
      {},
      'You are not allowed to assign incidents — ask your SOC lead to add you to RESPONDERS',
    ],
    [VERBS.addTasks, {}, 'You are not allowed to add tasks to incidents'],
    [
      VERBS.addPlannedTasks,
      { planId: '00000000-0000-4000-8000-000000000000' },
      'You are not allowed to add tasks to incidents',
    ],
    [VERBS.postComment, {}, 'You are not allowed to comment on incidents'],
    [VERBS.changeStatus, {}, 'You are not allowed to change the status of incidents'],
    [
      VERBS.setStatus,
      { status: 'Closed', classification: 'Undetermined' },
      'You are not allowed to change the status',
    ],
  ])('a user in neither list gets a plain refusal and nothing is written: %s', async (verb, data, text) => {
    const before = snapshot(3);
    const { body } = await t.click(verb, 3, 'card-3', { data });
    expect(messageOf(body)).toContain(text);
    await t.runtime.jobs.settled();
    expect(snapshot(3)).toBe(before);
    expect(t.h.teams.updates.filter((u) => u.activityId === 'card-3')).toHaveLength(0);
  });

  it('Analyze only reads, so anyone in the conversation may use it', async () => {
    const { body } = await t.click(VERBS.analyze, 3, 'card-3-analyze');
    expect(invokeCard(body)).toBeDefined();
    await t.runtime.jobs.settled();
  });

  it('a user listed in RESPONDERS (matched case-insensitively) may write', async () => {
    const { body } = await t.click(VERBS.assignToMe, 3, 'card-3-lead', { from: LEAD });
    invokeCard(body);
    expect(store().getByNumber(3)?.owner.objectId).toBe(LEAD.aadObjectId);
  });

  it('a member of RESPONDER_GROUP_ID may write; the Graph answer is cached', async () => {
    const { body } = await t.click(VERBS.assignToMe, 5, 'card-5', { from: GROUP_MEMBER });
    invokeCard(body);
    expect(store().getByNumber(5)?.owner.objectId).toBe(GROUP_MEMBER.aadObjectId);
    const calls = groups.calls.filter((c) => c === GROUP_MEMBER.aadObjectId).length;
    await t.click(VERBS.assignToMe, 5, 'card-5', { from: GROUP_MEMBER });
    expect(groups.calls.filter((c) => c === GROUP_MEMBER.aadObjectId).length).toBe(calls);
  });

  it('when Graph cannot be reached, nobody outside RESPONDERS writes (fail closed)', async () => {
    groups.failing = true;
    const stranger: Identity = {
      id: '29:1-x',
      name: 'X',
      aadObjectId: '11110000-0000-4000-8000-000000001111',
    };
    const before = snapshot(6);
    const { body } = await t.click(VERBS.assignToMe, 6, 'card-6', { from: stranger });
    expect(messageOf(body)).toContain('could not check whether you are allowed to assign incidents');
    expect(snapshot(6)).toBe(before);
    groups.failing = false;
  });
});

describe('foreign tenant (BOT_TENANT_ID)', () => {
  let t: CardActionsHarness;
  beforeAll(async () => {
    // BOT_TENANT_ID needs BOT_ID, which turns on Bot Connector JWT checks the harness cannot sign; the
    // policy is what config produces (see test/authz/responders.test.ts for policyFromConfig).
    t = await startCardActionsHarness({
      feature: { policy: { tenantId: TENANT_ID, responders: [] }, model: null },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it.each([VERBS.assignToMe, VERBS.addTasks, VERBS.addPlannedTasks, VERBS.postComment, VERBS.analyze])(
    'an invoke from another tenant is refused and writes nothing: %s',
    async (verb) => {
      const incident = t.h.demo?.store.getByNumber(4);
      const before = JSON.stringify(incident);
      const { body } = await t.click(verb, 4, 'card-4', { tenantId: OTHER_TENANT });
      expect(messageOf(body)).toContain("only serves its own organisation's tenant");
      await t.runtime.jobs.settled();
      expect(JSON.stringify(t.h.demo?.store.getByNumber(4))).toBe(before);
      expect(t.h.teams.activities.filter((a) => a.replyToId === 'card-4')).toHaveLength(0);
    },
  );

  it('the home tenant may write (everyone, since no RESPONDERS are configured)', async () => {
    const { body } = await t.click(VERBS.assignToMe, 4, 'card-4', { tenantId: TENANT_ID });
    invokeCard(body);
    expect(t.h.demo?.store.getByNumber(4)?.owner.objectId).toBe(DEFAULT_USER.aadObjectId);
  });
});
