import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import {
  conversationUpdate,
  DEFAULT_BOT,
  DEFAULT_USER,
  invoke,
  message,
  submit,
  type FactoryOptions,
  type Identity,
  type TeamsActivity,
} from './teamsActivities';

export * from './teamsActivities';

/**
 * A fake Microsoft Teams for integration tests.
 *
 * `startFakeTeams()` runs a local HTTP server that plays the Bot Connector service (`serviceUrl`): it
 * records everything the bot sends (messages, replies, card updates, proactive conversations, typing)
 * and hands out activity ids. The activity factories build what Teams posts to the bot, with
 * `serviceUrl` pointing at that server, so the bot's replies come back here.
 *
 *   const teams = await startFakeTeams();
 *   const { status } = await postActivity(botUrl, teams.message('incident 1', { conversationType: 'channel' }));
 *   const reply = await teams.waitFor((a) => a.activity.attachments !== undefined);
 */

export type RecordedKind = 'send' | 'reply' | 'update' | 'delete' | 'createConversation';

export interface RecordedActivity {
  kind: RecordedKind;
  /** Conversation id from the URL path (decoded); for createConversation, the new conversation's id. */
  conversationId: string;
  /** The id Fake Teams gave this activity (send/reply/create), or the one being updated/deleted. */
  activityId: string;
  /** For replies: the activity replied to (from the URL). */
  replyToId?: string;
  /** The request body as the bot sent it. */
  activity: Partial<Activity>;
  /** For createConversation: the ConversationParameters body. */
  parameters?: Record<string, unknown>;
  at: number;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeTeams {
  url: string;
  /** Messages the bot sent or replied with (typing excluded), in order. */
  readonly activities: RecordedActivity[];
  /** Typing indicators, kept apart so tests about answers are not tripped by them. */
  readonly typing: RecordedActivity[];
  /** Card/message updates (PUT). */
  readonly updates: RecordedActivity[];
  readonly deletes: RecordedActivity[];
  /** Proactive conversations created (POST /v3/conversations). */
  readonly createdConversations: RecordedActivity[];
  /** Every request as received, including scripted failures (method, path, status). */
  readonly requests: { method: string; path: string; status: number }[];
  /** Resolves with the first recorded entry (sent, reply, update, create) matching, waiting for it if need be. */
  waitFor(predicate: (a: RecordedActivity) => boolean, timeoutMs?: number): Promise<RecordedActivity>;
  /** The next `times` requests get this response instead of being recorded (e.g. 429 + Retry-After). */
  failNext(response: ScriptedResponse, times?: number): void;
  /** Forget everything recorded so far. */
  clear(): void;
  message(text: string, opts?: FactoryOptions): TeamsActivity;
  invoke(verb: string, data: Record<string, unknown>, opts?: FactoryOptions): TeamsActivity;
  submit(data: Record<string, unknown>, opts?: FactoryOptions): TeamsActivity;
  conversationUpdate(
    opts?: FactoryOptions & { membersAdded?: Identity[]; membersRemoved?: Identity[] },
  ): TeamsActivity;
  close(): Promise<void>;
}

export async function startFakeTeams(options: { bot?: Identity } = {}): Promise<FakeTeams> {
  const activities: RecordedActivity[] = [];
  const typing: RecordedActivity[] = [];
  const updates: RecordedActivity[] = [];
  const deletes: RecordedActivity[] = [];
  const createdConversations: RecordedActivity[] = [];
  const requests: { method: string; path: string; status: number }[] = [];
  const scripted: { response: ScriptedResponse; remaining: number }[] = [];
  const waiters: { predicate: (a: RecordedActivity) => boolean; resolve: (a: RecordedActivity) => void }[] =
    [];
  let counter = 0;
  const nextId = () => `fake-${++counter}-${randomUUID().slice(0, 8)}`;

  const record = (list: RecordedActivity[], entry: RecordedActivity) => {
    list.push(entry);
    if (list === typing) return;
    for (const w of [...waiters]) {
      if (w.predicate(entry)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(entry);
      }
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0];
    const raw = await readBody(req);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      requests.push({ method, path, status });
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };

    const script = scripted.find((s) => s.remaining > 0);
    if (script) {
      script.remaining -= 1;
      send(
        script.response.status,
        script.response.body ?? { error: { code: 'Scripted', message: 'scripted' } },
        script.response.headers,
      );
      return;
    }

    let body: Record<string, unknown> = {};
    try {
      body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
    } catch {
      send(400, { error: { code: 'BadSyntax', message: 'body is not JSON' } });
      return;
    }
    const parts = path
      .split('/')
      .filter((p) => p.length > 0)
      .map(decodeURIComponent);
    const at = Date.now();

    if (parts[0] === 'v3' && parts[1] === 'conversations') {
      if (parts.length === 2 && method === 'POST') {
        const conversationId = `a:proactive-${nextId()}`;
        const activityId = nextId();
        const activity = (body.activity ?? {}) as Partial<Activity>;
        record(createdConversations, {
          kind: 'createConversation',
          conversationId,
          activityId,
          activity,
          parameters: body,
          at,
        });
        if (body.activity) record(activities, { kind: 'send', conversationId, activityId, activity, at });
        send(201, { id: conversationId, activityId, serviceUrl: `http://${req.headers.host}` });
        return;
      }
      const conversationId = parts[2] ?? '';
      if (parts[3] === 'activities') {
        const activity = body as Partial<Activity>;
        if (parts.length === 4 && method === 'POST') {
          const activityId = nextId();
          record(activity.type === 'typing' ? typing : activities, {
            kind: 'send',
            conversationId,
            activityId,
            activity,
            at,
          });
          send(200, { id: activityId });
          return;
        }
        const targetId = parts[4] ?? '';
        if (parts.length === 5 && method === 'POST') {
          const activityId = nextId();
          const entry: RecordedActivity = {
            kind: 'reply',
            conversationId,
            activityId,
            replyToId: targetId,
            activity,
            at,
          };
          record(activity.type === 'typing' ? typing : activities, entry);
          send(200, { id: activityId });
          return;
        }
        if (parts.length === 5 && method === 'PUT') {
          record(updates, { kind: 'update', conversationId, activityId: targetId, activity, at });
          send(200, { id: targetId });
          return;
        }
        if (parts.length === 5 && method === 'DELETE') {
          record(deletes, { kind: 'delete', conversationId, activityId: targetId, activity: {}, at });
          send(200);
          return;
        }
      }
      if (parts[3] === 'members' && method === 'GET') {
        const user = { id: DEFAULT_USER.id, name: DEFAULT_USER.name, aadObjectId: DEFAULT_USER.aadObjectId };
        send(200, parts.length === 4 ? [user] : user);
        return;
      }
      if (parts[3] === 'pagedmembers' && method === 'GET') {
        send(200, {
          members: [{ id: DEFAULT_USER.id, name: DEFAULT_USER.name, aadObjectId: DEFAULT_USER.aadObjectId }],
        });
        return;
      }
    }
    send(404, { error: { code: 'NotFound', message: `Fake Teams does not implement ${method} ${path}` } });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const bot = options.bot ?? DEFAULT_BOT;
  const all = () => [...activities, ...updates, ...createdConversations].sort((a, b) => a.at - b.at);

  return {
    url,
    activities,
    typing,
    updates,
    deletes,
    createdConversations,
    requests,
    waitFor(predicate, timeoutMs = 5000) {
      const existing = all().find(predicate);
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (a: RecordedActivity) => {
            clearTimeout(timer);
            resolve(a);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          const seen = all().map(
            (a) => `${a.kind} ${a.activity.type ?? ''}: ${String(a.activity.text ?? '').slice(0, 80)}`,
          );
          reject(
            new Error(
              `fake Teams: nothing matched within ${timeoutMs} ms; recorded:\n${seen.join('\n') || '(nothing)'}`,
            ),
          );
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    failNext(response, times = 1) {
      scripted.push({ response, remaining: times });
    },
    clear() {
      for (const list of [activities, typing, updates, deletes, createdConversations]) list.length = 0;
      requests.length = 0;
    },
    message: (text, opts = {}) => message(text, { bot, ...opts, serviceUrl: url }),
    invoke: (verb, data, opts = {}) => invoke(verb, data, { bot, ...opts, serviceUrl: url }),
    submit: (data, opts = {}) => submit(data, { bot, ...opts, serviceUrl: url }),
    conversationUpdate: (opts = {}) => conversationUpdate({ bot, ...opts, serviceUrl: url }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
