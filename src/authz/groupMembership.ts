import { ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { BotIdentity } from '../config';
import { getLogger } from '../logger';

const log = getLogger('authz.groups');

export const GRAPH_ENDPOINT = 'https://graph.microsoft.com';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const GRAPH_TIMEOUT_MS = 10_000;
export const MEMBERSHIP_CACHE_MS = 5 * 60_000;

/** Whether an Entra user is a (transitive) member of a group. */
export interface GroupMembership {
  isMember(userObjectId: string, groupId: string): Promise<boolean>;
}

export class GroupMembershipError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GroupMembershipError';
  }
}

export interface GraphGroupMembershipOptions {
  /** Graph base URL without /v1.0; tests point it at a loopback fake. */
  endpoint?: string;
  fetch?: typeof fetch;
}

/**
 * Microsoft Graph `POST /v1.0/users/{id}/checkMemberGroups`, called with the bot's own identity. It
 * answers transitive membership (nested groups count), which is what "member of the responder group"
 * means to a SOC lead. Needs the application permission GroupMember.Read.All (or Directory.Read.All).
 */
export class GraphGroupMembership implements GroupMembership {
  private readonly endpoint: string;
  private readonly fetchFn: typeof fetch;

  constructor(
    private readonly credential: TokenCredential,
    options: GraphGroupMembershipOptions = {},
  ) {
    this.endpoint = (options.endpoint ?? GRAPH_ENDPOINT).replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? fetch;
  }

  async isMember(userObjectId: string, groupId: string): Promise<boolean> {
    const token = await this.credential.getToken(GRAPH_SCOPE);
    if (!token) throw new GroupMembershipError('no token for Microsoft Graph');
    const url = `${this.endpoint}/v1.0/users/${encodeURIComponent(userObjectId)}/checkMemberGroups`;
    const response = await this.fetchFn(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ groupIds: [groupId] }),
      signal: AbortSignal.timeout(GRAPH_TIMEOUT_MS),
    });
    // A user Graph does not know (e.g. a guest from elsewhere) is simply not a member.
    if (response.status === 404) return false;
    if (!response.ok) {
      throw new GroupMembershipError(
        `Microsoft Graph checkMemberGroups answered ${response.status}`,
        response.status,
      );
    }
    const body: unknown = await response.json();
    const value = body !== null && typeof body === 'object' ? (body as { value?: unknown }).value : undefined;
    if (!Array.isArray(value))
      throw new GroupMembershipError('Microsoft Graph answered without a value list');
    return value.some((id) => typeof id === 'string' && id.toLowerCase() === groupId.toLowerCase());
  }
}

/**
 * Remembers answers for a few minutes: a card click should not cost a Graph round trip each time, and a
 * removed responder loses write access within the TTL. Failures are not cached.
 */
export class CachedGroupMembership implements GroupMembership {
  private readonly entries = new Map<string, { member: boolean; until: number }>();

  constructor(
    private readonly inner: GroupMembership,
    private readonly ttlMs = MEMBERSHIP_CACHE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async isMember(userObjectId: string, groupId: string): Promise<boolean> {
    const key = `${userObjectId.toLowerCase()}|${groupId.toLowerCase()}`;
    const hit = this.entries.get(key);
    if (hit && hit.until > this.now()) return hit.member;
    const member = await this.inner.isMember(userObjectId, groupId);
    this.entries.set(key, { member, until: this.now() + this.ttlMs });
    return member;
  }
}

/**
 * The real Graph client for the bot's identity: client secret for MultiTenant/SingleTenant bots,
 * the user-assigned managed identity for UserAssignedMsi. Undefined when the bot has no identity or no
 * home tenant (a group id only means something inside one tenant, so BOT_TENANT_ID is needed).
 */
export function createGroupMembership(
  bot: BotIdentity | undefined,
  options: GraphGroupMembershipOptions = {},
): GroupMembership | undefined {
  if (!bot?.tenantId) {
    log.error(
      'RESPONDER_GROUP_ID is set but the group cannot be checked without BOT_ID and BOT_TENANT_ID; group members are denied until they are set',
    );
    return undefined;
  }
  let credential: TokenCredential;
  if (bot.type === 'UserAssignedMsi') {
    credential = new ManagedIdentityCredential({ clientId: bot.appId });
  } else if (bot.password !== undefined) {
    credential = new ClientSecretCredential(bot.tenantId, bot.appId, bot.password);
  } else {
    log.error('RESPONDER_GROUP_ID is set but the bot has no password to call Microsoft Graph with');
    return undefined;
  }
  return new CachedGroupMembership(new GraphGroupMembership(credential, options));
}
