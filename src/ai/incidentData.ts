import type { Alert, Entity, Incident, IncidentComment, IncidentTask } from '../domain/types';
import { getLogger } from '../logger';
import type { SentinelGateway } from '../sentinel/gateway';
import { decodeEntities } from './understanding/text';

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
  /**
   * Tasks older than this are re-read with the next question (default 60 s). Sentinel's incident
   * exposes counts of alerts and comments, so their changes show on the one-request follow-up, but it
   * has no task count and a task change does not change the incident's etag.
   */
  taskFreshnessMs?: number;
  now?: () => number;
}

/**
 * Reads an incident with its alerts, entities, comments and tasks, and keeps the result per incident.
 * A follow-up question costs one call: the incident itself is always re-read (status and owner change
 * often), the rest is reused unless the incident changed. Adding a comment in Sentinel changes the
 * incident's commentsCount but not its etag, so the etag, lastModifiedTimeUtc and the alert and
 * comment counts are all compared; tasks (no count on the incident) are re-read once they are older
 * than `taskFreshnessMs`.
 */
export class IncidentDataCache {
  private readonly entries = new Map<string, IncidentData>();
  private readonly inflight = new Map<string, Promise<IncidentData>>();
  private readonly maxIncidents: number;
  private readonly taskFreshnessMs: number;
  private readonly now: () => number;
  /** When each incident's tasks were read (ms). */
  private readonly tasksReadAt = new Map<string, number>();

  constructor(
    private readonly gateway: SentinelGateway,
    options: IncidentDataCacheOptions = {},
  ) {
    this.maxIncidents = Math.max(1, options.maxIncidents ?? 50);
    this.taskFreshnessMs = Math.max(0, options.taskFreshnessMs ?? 60_000);
    this.now = options.now ?? Date.now;
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
    this.tasksReadAt.delete(incidentName);
  }

  private async withDetails(incident: Incident): Promise<IncidentData> {
    const cached = this.entries.get(incident.name);
    if (cached && !hasChanged(cached.incident, incident)) {
      const fresh: IncidentData = { ...cached, incident, tasks: await this.freshTasks(cached) };
      this.remember(fresh);
      return fresh;
    }
    // Concurrent questions about the same incident share one read.
    const key = `${incident.name}@${incident.etag ?? ''}|${incident.lastModifiedTimeUtc}|${incident.alertsCount}|${incident.commentsCount}`;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.load(incident).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const data = await pending;
    this.remember(data);
    return data;
  }

  /** The cached tasks, or the incident's tasks re-read when the cached ones are too old to trust. */
  private async freshTasks(cached: IncidentData): Promise<IncidentData['tasks']> {
    const name = cached.incident.name;
    if (this.now() - (this.tasksReadAt.get(name) ?? 0) < this.taskFreshnessMs) return cached.tasks;
    try {
      const tasks = await this.gateway.listTasks(name);
      this.tasksReadAt.set(name, this.now());
      return readable(tasks);
    } catch (err) {
      log.warn(
        { incident: cached.incident.number, err: String(err) },
        'tasks could not be re-read; using the cached ones',
      );
      return cached.tasks;
    }
  }

  private async load(incident: Incident): Promise<IncidentData> {
    const name = incident.name;
    this.tasksReadAt.set(name, this.now());
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
      tasks: tasks.status === 'fulfilled' ? readable(tasks.value) : [],
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
      this.tasksReadAt.delete(oldest.value);
    }
  }
}

/** Any of the signals Sentinel gives: a new comment or alert moves a count, not the etag. */
function hasChanged(before: Incident, after: Incident): boolean {
  return (
    before.etag !== after.etag ||
    before.lastModifiedTimeUtc !== after.lastModifiedTimeUtc ||
    before.alertsCount !== after.alertsCount ||
    before.commentsCount !== after.commentsCount ||
    before.bookmarksCount !== after.bookmarksCount
  );
}

/** Task titles as plain text: Sentinel returns them HTML-escaped (see decodeEntities). */
function readable(tasks: IncidentTask[]): IncidentTask[] {
  return tasks.map((t) => ({ ...t, title: decodeEntities(t.title) }));
}
