import type {
  Alert,
  Entity,
  Incident,
  IncidentComment,
  IncidentTask,
  IncidentUpdate,
  QueryResult,
} from '../../src/domain/types';
import { SentinelError } from '../../src/sentinel/errors';
import type {
  ListIncidentsOptions,
  QueryOptions,
  SentinelGateway,
  TaskInput,
} from '../../src/sentinel/gateway';

/**
 * An in-memory SentinelGateway for unit tests: a few seeded incidents with alerts, entities, comments
 * and tasks; etag-checked updates like Sentinel's; and `failNext` to script Sentinel errors.
 *
 *   const gateway = new FakeGateway();
 *   gateway.failNext('listIncidents', new SentinelError('Throttled', 'busy', 429, undefined, 20_000));
 */
type Method = keyof SentinelGateway;

const WS_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/soc-demo/providers/Microsoft.OperationalInsights/workspaces/soc-demo-ws';

let etagCounter = 0;
function nextEtag(): string {
  etagCounter += 1;
  return `"fake-${etagCounter}"`;
}

function minutesAgo(n: number, from = Date.now()): string {
  return new Date(from - n * 60_000).toISOString();
}

export function makeIncident(number: number, overrides: Partial<Incident> = {}): Incident {
  const name = `00000000-0000-4000-8000-${String(number).padStart(12, '0')}`;
  return {
    name,
    id: `${WS_ID}/providers/Microsoft.SecurityInsights/Incidents/${name}`,
    etag: nextEtag(),
    number,
    title: `Incident ${number}`,
    description: '',
    severity: 'Medium',
    status: 'New',
    owner: {},
    createdTimeUtc: minutesAgo(number * 10),
    lastModifiedTimeUtc: minutesAgo(number * 5),
    tactics: [],
    techniques: [],
    alertProductNames: [],
    alertsCount: 0,
    bookmarksCount: 0,
    commentsCount: 0,
    labels: [],
    incidentUrl: `https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident${WS_ID}/providers/Microsoft.SecurityInsights/Incidents/${name}`,
    ...overrides,
  };
}

export interface FakeSeed {
  incidents: Incident[];
  alerts: Record<string, Alert[]>;
  entities: Record<string, Entity[]>;
  comments: Record<string, IncidentComment[]>;
  tasks: Record<string, IncidentTask[]>;
}

export function defaultSeed(): FakeSeed {
  const i1 = makeIncident(1, {
    title: 'Multiple failed sign-ins followed by success for alice@contoso.com',
    description: 'Password spray from 203.0.113.7 against 14 accounts; one succeeded.',
    severity: 'High',
    status: 'New',
    tactics: ['CredentialAccess', 'InitialAccess'],
    techniques: ['T1110', 'T1078'],
    alertProductNames: ['Azure Active Directory Identity Protection'],
    alertsCount: 2,
    providerName: 'Microsoft XDR',
    providerIncidentUrl: 'https://security.microsoft.com/incidents/101?tid=contoso',
  });
  const i2 = makeIncident(2, {
    title: 'Suspicious PowerShell on WS-042',
    description: 'Encoded command downloading a payload.',
    severity: 'Medium',
    status: 'Active',
    owner: { assignedTo: 'Dana Ruiz', userPrincipalName: 'dana@contoso.com' },
    tactics: ['Execution'],
    techniques: ['T1059'],
    alertProductNames: ['Microsoft Defender for Endpoint'],
    alertsCount: 1,
  });
  const i3 = makeIncident(3, { title: 'Rare outbound port from db01', severity: 'Low', status: 'New' });
  const i4 = makeIncident(4, { title: 'Heartbeat gap on syslog collector', severity: 'Informational' });
  const i5 = makeIncident(5, { title: 'Old closed phishing case', severity: 'High', status: 'Closed' });
  return {
    incidents: [i1, i2, i3, i4, i5],
    alerts: {
      [i1.name]: [
        fakeAlert('a1', 'Password spray', 'Azure Active Directory Identity Protection'),
        fakeAlert('a2', 'Unfamiliar sign-in properties', 'Azure Active Directory Identity Protection'),
      ],
      [i2.name]: [fakeAlert('a3', 'Suspicious PowerShell command line', 'Microsoft Defender for Endpoint')],
    },
    entities: {
      [i1.name]: [
        {
          id: 'e1',
          kind: 'Account',
          friendlyName: 'alice@contoso.com',
          properties: { accountName: 'alice' },
        },
        { id: 'e2', kind: 'Ip', friendlyName: '203.0.113.7', properties: { address: '203.0.113.7' } },
      ],
      [i2.name]: [{ id: 'e3', kind: 'Host', friendlyName: 'WS-042', properties: { hostName: 'WS-042' } }],
    },
    comments: {
      [i2.name]: [
        {
          name: 'c1',
          message: 'Looking into it',
          createdTimeUtc: minutesAgo(30),
          author: { name: 'Dana Ruiz' },
        },
      ],
    },
    tasks: {
      [i2.name]: [{ name: 't1', title: 'Isolate WS-042', status: 'New', createdTimeUtc: minutesAgo(20) }],
    },
  };
}

