import { getLogger } from '../../logger';
import type { SentinelGateway } from '../../sentinel/gateway';
import type { IncidentData } from '../incidentData';
import { gatherLogEvidence, noLogEvidence, type LogEvidence, type LogEvidenceOptions } from './logEvidence';
import { describeEntity, orgDomainsOf } from './subjects';
import type { IncidentUnderstanding } from './types';
import { understandIncident, understandingVersion } from './understand';

/**
 * Incident understanding: one module every path reads (built-in analyst, model context, remediation
 * plan and guard, Analyze, task cards; next: queue views and automatic triage).
 *
 *   const u = await understanding.get(data);        // with log evidence, cached per incident version
 *   const u = understandIncident(data, { logs });   // pure, for tests and callers that hold the logs
 *
 * See types.ts for the shape: per entity a role (attacker / compromised / targeted / insider / affected /
 * legitimate / context) with confidence and evidence; done and open actions; counts with sources; a
 * verdict hint.
 */
export * from './types';
export { understandIncident, understandingVersion, entitiesNamedIn, subjectsOf } from './understand';
export { gatherLogEvidence, noLogEvidence, type LogEvidence, type LogEvidenceOptions } from './logEvidence';
export { actionsInText, type TextAction, type TextTarget } from './actions';

const log = getLogger('ai.understanding');

export interface UnderstandingServiceOptions extends LogEvidenceOptions {
  /** Incidents kept (least recently used evicted). Default 50. */
  maxIncidents?: number;
  /** False: no log queries (roles from the incident's own data only). Default true. */
  logs?: boolean;
}

/**
 * Understanding with log evidence, cached per incident version: the log queries run once per version
 * of an incident (a new comment, task or alert makes a new version), concurrent callers share them.
 */
export class UnderstandingService {
  private readonly entries = new Map<
    string,
    { version: string; logsKey: string; logs: LogEvidence; understanding: IncidentUnderstanding }
  >();
  private readonly inflight = new Map<string, Promise<LogEvidence>>();
  private readonly maxIncidents: number;

  constructor(
    private readonly gateway: SentinelGateway | undefined,
    private readonly options: UnderstandingServiceOptions = {},
  ) {
    this.maxIncidents = Math.max(1, options.maxIncidents ?? 50);
  }

  async get(data: IncidentData): Promise<IncidentUnderstanding> {
    const version = understandingVersion(data);
    const name = data.incident.name;
    const cached = this.entries.get(name);
    if (cached?.version === version) return cached.understanding;
    // Log evidence depends on the incident's window and entities, not on comments or tasks: reuse it.
    const logsKey = [
      name,
      data.incident.firstActivityTimeUtc,
      data.incident.lastActivityTimeUtc,
      data.entities.map((e) => e.id).join(','),
    ].join('|');
    const logs = cached?.logsKey === logsKey ? cached.logs : await this.logsFor(data, logsKey);
    const understanding = understandIncident(data, { logs });
    this.entries.delete(name);
    this.entries.set(name, { version, logsKey, logs, understanding });
    while (this.entries.size > this.maxIncidents) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    return understanding;
  }

  private logsFor(data: IncidentData, key: string): Promise<LogEvidence> {
    if (!this.gateway || this.options.logs === false) return Promise.resolve(noLogEvidence());
    const gateway = this.gateway;
    let pending = this.inflight.get(key);
    if (!pending) {
      const orgDomains = orgDomainsOf(data.entities);
      const subjects = data.entities.map((e) => describeEntity(e, orgDomains));
      pending = gatherLogEvidence(gateway, data.incident, subjects, this.options)
        .catch((err: unknown) => {
          log.warn({ err, incident: data.incident.number }, 'log evidence unavailable');
          return noLogEvidence('the log queries could not run');
        })
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }
}
