import { describe, expect, it } from 'vitest';
import type { GroupMembership } from '../../src/authz/groupMembership';
import {
  actorOf,
  deniedText,
  policyFromConfig,
  ResponderAuthorizer,
  tenantIdsOf,
} from '../../src/authz/responders';
import { loadConfig } from '../../src/config';

const TENANT = '72f988bf-0000-4000-8000-000000000001';
const USER = 'c0ffee00-0000-4000-8000-00000000c0fe';
const GROUP = '0c0c0000-0000-4000-8000-000000000c0c';
const actor = { teamsId: '29:1', name: 'Dana Ruiz', aadObjectId: USER };
const member = (yes: boolean): GroupMembership => ({ isMember: async () => yes });

describe('policyFromConfig', () => {
  it('takes BOT_TENANT_ID, RESPONDERS (lower-cased) and RESPONDER_GROUP_ID from config', () => {
    const config = loadConfig({
      BOT_ID: '5f1b2c3d-0000-4000-8000-00000000b07d',
      BOT_PASSWORD: 'x',
      BOT_TYPE: 'SingleTenant',
      BOT_TENANT_ID: TENANT,
      RESPONDERS: `${USER.toUpperCase()}, Dana.Ruiz@Contoso.com`,
      RESPONDER_GROUP_ID: GROUP,
    });
    expect(policyFromConfig(config)).toEqual({
      tenantId: TENANT,
      responders: [USER, 'dana.ruiz@contoso.com'],
      responderGroupId: GROUP,
    });
  });
});

describe('ResponderAuthorizer', () => {
  it('with nothing configured everyone may write (the bot being installed is the access control)', async () => {
    const authz = new ResponderAuthorizer({ responders: [] });
    expect(authz.restricted).toBe(false);
    expect(await authz.authorize({ actor, tenantIds: [TENANT], write: true })).toEqual({
      allowed: true,
      via: 'open',
    });
  });

  it('a tenant mismatch (in either place the activity names it) denies reads and writes', async () => {
    const authz = new ResponderAuthorizer({ tenantId: TENANT, responders: [] });
    const other = 'aaaaaaaa-0000-4000-8000-0000000000aa';
    for (const tenantIds of [[other], [TENANT, other], []]) {
      expect(await authz.authorize({ actor, tenantIds, write: false })).toEqual({
        allowed: false,
        reason: 'tenant',
      });
    }
    expect(await authz.authorize({ actor, tenantIds: [TENANT.toUpperCase()], write: false })).toMatchObject({
      allowed: true,
    });
  });

  it('RESPONDERS by object id or by UPN (looked up only when needed)', async () => {
    const byId = new ResponderAuthorizer({ responders: [USER] });
    expect(await byId.authorize({ actor, tenantIds: [], write: true })).toEqual({
      allowed: true,
      via: 'responders',
    });
    const byUpn = new ResponderAuthorizer({ responders: ['dana.ruiz@contoso.com'] });
    expect(
      await byUpn.authorize({
        actor,
        tenantIds: [],
        write: true,
        userPrincipalName: async () => 'Dana.Ruiz@contoso.com',
      }),
    ).toEqual({ allowed: true, via: 'responders' });
    expect(await byUpn.authorize({ actor, tenantIds: [], write: true })).toEqual({
      allowed: false,
      reason: 'notResponder',
    });
    expect(await byUpn.authorize({ actor, tenantIds: [], write: false })).toEqual({
      allowed: true,
      via: 'read',
    });
  });

  it('RESPONDER_GROUP_ID: member, non-member, no object id, Graph failure (fail closed)', async () => {
    const policy = { responders: [], responderGroupId: GROUP };
    expect(
      await new ResponderAuthorizer(policy, member(true)).authorize({ actor, tenantIds: [], write: true }),
    ).toEqual({
      allowed: true,
      via: 'group',
    });
    expect(
      await new ResponderAuthorizer(policy, member(false)).authorize({ actor, tenantIds: [], write: true }),
    ).toEqual({
      allowed: false,
      reason: 'notResponder',
    });
    expect(
      await new ResponderAuthorizer(policy, member(true)).authorize({
        actor: { ...actor, aadObjectId: undefined },
        tenantIds: [],
        write: true,
      }),
    ).toEqual({ allowed: false, reason: 'identity' });
    const broken: GroupMembership = { isMember: () => Promise.reject(new Error('503')) };
    expect(
      await new ResponderAuthorizer(policy, broken).authorize({ actor, tenantIds: [], write: true }),
    ).toEqual({
      allowed: false,
      reason: 'unverified',
    });
    expect(await new ResponderAuthorizer(policy).authorize({ actor, tenantIds: [], write: true })).toEqual({
      allowed: false,
      reason: 'unverified',
    });
  });

  it('the refusal names the action and what to do', () => {
    expect(deniedText({ allowed: false, reason: 'notResponder' }, 'assign incidents')).toBe(
      'You are not allowed to assign incidents — ask your SOC lead to add you to RESPONDERS.',
    );
  });
});

describe('identity and tenant from the activity', () => {
  it('reads tenant ids from conversation and channelData, and the actor from `from`', () => {
    const activity = {
      from: { id: '29:1', name: ' Dana Ruiz ', aadObjectId: USER.toUpperCase() },
      conversation: { id: 'c', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
    };
    expect(tenantIdsOf(activity as never)).toEqual([TENANT, TENANT]);
    expect(actorOf(activity as never)).toEqual({ teamsId: '29:1', name: 'Dana Ruiz', aadObjectId: USER });
    expect(tenantIdsOf({ channelData: 'junk' } as never)).toEqual([]);
  });
});
