import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { IncidentDataCache } from '../ai/incidentData';
import type { UnderstandingService } from '../ai/understanding';
import type { ChatCompleter } from '../ai/model';
import type { Actor, ResponderAuthorizer } from '../authz/responders';
import type { IncidentCardActions } from '../bot/cards/incidentCard';
import type { BotDeps } from '../bot/deps';
import type { ActionJobs } from './actionJobs';
import type { AnalysisStore } from './analysis';
import type { PlanStore } from './planStore';
import type { CardPublisher } from './cardRefresh';

/** Everything the card action handlers share, built once when the feature registers. */
export interface CardActionsRuntime {
  deps: BotDeps;
  /** The buttons incident cards show (all installed features), for every card we render. */
  buttons: IncidentCardActions;
  authorizer: ResponderAuthorizer;
  model: ChatCompleter | undefined;
  incidentData: IncidentDataCache;
  /** Roles, done/open, counts and log evidence per incident version (shared by Analyze and Add tasks). */
  understandings: UnderstandingService;
  jobs: ActionJobs;
  analyses: AnalysisStore;
  /** Proposed task lists, stored before they are shown ("Add these N tasks" writes one). */
  plans: PlanStore;
  cards: CardPublisher;
  now: () => Date;
}

/** One button click, with everything taken from the activity (identity, tenant) rather than card data. */
export interface Click {
  context: TurnContext;
  verb: string;
  data: Record<string, unknown>;
  actor: Actor;
  tenantId: string | undefined;
  incidentNumber: number;
  /** The card's message id (the invoke's replyToId): the activity we update for everyone. */
  cardActivityId: string | undefined;
  startedAt: number;
}

/**
 * What a click answers with. `clicker` cards (the status form) go only to the person who clicked;
 * `all` cards also replace the posted message for everyone; `progress` cards ("working…") answer the
 * click while background work updates the posted message itself.
 */
export type Outcome =
  | { kind: 'card'; card: AdaptiveCard; audience: 'all' | 'clicker' | 'progress' }
  | { kind: 'message'; text: string };

export const message = (text: string): Outcome => ({ kind: 'message', text });
