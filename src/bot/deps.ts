import type { Storage } from 'botbuilder';
import type { AppConfig } from '../config';
import type { SentinelGateway } from '../sentinel/gateway';
import type { IncidentContext } from './incidentContext';

/** What every feature module receives; feature-specific dependencies extend it. */
export interface BotDeps {
  config: AppConfig;
  sentinel: SentinelGateway;
  /** Durable storage (file-backed by default; MemoryStorage only in tests). */
  storage: Storage;
  incidentContext: IncidentContext;
}
