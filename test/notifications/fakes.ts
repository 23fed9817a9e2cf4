import {
  CardFactory,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MemoryStorage,
  type Attachment,
  type ConversationReference,
  type Storage,
} from 'botbuilder';
import type { Incident, Severity } from '../../src/domain/types';
import type { Clock } from '../../src/notifications/clock';
import {
  startNotifications,
  type NotificationService,
  type NotificationTuning,
} from '../../src/notifications';
import { TeamsMessenger, type ProactiveMessenger } from '../../src/notifications/teamsMessenger';
import type { ListIncidentsOptions, SentinelGateway } from '../../src/sentinel/gateway';
import { makeIncident as baseIncident } from '../support/fakeGateway';

/**
 * Test doubles for the notification pipeline: a Sentinel that supports the poller's createdTimeUtc /
 * lastModifiedTimeUtc filters, incident and conversation-reference factories, and a pipeline wired to
 * a real CloudAdapter posting to a fake Teams connector.
 */

export function incidentName(number: number): string {
  return `00000000-0000-4000-8000-${String(number).padStart(12, '0')}`;
}

/** The shared incident factory, pinned to a creation time the poller's filters can work with. */
export function makeIncident(number: number, createdMs: number, overrides: Partial<Incident> = {}): Incident {
  const iso = new Date(createdMs).toISOString();
  return baseIncident(number, {
    etag: undefined,
    incidentUrl: undefined,
    createdTimeUtc: iso,
    lastModifiedTimeUtc: iso,
    alertsCount: 1,
    ...overrides,
  });
}

/** Only what the notification pipeline reads; anything else fails loudly. */
export class IncidentSource implements SentinelGateway {
  readonly incidents = new Map<string, Incident>();
  listCalls: ListIncidentsOptions[] = [];
  getCalls: string[] = [];
  failGets = 0;

  add(incident: Incident): Incident {
    this.incidents.set(incident.name, incident);
    return incident;
  }

  change(name: string, changes: Partial<Incident>, atMs: number): Incident {
    const current = this.incidents.get(name);
    if (current === undefined) throw new Error(`no incident ${name}`);
    const next = { ...current, ...changes, lastModifiedTimeUtc: new Date(atMs).toISOString() };
    this.incidents.set(name, next);
    return next;
  }

  async listIncidents(options: ListIncidentsOptions = {}): Promise<Incident[]> {
    this.listCalls.push(options);
    const m = /^properties\/(createdTimeUtc|lastModifiedTimeUtc) gt (\S+)$/.exec(options.filter ?? '');
    if (m === null) throw new Error(`unexpected filter ${options.filter}`);
    const field = m[1] as 'createdTimeUtc' | 'lastModifiedTimeUtc';
    const after = Date.parse(m[2]);
    if (options.orderBy !== `properties/${field} asc`)
      throw new Error(`unexpected orderBy ${options.orderBy}`);
    return [...this.incidents.values()]
      .filter((i) => Date.parse(i[field]) > after)
      .sort((a, b) => Date.parse(a[field]) - Date.parse(b[field]))
      .slice(0, options.limit ?? options.top ?? 50);
  }

  async getIncident(name: string): Promise<Incident | undefined> {
    this.getCalls.push(name);
    if (this.failGets > 0) {
      this.failGets--;
      throw new Error('Sentinel unavailable');
    }
    return this.incidents.get(name);
  }

  async getIncidentByNumber(n: number): Promise<Incident | undefined> {
    return [...this.incidents.values()].find((i) => i.number === n);
  }
  listAlerts(): never {
    throw new Error('not used');
  }
  listEntities(): never {
    throw new Error('not used');
  }
  listComments(): never {
    throw new Error('not used');
  }
  createComment(): never {
    throw new Error('not used');
  }
  listTasks(): never {
    throw new Error('not used');
  }
  upsertTask(): never {
    throw new Error('not used');
  }
  updateIncident(): never {
    throw new Error('not used');
  }
  runQuery(): never {
    throw new Error('not used');
  }
  async ping(): Promise<boolean> {
    return true;
  }
}

export function channelRef(
  serviceUrl: string,
  channelConversationId: string,
): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl,
    bot: { id: '28:bot', name: 'Sentinel' },
    user: { id: '29:analyst', name: 'Dana' },
    activityId: 'incoming-1',
    conversation: {
      id: `${channelConversationId};messageid=1700000000000`,
      conversationType: 'channel',
      isGroup: true,
      name: 'SOC',
      tenantId: 'tenant',
    },
  } as Partial<ConversationReference>;
}

/** A minimal incident card: enough to see which incident and which state a post or update shows. */
export function testCard(incident: Incident): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    version: '1.5',
    body: [
      {
        type: 'TextBlock',
        text: `#${incident.number} ${incident.severity} ${incident.status} ${incident.title}`,
      },
    ],
  });
}

/** "#12 High New Incident 12" back from a recorded post or update. */
export function cardLine(activity: { attachments?: Attachment[] }): string {
  const content = activity.attachments?.[0]?.content as { body?: { text?: string }[] } | undefined;
  return content?.body?.[0]?.text ?? '';
}

export function cardNumber(activity: { attachments?: Attachment[] }): number {
  return Number(/^#(\d+)/.exec(cardLine(activity))?.[1] ?? NaN);
}

export interface TestPipeline {
  service: NotificationService;
  storage: Storage;
  threads: { conversationId: string; activityId: string; incidentNumber: number }[];
}

export function startTestPipeline(options: {
  sentinel: SentinelGateway;
  clock: Clock;
  storage?: Storage;
  messenger?: ProactiveMessenger;
  digestThreshold?: number;
  pollIntervalSeconds?: number;
  tuning?: NotificationTuning;
}): TestPipeline {
  const storage = options.storage ?? new MemoryStorage();
  const threads: TestPipeline['threads'] = [];
  const service = startNotifications({
    sentinel: options.sentinel,
    storage,
    messenger: options.messenger ?? new TeamsMessenger(localAdapter(), ''),
    renderIncidentCard: testCard,
    incidentContext: {
      setForThread: async (conversationId, activityId, incidentNumber) => {
        threads.push({ conversationId, activityId, incidentNumber });
      },
    },
    pollIntervalSeconds: options.pollIntervalSeconds ?? 0,
    digestThreshold: options.digestThreshold ?? 10,
    clock: options.clock,
    tuning: { batchWindowMs: 100, random: () => 0.5, ...options.tuning },
  });
  return { service, storage, threads };
}

export const SEVERITY_ORDER: Severity[] = ['High', 'Medium', 'Low', 'Informational'];

/** A CloudAdapter without bot credentials, as the bot runs locally (no token on outgoing calls). */
export function localAdapter(): CloudAdapter {
  return new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
}
