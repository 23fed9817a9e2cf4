import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { getLogger } from '../logger';
import { actorOf, deniedText, ResponderAuthorizer, tenantIdsOf } from './responders';

const log = getLogger('authz.tenant');

/**
 * BOT_TENANT_ID applies to every activity, not only to card writes: without this gate a user of another
 * tenant who installs the app could list incidents, open cards, ask questions or subscribe a chat of
 * theirs to every new incident. Runs before any route; an activity naming no tenant is refused too.
 */
export function registerTenantGate<TState extends TurnState>(
  app: Application<TState>,
  tenantId: string | undefined,
): void {
  if (tenantId === undefined) return;
  const authorizer = new ResponderAuthorizer({ tenantId, responders: [] });
  app.turn('beforeTurn', async (context) => {
    const activity = context.activity;
    const decision = await authorizer.authorize({
      actor: actorOf(activity),
      tenantIds: tenantIdsOf(activity),
      write: false,
    });
    if (decision.allowed) return true;
    log.warn(
      {
        tenantIds: tenantIdsOf(activity),
        activityType: activity.type,
        conversationId: activity.conversation?.id,
      },
      'activity from another tenant refused',
    );
    await refuse(context, deniedText(decision, 'use this bot'));
    return false;
  });
}

async function refuse(context: TurnContext, text: string): Promise<void> {
  const { type, name } = context.activity;
  if (type === ActivityTypes.Invoke) {
    // Teams shows a generic failure without an invoke response; a card action gets the sentence.
    const body =
      name === 'adaptiveCard/action'
        ? { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text }
        : undefined;
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: { status: body ? 200 : 403, body },
    });
    return;
  }
  if (type === ActivityTypes.Message) await context.sendActivity(text);
}
