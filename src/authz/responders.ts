import type { Activity } from 'botbuilder';
import type { AppConfig } from '../config';
import { getLogger } from '../logger';
import { CachedGroupMembership, createGroupMembership, type GroupMembership } from './groupMembership';

const log = getLogger('authz');

/** Who clicked, as Teams tells us (never from card data). */
export interface Actor {
  /** Teams user id (29:…). */
  teamsId: string;
  name: string;
  /** Entra object id; Teams sends it for every user of a tenant that installed the app. */
  aadObjectId?: string;
}

/**
 * Who may change incidents from Teams.
 *
 * - `tenantId` (BOT_TENANT_ID): every activity must come from this tenant, for reads and writes.
 * - `responders` (RESPONDERS: lower-cased Entra object ids or UPNs) and `responderGroupId`
 *   (RESPONDER_GROUP_ID): a write is allowed when the user is listed OR is in the group.
 * - Neither configured: everyone in a conversation where the bot is installed may write. That is the
 *   out-of-the-box (demo, small SOC) behaviour; installing the bot in a team is then the access control.
 */
export interface AuthzPolicy {
  tenantId?: string;
  responders: readonly string[];
  responderGroupId?: string;
}

export function policyFromConfig(config: AppConfig): AuthzPolicy {
  return {
    tenantId: config.bot?.tenantId,
    responders: config.authz.responders,
    responderGroupId: config.authz.responderGroupId,
  };
}

/**
 * The bot's one authoriser, built once in the composition root (src/bot/compose.ts) and shared by every
 * feature that writes (card actions, subscriptions, hunting): one policy and one Graph membership cache,
 * so a responder removed from the group loses write access everywhere at the same moment.
 * `groups` replaces the Graph client (tests); it is cached like the real one.
 */
export function createResponderAuthorizer(config: AppConfig, groups?: GroupMembership): ResponderAuthorizer {
  const policy = policyFromConfig(config);
  const membership = groups
    ? new CachedGroupMembership(groups)
    : policy.responderGroupId !== undefined
      ? createGroupMembership(config.bot)
      : undefined;
  const authorizer = new ResponderAuthorizer(policy, membership);
  if (!authorizer.restricted) {
    log.warn(
      'RESPONDERS and RESPONDER_GROUP_ID are empty: everyone in a conversation with the bot can change incidents from cards',
    );
  }
  return authorizer;
}

export type AuthzDecision =
  | { allowed: true; via: 'open' | 'responders' | 'group' | 'read' }
  | { allowed: false; reason: 'tenant' | 'identity' | 'notResponder' | 'unverified' };

export interface AuthzRequest {
  actor: Actor;
  /** Every tenant id the activity names (conversation.tenantId, channelData.tenant.id). */
  tenantIds: readonly string[];
  write: boolean;
  /** Looks up the user's UPN (Teams roster); only called when RESPONDERS lists UPNs. */
  userPrincipalName?: () => Promise<string | undefined>;
}

/** The tenant ids an activity claims; Teams puts it in two places and both must agree with ours. */
export function tenantIdsOf(activity: Partial<Activity>): string[] {
  const ids: string[] = [];
  const fromConversation: unknown = (activity.conversation as { tenantId?: unknown } | undefined)?.tenantId;
  if (typeof fromConversation === 'string' && fromConversation !== '') ids.push(fromConversation);
  const channelData: unknown = activity.channelData;
  const tenant: unknown =
    channelData !== null && typeof channelData === 'object'
      ? (channelData as { tenant?: unknown }).tenant
      : undefined;
  const fromChannelData: unknown =
    tenant !== null && typeof tenant === 'object' ? (tenant as { id?: unknown }).id : undefined;
  if (typeof fromChannelData === 'string' && fromChannelData !== '') ids.push(fromChannelData);
  return ids;
}

export function actorOf(activity: Partial<Activity>): Actor {
  const from = activity.from;
  return {
    teamsId: from?.id ?? '',
    name: from?.name?.trim() || 'someone',
    aadObjectId: from?.aadObjectId?.toLowerCase(),
  };
}

/** Decides whether an activity's user may read (tenant check) or write (tenant + responder check). */
export class ResponderAuthorizer {
  private readonly responders: Set<string>;

  constructor(
    private readonly policy: AuthzPolicy,
    private readonly groups?: GroupMembership,
  ) {
    this.responders = new Set(policy.responders.map((r) => r.toLowerCase()));
  }

  /** True when writes are limited to RESPONDERS / RESPONDER_GROUP_ID. */
  get restricted(): boolean {
    return this.responders.size > 0 || this.policy.responderGroupId !== undefined;
  }

  async authorize(request: AuthzRequest): Promise<AuthzDecision> {
    const expectedTenant = this.policy.tenantId?.toLowerCase();
    if (expectedTenant !== undefined) {
      const ids = request.tenantIds.map((t) => t.toLowerCase());
      if (ids.length === 0 || ids.some((t) => t !== expectedTenant))
        return { allowed: false, reason: 'tenant' };
    }
    if (!request.write) return { allowed: true, via: 'read' };
    if (!this.restricted) return { allowed: true, via: 'open' };

    const objectId = request.actor.aadObjectId;
    if (objectId !== undefined && this.responders.has(objectId)) return { allowed: true, via: 'responders' };
    if ([...this.responders].some((r) => r.includes('@')) && request.userPrincipalName) {
      const upn = (await request.userPrincipalName().catch(() => undefined))?.toLowerCase();
      if (upn !== undefined && this.responders.has(upn)) return { allowed: true, via: 'responders' };
    }
    const groupId = this.policy.responderGroupId;
    if (groupId === undefined) return { allowed: false, reason: 'notResponder' };
    if (objectId === undefined) return { allowed: false, reason: 'identity' };
    if (!this.groups) return { allowed: false, reason: 'unverified' };
    try {
      return (await this.groups.isMember(objectId, groupId))
        ? { allowed: true, via: 'group' }
        : { allowed: false, reason: 'notResponder' };
    } catch (err) {
      // Fail closed: an unreachable Graph must not turn into write access.
      log.warn({ err, userObjectId: objectId, groupId }, 'responder group membership could not be checked');
      return { allowed: false, reason: 'unverified' };
    }
  }
}

/** The plain answer for a denied user; `what` is e.g. "assign incidents". */
export function deniedText(decision: Extract<AuthzDecision, { allowed: false }>, what: string): string {
  switch (decision.reason) {
    case 'tenant':
      return "This bot only serves its own organisation's tenant, and this conversation is from another one. Nothing was changed.";
    case 'identity':
      return `You are not allowed to ${what}: Teams did not tell me your Entra ID, so I cannot check your access. Nothing was changed.`;
    case 'unverified':
      return `I could not check whether you are allowed to ${what} (the responder group could not be verified right now). Nothing was changed — try again in a minute, or ask your SOC lead to add you to RESPONDERS.`;
    case 'notResponder':
      return `You are not allowed to ${what} — ask your SOC lead to add you to RESPONDERS.`;
  }
}