function fakeAlert(name: string, displayName: string, productName: string): Alert {
  return {
    name,
    id: `${WS_ID}/providers/Microsoft.SecurityInsights/Entities/${name}`,
    displayName,
    description: '',
    severity: 'Medium',
    status: 'New',
    productName,
    tactics: [],
    techniques: [],
    remediationSteps: [],
  };
}

export class FakeGateway implements SentinelGateway {
  readonly incidents: Incident[];
  readonly alerts: Record<string, Alert[]>;
  readonly entities: Record<string, Entity[]>;
  readonly comments: Record<string, IncidentComment[]>;
  readonly tasks: Record<string, IncidentTask[]>;
  /** Every call, in order, for assertions like "the bot listed open incidents newest first". */
  readonly calls: { method: Method; args: unknown[] }[] = [];
  reachable = true;
  private readonly failures: { method: Method | '*'; error: Error; remaining: number }[] = [];

  constructor(seed: FakeSeed = defaultSeed()) {
    this.incidents = seed.incidents;
    this.alerts = seed.alerts;
    this.entities = seed.entities;
    this.comments = seed.comments;
    this.tasks = seed.tasks;
  }

  /** The next `times` calls to `method` ('*' = any method except ping) throw `error`. */
  failNext(method: Method | '*', error: Error, times = 1): this {
    this.failures.push({ method, error, remaining: times });
    return this;
  }

  addIncident(overrides: Partial<Incident> = {}): Incident {
    const number = Math.max(0, ...this.incidents.map((i) => i.number)) + 1;
    const incident = makeIncident(number, { createdTimeUtc: new Date().toISOString(), ...overrides });
    this.incidents.push(incident);
    return incident;
  }

  async listIncidents(options: ListIncidentsOptions = {}): Promise<Incident[]> {
    this.record('listIncidents', [options]);
    let list = [...this.incidents];
    const filter = options.filter ?? '';
    const ne = /properties\/status ne '(\w+)'/.exec(filter);
    if (ne) list = list.filter((i) => i.status !== ne[1]);
    const eq = /properties\/status eq '(\w+)'/.exec(filter);
    if (eq) list = list.filter((i) => i.status === eq[1]);
    if (/createdTimeUtc desc/.test(options.orderBy ?? '')) {
      list.sort((a, b) => Date.parse(b.createdTimeUtc) - Date.parse(a.createdTimeUtc));
    }
    const cap = options.limit ?? options.top;
    return structuredClone(cap === undefined ? list : list.slice(0, cap));
  }

  async getIncidentByNumber(incidentNumber: number): Promise<Incident | undefined> {
    this.record('getIncidentByNumber', [incidentNumber]);
    const found = this.incidents.find((i) => i.number === incidentNumber);
    return found && structuredClone(found);
  }

