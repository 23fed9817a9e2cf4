import type { WorkspaceRef } from '../config';
import { analyticRuleId } from './armIds';
import { assembleAlertsAndEntities, resolveOwner } from './incidentAssembly';
import { securityAlertRecord, securityIncidentRecord } from './incidentRows';
import { appendLogRow, createLogTables, type LogRecord, type LogTables } from './logTables';
import { createPrng, type Prng } from './prng';
import type {
  DemoActor,
  IncidentInput,
  IncidentPatch,
  StoredComment,
  StoredIncident,
  StoredTask,
  TaskInput,
} from './storeTypes';

export type * from './storeTypes';

export interface DemoStoreOptions {
  workspace: WorkspaceRef;
  now: () => Date;
  /** Seed for ids and etags, so a restarted demo has the same incident names. */
  seed?: number;
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** A rule given as a full alertRules resource id (from another workspace) keeps only its name. */
function ruleNameOf(rule: string): string {
  const match = /\/alertRules\/([^/]+)\/?$/i.exec(rule);
  return match?.[1] ?? rule;
}

/**
 * The demo workspace's state: incidents with their alerts, entities, comments and tasks, and the log
 * tables behind the query API. Writes keep the two in step the way Sentinel does (a SecurityIncident
 * row per change), so a KQL question about an incident sees what the REST API shows.
 */
export class DemoStore {
  private readonly incidents: StoredIncident[] = [];
  private readonly tables: LogTables = createLogTables();
  private readonly prng: Prng;

  constructor(private readonly options: DemoStoreOptions) {
    this.prng = createPrng(options.seed ?? 20_240_901);
  }

  get workspace(): WorkspaceRef {
    return this.options.workspace;
  }

  nowIso(): string {
    return this.options.now().toISOString();
  }

  newId(): string {
    return this.prng.guid();
  }

  /** Sentinel-style etag: a quoted GUID-like value whose last group encodes the write time. */
  newEtag(): string {
    const seconds = Math.floor(this.options.now().getTime() / 1000)
      .toString(16)
      .padStart(8, '0');
    return `"${this.prng.hex(8)}-0000-0d00-0000-${seconds}0000"`;
  }

