import type { Alert, Entity, Incident, IncidentComment, IncidentTask } from '../domain/types';
import { getLogger } from '../logger';
import type { SentinelGateway } from '../sentinel/gateway';

const log = getLogger('ai.incidentData');

/** Everything the bot knows about one incident, read together so an answer sees one consistent picture. */
export interface IncidentData {
  incident: Incident;
  alerts: Alert[];
  entities: Entity[];
  comments: IncidentComment[];
  tasks: IncidentTask[];
  /** Parts that could not be read (e.g. "tasks"); answers say so instead of claiming there are none. */
  unavailable: string[];
  loadedAt: string;
}

export interface IncidentDataCacheOptions {
  /** Incidents kept (least recently used evicted first). */
  maxIncidents?: number;
}

/**
 * Reads an incident with its alerts, entities, comments and tasks, and keeps the result per incident.
 * A follow-up question costs one call: the incident itself is always re-read (status and owner change
 * often), the rest is reused unless the incident's etag / lastModifiedTimeUtc / counts moved.
 */
export class IncidentDataCache {
  private readonly entries = new Map<string, IncidentData>();
  private readonly inflight = new Map<string, Promise<IncidentData>>();
  private readonly maxIncidents: number;

  constructor(
    private readonly gateway: SentinelGateway,
    options: IncidentDataCacheOptions = {},
  ) {
    this.maxIncidents = Math.max(1, options.maxIncidents ?? 50);
  }

  get size(): number {
    return this.entries.size;
  }

  /** By analyst-facing number; undefined when no such incident. */
  async getByNumber(incidentNumber: number): Promise<IncidentData | undefined> {
    const incident = await this.gateway.getIncidentByNumber(incidentNumber);
    return incident ? this.withDetails(incident) : undefined;
  }

  /** By ARM resource name; undefined when no such incident. */
  async get(incidentName: string): Promise<IncidentData | undefined> {
    const incident = await this.gateway.getIncident(incidentName);
    return incident ? this.withDetails(incident) : undefined;
  }

  /** Drops a cached incident, e.g. after the bot itself changed it. */
  invalidate(incidentName: string): void {
    this.entries.delete(incidentName);
  }

  private async withDetails(incident: Incident): Promise<IncidentData> {
    const cached = this.entries.get(incident.name);
    if (cached && !hasChanged(cached.incident, incident)) {
      const fresh: IncidentData = { ...cached, incident };
      this.remember(fresh);
      return fresh;
    }
    // Concurrent questions about the same incident share one read.
    const key = `${incident.name}@${incident.etag ?? incident.lastModifiedTimeUtc}`;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.load(incident).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const data = await pending;
    this.remember(data);
    return data;
  }

  private async load(incident: Incident): Promise<IncidentData> {
    const name = incident.name;
    const [alerts, entities, comments, tasks] = await Promise.allSettled([
      this.gateway.listAlerts(name),
      this.gateway.listEntities(name),
      this.gateway.listComments(name),
      this.gateway.listTasks(name),
    ]);
    // Alerts and entities are the substance of an answer; without them, fail rather than answer from half.
    if (alerts.status === 'rejected') throw alerts.reason;
    if (entities.status === 'rejected') throw entities.reason;
    const unavailable: string[] = [];
    if (comments.status === 'rejected') {
      unavailable.push('comments');
      log.warn({ incident: incident.number, err: String(comments.reason) }, 'comments unavailable');
    }
    if (tasks.status === 'rejected') {
      unavailable.push('tasks');
      log.warn({ incident: incident.number, err: String(tasks.reason) }, 'tasks unavailable');
    }
    return {
      incident,
      alerts: alerts.value,
      entities: entities.value,
      comments: comments.status === 'fulfilled' ? comments.value : [],
      tasks: tasks.status === 'fulfilled' ? tasks.value : [],
      unavailable,
      loadedAt: new Date().toISOString(),
    };
  }

  private remember(data: IncidentData): void {
    this.entries.delete(data.incident.name);
    this.entries.set(data.incident.name, data);
    while (this.entries.size > this.maxIncidents) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}

function hasChanged(before: Incident, after: Incident): boolean {
  if (before.etag !== undefined && after.etag !== undefined) return before.etag !== after.etag;
  return (
    before.lastModifiedTimeUtc !== after.lastModifiedTimeUtc ||
    before.alertsCount !== after.alertsCount ||
    before.commentsCount !== after.commentsCount
  );
}