  async getIncident(incidentName: string): Promise<Incident | undefined> {
    this.record('getIncident', [incidentName]);
    const found = this.incidents.find((i) => i.name === incidentName);
    return found && structuredClone(found);
  }

  async listAlerts(incidentName: string): Promise<Alert[]> {
    this.record('listAlerts', [incidentName]);
    this.mustExist(incidentName);
    return structuredClone(this.alerts[incidentName] ?? []);
  }

  async listEntities(incidentName: string): Promise<Entity[]> {
    this.record('listEntities', [incidentName]);
    this.mustExist(incidentName);
    return structuredClone(this.entities[incidentName] ?? []);
  }

  async listComments(incidentName: string): Promise<IncidentComment[]> {
    this.record('listComments', [incidentName]);
    this.mustExist(incidentName);
    return structuredClone(this.comments[incidentName] ?? []);
  }

  async createComment(incidentName: string, commentId: string, message: string): Promise<IncidentComment> {
    this.record('createComment', [incidentName, commentId, message]);
    const incident = this.mustExist(incidentName);
    const list = (this.comments[incidentName] ??= []);
    const existing = list.find((c) => c.name === commentId);
    if (existing) return structuredClone(existing);
    const comment: IncidentComment = {
      name: commentId,
      message,
      createdTimeUtc: new Date().toISOString(),
      author: { name: 'Sentinel bot' },
      etag: nextEtag(),
    };
    list.push(comment);
    incident.commentsCount = list.length;
    return structuredClone(comment);
  }

  async listTasks(incidentName: string): Promise<IncidentTask[]> {
    this.record('listTasks', [incidentName]);
    this.mustExist(incidentName);
    return structuredClone(this.tasks[incidentName] ?? []);
  }

  async upsertTask(incidentName: string, taskId: string, task: TaskInput): Promise<IncidentTask> {
    this.record('upsertTask', [incidentName, taskId, task]);
    this.mustExist(incidentName);
    const list = (this.tasks[incidentName] ??= []);
    const now = new Date().toISOString();
    const existing = list.find((t) => t.name === taskId);
    const next: IncidentTask = {
      name: taskId,
      title: task.title,
      description: task.description,
      status: task.status ?? existing?.status ?? 'New',
      createdTimeUtc: existing?.createdTimeUtc ?? now,
      lastModifiedTimeUtc: now,
      etag: nextEtag(),
    };
    if (existing) list.splice(list.indexOf(existing), 1, next);
    else list.push(next);
    return structuredClone(next);
  }

  async updateIncident(incident: Incident, update: IncidentUpdate): Promise<Incident> {
    this.record('updateIncident', [incident, update]);
    const current = this.mustExist(incident.name);
    if (incident.etag !== undefined && incident.etag !== current.etag) {
      throw new SentinelError(
        'PreconditionFailed',
        `Incident #${current.number} changed since it was read`,
        412,
      );
    }
    Object.assign(current, update, { etag: nextEtag(), lastModifiedTimeUtc: new Date().toISOString() });
    return structuredClone(current);
  }

  async runQuery(query: string, options?: QueryOptions): Promise<QueryResult> {
    this.record('runQuery', [query, options]);
    return { status: 'Success', tables: [{ name: 'PrimaryResult', columns: [], rows: [] }] };
  }

  async ping(): Promise<boolean> {
    this.calls.push({ method: 'ping', args: [] });
    return this.reachable;
  }

  private record(method: Method, args: unknown[]): void {
    this.calls.push({ method, args });
    const failure = this.failures.find((f) => f.remaining > 0 && (f.method === method || f.method === '*'));
    if (failure) {
      failure.remaining -= 1;
      throw failure.error;
    }
  }

  private mustExist(incidentName: string): Incident {
    const found = this.incidents.find((i) => i.name === incidentName);
    if (!found) throw new SentinelError('NotFound', `No incident ${incidentName}`, 404);
    return found;
  }
}