  createIncident(input: IncidentInput, name: string = this.newId()): StoredIncident {
    if (this.getByName(name) !== undefined) throw new Error(`Incident name ${name} is already taken`);
    const now = this.nowIso();
    const createdTimeUtc = input.createdTimeUtc ?? now;
    const number = input.number ?? this.incidents.reduce((max, i) => Math.max(max, i.number), 0) + 1;
    if (this.getByNumber(number) !== undefined) throw new Error(`Incident number ${number} is already taken`);
    const { alerts, entities } = assembleAlertsAndEntities(input, () => this.newId());
    const providerName = input.providerName ?? 'Azure Sentinel';
    const sentinelOwned = providerName === 'Azure Sentinel';
    const incident: StoredIncident = {
      name,
      etag: input.etag ?? this.newEtag(),
      number,
      title: input.title,
      description: input.description,
      severity: input.severity,
      status: input.status ?? 'New',
      classification: input.classification,
      classificationReason: input.classificationReason,
      classificationComment: input.classificationComment,
      owner: resolveOwner(input.owner),
      labels: (input.labels ?? []).map((l) =>
        typeof l === 'string' ? { labelName: l, labelType: 'User' } : { ...l },
      ),
      createdTimeUtc,
      lastModifiedTimeUtc: input.lastModifiedTimeUtc ?? createdTimeUtc,
      closedTimeUtc: input.status === 'Closed' ? (input.lastModifiedTimeUtc ?? createdTimeUtc) : undefined,
      firstActivityTimeUtc: input.firstActivityTimeUtc,
      lastActivityTimeUtc: input.lastActivityTimeUtc,
      providerName,
      providerIncidentId: input.providerIncidentId ?? String(sentinelOwned ? number : 30_000 + number),
      providerIncidentUrl: sentinelOwned
        ? undefined
        : `https://security.microsoft.com/incidents/${input.providerIncidentId ?? 30_000 + number}`,
      relatedAnalyticRuleIds: (input.relatedAnalyticRuleIds ?? []).map((rule) =>
        analyticRuleId(this.workspace, ruleNameOf(rule)),
      ),
      tactics: input.tactics ?? [...new Set(alerts.flatMap((a) => a.tactics))],
      techniques: input.techniques ?? [...new Set(alerts.flatMap((a) => a.techniques))],
      alerts,
      entities,
      comments: [],
      tasks: [],
      bookmarks: (input.bookmarks ?? []).map((b) => ({
        name: b.name ?? this.newId(),
        displayName: b.displayName,
        created: b.createdTimeUtc,
        updated: b.updatedTimeUtc ?? b.createdTimeUtc,
        createdBy: b.createdBy,
        eventTime: b.eventTime,
        query: b.query,
        queryResult: b.queryResult,
        labels: b.labels ?? [],
        etag: this.newEtag(),
      })),
    };
    for (const c of input.comments ?? []) {
      const at = c.createdTimeUtc ?? now;
      incident.comments.push({
        name: c.name ?? this.newId(),
        message: c.message,
        createdTimeUtc: at,
        lastModifiedTimeUtc: c.lastModifiedTimeUtc ?? at,
        author: c.author,
        etag: c.etag ?? this.newEtag().replace(/"/g, ''),
      });
    }
    for (const t of input.tasks ?? []) {
      const task = this.buildTask(t.name ?? this.newId(), t, t.createdBy);
      incident.tasks.push({
        ...task,
        lastModifiedTimeUtc: t.lastModifiedTimeUtc ?? task.lastModifiedTimeUtc,
        lastModifiedBy: t.lastModifiedBy ?? task.lastModifiedBy,
        etag: t.etag ?? task.etag,
      });
    }
    this.incidents.push(incident);
    for (const alert of alerts)
      this.appendLogRow('SecurityAlert', securityAlertRecord(this.workspace, incident, alert));
    this.recordIncidentChange(incident, 'Microsoft Sentinel');
    return incident;
  }

  listIncidents(): StoredIncident[] {
    return [...this.incidents];
  }

  getByNumber(incidentNumber: number): StoredIncident | undefined {
    return this.incidents.find((i) => i.number === incidentNumber);
  }

  getByName(name: string): StoredIncident | undefined {
    return this.incidents.find((i) => sameId(i.name, name));
  }

  updateIncident(name: string, patch: IncidentPatch, actor?: DemoActor): StoredIncident {
    const incident = this.require(name);
    const wasClosed = incident.status === 'Closed';
    const { owner, labels, ...rest } = patch;
    for (const [key, value] of Object.entries(rest)) {
      if (value !== undefined) Object.assign(incident, { [key]: value });
    }
    if (owner !== undefined) incident.owner = resolveOwner(owner);
    if (labels !== undefined) incident.labels = labels.map((labelName) => ({ labelName, labelType: 'User' }));
    incident.etag = this.newEtag();
    incident.lastModifiedTimeUtc = this.nowIso();
    if (incident.status === 'Closed' && !wasClosed) incident.closedTimeUtc = incident.lastModifiedTimeUtc;
    if (incident.status !== 'Closed') incident.closedTimeUtc = undefined;
    this.recordIncidentChange(incident, actor?.name ?? 'Microsoft Sentinel');
    return incident;
  }

  deleteIncident(name: string): boolean {
    const index = this.incidents.findIndex((i) => sameId(i.name, name));
    if (index < 0) return false;
    this.incidents.splice(index, 1);
    return true;
  }

  listComments(incidentName: string): StoredComment[] {
    return [...this.require(incidentName).comments];
  }

  getComment(incidentName: string, commentId: string): StoredComment | undefined {
    return this.require(incidentName).comments.find((c) => sameId(c.name, commentId));
  }

  /** Create or replace; a repeated PUT with the same id updates in place (the bot retries safely). */
  putComment(
    incidentName: string,
    commentId: string,
    message: string,
    author: DemoActor,
  ): { comment: StoredComment; created: boolean } {
    const incident = this.require(incidentName);
    const now = this.nowIso();
    const existing = incident.comments.find((c) => sameId(c.name, commentId));
    const etag = this.newEtag().replace(/"/g, '');
    if (existing !== undefined) {
      Object.assign(existing, { message, lastModifiedTimeUtc: now, etag });
      this.recordIncidentChange(incident, author.name);
      return { comment: existing, created: false };
    }
    const comment: StoredComment = {
      name: commentId,
      message,
      createdTimeUtc: now,
      lastModifiedTimeUtc: now,
      author,
      etag,
    };
    incident.comments.push(comment);
    this.recordIncidentChange(incident, author.name);
    return { comment, created: true };
  }

  deleteComment(incidentName: string, commentId: string): boolean {
    const incident = this.require(incidentName);
    const before = incident.comments.length;
    incident.comments = incident.comments.filter((c) => !sameId(c.name, commentId));
    return incident.comments.length < before;
  }

  listTasks(incidentName: string): StoredTask[] {
    return [...this.require(incidentName).tasks];
  }

  getTask(incidentName: string, taskId: string): StoredTask | undefined {
    return this.require(incidentName).tasks.find((t) => sameId(t.name, taskId));
  }

  putTask(
    incidentName: string,
    taskId: string,
    input: TaskInput,
    actor: DemoActor,
  ): { task: StoredTask; created: boolean } {
    const incident = this.require(incidentName);
    const existing = incident.tasks.find((t) => sameId(t.name, taskId));
    if (existing !== undefined) {
      Object.assign(existing, {
        title: input.title,
        description: input.description ?? existing.description,
        status: input.status ?? existing.status,
        lastModifiedTimeUtc: this.nowIso(),
        lastModifiedBy: actor,
        etag: this.newEtag(),
      });
      this.recordIncidentChange(incident, actor.name);
      return { task: existing, created: false };
    }
    const task = this.buildTask(taskId, input, actor);
    incident.tasks.push(task);
    this.recordIncidentChange(incident, actor.name);
    return { task, created: true };
  }

  deleteTask(incidentName: string, taskId: string): boolean {
    const incident = this.require(incidentName);
    const before = incident.tasks.length;
    incident.tasks = incident.tasks.filter((t) => !sameId(t.name, taskId));
    return incident.tasks.length < before;
  }

  logTables(): LogTables {
    return this.tables;
  }

  appendLogRow(tableName: string, record: LogRecord): void {
    appendLogRow(this.tables, tableName, record, this.workspace.workspaceId);
  }

  private buildTask(taskId: string, input: TaskInput, actor: DemoActor | undefined): StoredTask {
    const at = input.createdTimeUtc ?? this.nowIso();
    const by = actor ?? input.createdBy;
    if (by === undefined) throw new Error(`Task "${input.title}" needs an author`);
    return {
      name: taskId,
      title: input.title,
      description: input.description,
      status: input.status ?? 'New',
      createdTimeUtc: at,
      lastModifiedTimeUtc: at,
      createdBy: by,
      lastModifiedBy: by,
      etag: this.newEtag(),
    };
  }

  private require(name: string): StoredIncident {
    const incident = this.getByName(name);
    if (incident === undefined) throw new Error(`No demo incident named ${name}`);
    return incident;
  }

  private recordIncidentChange(incident: StoredIncident, modifiedBy: string): void {
    this.appendLogRow('SecurityIncident', securityIncidentRecord(this.workspace, incident, modifiedBy));
  }
}
