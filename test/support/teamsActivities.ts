import type { Activity } from 'botbuilder';

/**
 * Activity factories that mimic what Microsoft Teams posts to a bot (ids, channelData with tenant and
 * team/channel, @mention entities in channels, Action.Execute invokes), plus `postActivity` to deliver
 * them. `startFakeTeams()` (./teams) returns the same factories bound to its serviceUrl.
 */
export type ConversationType = 'personal' | 'groupChat' | 'channel';

export interface Identity {
  id: string;
  name: string;
  aadObjectId?: string;
}

export const TENANT_ID = '72f988bf-0000-4000-8000-000000000001';
export const TEAM_ID = '19:team-soc@thread.tacv2';
export const CHANNEL_ID = '19:channel-incidents@thread.tacv2';
export const GROUP_CHAT_ID = '19:groupchat-soc@thread.v2';
export const DEFAULT_USER: Identity = {
  id: '29:1-alex-analyst',
  name: 'Alex Analyst',
  aadObjectId: '6c3ef7a4-0000-4000-8000-00000000a1ec',
};
export const DEFAULT_BOT: Identity = { id: '28:sentinel-bot', name: 'Sentinel' };

export interface ActivityOptions {
  conversationType?: ConversationType;
  /** Defaults: personal `a:1-personal-<user>`, group chat GROUP_CHAT_ID, channel `<CHANNEL_ID>;messageid=<id>`. */
  conversationId?: string;
  from?: Identity;
  bot?: Identity;
  tenantId?: string;
  /** Channel messages @mention the bot by default (Teams only delivers those); others do not. */
  mentionBot?: boolean;
  /** The activity this one replies to (a thread root in a channel, or the card clicked). */
  replyToId?: string;
  serviceUrl: string;
  id?: string;
}

export type FactoryOptions = Omit<ActivityOptions, 'serviceUrl'>;

/** What the factories return: a Teams-shaped activity with its id always set. */
export type TeamsActivity = Partial<Activity> & { id: string };

function conversationFor(opts: ActivityOptions, activityId: string): Record<string, unknown> {
  const type = opts.conversationType ?? 'personal';
  const from = opts.from ?? DEFAULT_USER;
  const tenantId = opts.tenantId ?? TENANT_ID;
  if (type === 'channel') {
    // Teams gives every channel post and its thread the id "<channel>;messageid=<root post id>".
    const id = opts.conversationId ?? `${CHANNEL_ID};messageid=${opts.replyToId ?? activityId}`;
    return { id, conversationType: 'channel', isGroup: true, tenantId };
  }
  if (type === 'groupChat') {
    return {
      id: opts.conversationId ?? GROUP_CHAT_ID,
      conversationType: 'groupChat',
      isGroup: true,
      tenantId,
    };
  }
  return { id: opts.conversationId ?? `a:1-personal-${from.id}`, conversationType: 'personal', tenantId };
}

function base(opts: ActivityOptions): TeamsActivity {
  const id = opts.id ?? `1${Date.now()}${Math.floor(Math.random() * 1000)}`;
  const type = opts.conversationType ?? 'personal';
  const tenantId = opts.tenantId ?? TENANT_ID;
  const channelData: Record<string, unknown> = { tenant: { id: tenantId } };
  if (type === 'channel') {
    channelData.team = { id: TEAM_ID, name: 'SOC', aadGroupId: '0b0d0000-0000-4000-8000-000000007ea3' };
    channelData.channel = { id: CHANNEL_ID, name: 'Incidents' };
  }
  const now = new Date();
  return {
    id,
    channelId: 'msteams',
    serviceUrl: opts.serviceUrl,
    timestamp: now,
    localTimestamp: now,
    locale: 'en-US',
    from: { ...(opts.from ?? DEFAULT_USER) },
    recipient: { ...(opts.bot ?? DEFAULT_BOT) },
    conversation: conversationFor(opts, id),
    channelData,
    ...(opts.replyToId ? { replyToId: opts.replyToId } : {}),
  } as unknown as TeamsActivity;
}

/** A message as Teams posts it; in channels `<at>Bot</at>` plus the mention entity are prepended. */
export function message(text: string, opts: ActivityOptions): TeamsActivity {
  const bot = opts.bot ?? DEFAULT_BOT;
  const mention = opts.mentionBot ?? opts.conversationType === 'channel';
  const mentionText = `<at>${bot.name}</at>`;
  const entities: Record<string, unknown>[] = [
    { type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/Berlin' },
  ];
  if (mention)
    entities.unshift({ type: 'mention', text: mentionText, mentioned: { id: bot.id, name: bot.name } });
  return {
    ...base(opts),
    type: 'message',
    text: mention ? `${mentionText} ${text}` : text,
    textFormat: 'plain',
    entities,
  } as TeamsActivity;
}

/** The invoke Teams sends when an Action.Execute button is clicked (Universal Actions). */
export function invoke(verb: string, data: Record<string, unknown>, opts: ActivityOptions): TeamsActivity {
  return {
    ...base(opts),
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data: { ...data } }, trigger: 'manual' },
  } as TeamsActivity;
}

/** The message Teams sends for an Action.Submit click (clients without Universal Actions): value, no text. */
export function submit(data: Record<string, unknown>, opts: ActivityOptions): TeamsActivity {
  return { ...base(opts), type: 'message', value: { ...data } } as TeamsActivity;
}

/** Bot installed (default: the bot is the member added) or people added to a conversation. */
export function conversationUpdate(
  opts: ActivityOptions & { membersAdded?: Identity[]; membersRemoved?: Identity[] },
): TeamsActivity {
  const bot = opts.bot ?? DEFAULT_BOT;
  const activity = base(opts);
  const channelData = { ...(activity.channelData as Record<string, unknown>), eventType: 'teamMemberAdded' };
  return {
    ...activity,
    type: 'conversationUpdate',
    membersAdded: (opts.membersAdded ?? [bot]).map((m) => ({ id: m.id, name: m.name })),
    ...(opts.membersRemoved
      ? { membersRemoved: opts.membersRemoved.map((m) => ({ id: m.id, name: m.name })) }
      : {}),
    channelData,
  } as TeamsActivity;
}

export interface PostResult {
  status: number;
  /** Parsed JSON when the bot answered JSON (invoke responses), else the text, else undefined. */
  body: unknown;
}

/** POSTs an activity to the bot (`botUrl` may be the base URL or the full /api/messages URL). */
export async function postActivity(
  botUrl: string,
  activity: Partial<Activity> | Record<string, unknown> | string,
  options: { headers?: Record<string, string> } = {},
): Promise<PostResult> {
  const url = botUrl.endsWith('/api/messages') ? botUrl : `${botUrl.replace(/\/+$/, '')}/api/messages`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
  });
  const text = await response.text();
  let body: unknown = text === '' ? undefined : text;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      // plain text answer; keep it as is
    }
  }
  return { status: response.status, body };
}
