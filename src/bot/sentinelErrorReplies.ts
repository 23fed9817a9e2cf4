import type { SentinelError } from '../sentinel/errors';

export interface SentinelErrorReplyOptions {
  workspaceName: string;
  /** Reading needs Microsoft Sentinel Reader; changing incidents needs Microsoft Sentinel Responder. */
  operation?: 'read' | 'write';
}

/**
 * The plain sentence an analyst gets when Sentinel says no: what happened and what to do, no HTTP.
 * Every feature that calls the gateway should answer with this, so the same failure reads the same way.
 */
export function sentinelErrorReply(error: SentinelError, options: SentinelErrorReplyOptions): string {
  const ws = options.workspaceName;
  switch (error.kind) {
    case 'Throttled': {
      const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 30_000) / 1000));
      return `Sentinel is busy (throttled); try again in ${seconds} s.`;
    }
    case 'Unavailable':
      return `Sentinel (workspace ${ws}) is unavailable right now; try again in a minute. If it persists, check the Azure status page.`;
    case 'Forbidden': {
      const role =
        options.operation === 'write' ? 'Microsoft Sentinel Responder' : 'Microsoft Sentinel Reader';
      return `I'm not allowed to do that in workspace ${ws}: the bot's identity is missing the **${role}** role on the workspace. Ask an Azure admin to assign it.`;
    }
    case 'Unauthorized':
      return `I couldn't sign in to Azure for workspace ${ws}. An operator needs to check the bot's Azure credentials.`;
    case 'NotFound':
      return `Sentinel couldn't find that in workspace ${ws}. It may have been deleted; try \`incidents\` to list open ones.`;
    case 'PreconditionFailed':
      return 'Someone changed this incident in the meantime, so I did not overwrite their change. Look at the latest version and try again.';
    case 'Conflict':
      return 'Sentinel reported a conflicting change; try again in a moment.';
    case 'BadRequest':
      return `Sentinel rejected the request (${truncate(error.message)}).`;
    default:
      return `Something went wrong talking to Sentinel (${truncate(error.message)}). Try again in a moment.`;
  }
}

function truncate(message: string): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 199)}…` : oneLine;
}
