import type { ResponderAuthorizer } from '../authz/responders';
import type { AppConfig } from '../config';
import type { SentinelGateway } from '../sentinel/gateway';
import type { StateStorage } from '../storage/stateStorage';
import type { IncidentContext } from './incidentContext';

/** What every feature module receives; feature-specific dependencies extend it. */
export interface BotDeps {
  config: AppConfig;
  sentinel: SentinelGateway;
  /** Durable storage (file-backed by default; MemoryStateStorage only in tests). */
  storage: StateStorage;
  incidentContext: IncidentContext;
  /** Who may read and who may write: built once for the whole bot (src/authz/responders.ts). */
  authorizer: ResponderAuthorizer;
}
