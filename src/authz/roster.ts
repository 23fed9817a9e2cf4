import { TeamsInfo, type TurnContext } from 'botbuilder';
import { getLogger } from '../logger';

const log = getLogger('authz.roster');
/** A click must not wait long on Teams for something only the UPN allow-list needs. */
const ROSTER_TIMEOUT_MS = 3_000;

/** UPN and email from the Teams roster (activities carry only the object id and display name). */
export async function rosterIdentity(
  context: TurnContext,
): Promise<{ userPrincipalName?: string; email?: string }> {
  const userId = context.activity.from?.id;
  if (!userId) return {};
  let timer: NodeJS.Timeout | undefined;
  try {
    const member = await Promise.race([
      TeamsInfo.getMember(context, userId),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), ROSTER_TIMEOUT_MS);
      }),
    ]);
    return { userPrincipalName: member?.userPrincipalName || undefined, email: member?.email || undefined };
  } catch (err) {
    log.debug({ err }, 'Teams roster lookup failed; continuing without UPN');
    return {};
  } finally {
    clearTimeout(timer);
  }
}
