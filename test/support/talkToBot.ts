import {
  postActivity,
  type FactoryOptions,
  type FakeTeams,
  type PostResult,
  type RecordedActivity,
  type TeamsActivity,
} from './teams';

/** How tests talk to one bot endpoint as Teams would (shared by the in-process harness and the cluster). */
export interface BotConversation {
  /** Posts an activity to the bot. */
  post(
    activity: TeamsActivity | Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<PostResult>;
  /** Posts a Teams message and returns the HTTP status and what the bot sent in reply to it. */
  say(
    text: string,
    opts?: FactoryOptions,
  ): Promise<PostResult & { activity: TeamsActivity; replies: RecordedActivity[] }>;
  /** Clicks an Action.Execute button: returns the invoke response body (status, type, value). */
  click(
    verb: string,
    data: Record<string, unknown>,
    opts?: FactoryOptions,
  ): Promise<PostResult & { activity: TeamsActivity }>;
}

export function talkToBot(botUrl: string, teams: FakeTeams): BotConversation {
  const post: BotConversation['post'] = (activity, headers) => postActivity(botUrl, activity, { headers });
  return {
    post,
    async say(text, opts) {
      const activity = teams.message(text, opts);
      const result = await post(activity);
      // CloudAdapter answers the HTTP request after the turn, so the replies are already recorded.
      const replies = teams.activities.filter((a) => a.replyToId === activity.id);
      return { ...result, activity, replies };
    },
    async click(verb, data, opts) {
      const activity = teams.invoke(verb, data, opts);
      return { ...(await post(activity)), activity };
    },
  };
}
