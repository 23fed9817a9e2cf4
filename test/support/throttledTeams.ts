import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import type { Clock } from '../../src/notifications/clock';

/**
 * A fake Bot Connector (the Teams serviceUrl) that ENFORCES Teams' rate limits: per bot per
 * conversation 7/1 s, 8/2 s, 60/30 s, 1,800/h and ~30/s per app, answering 429 with Retry-After (whole
 * seconds of its clock) when a request would exceed them. It records every post and update, and can
 * answer 403/404 for conversations the bot was removed from.
 *
 * Its limit bookkeeping is written independently of src/notifications/rateLimiter.ts on purpose, so a
 * bug there shows up as 429s here instead of being mirrored.
 */
export interface Window {
  limit: number;
  windowMs: number;
}

export const TEAMS_LIMITS: Window[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
];
export const APP_LIMITS: Window[] = [{ limit: 30, windowMs: 1_000 }];

export interface RecordedPost {
  conversationId: string;
  activityId: string;
  replyToId?: string;
  activity: Partial<Activity>;
  at: number;
}

export interface RecordedUpdate {
  conversationId: string;
  activityId: string;
  activity: Partial<Activity>;
  at: number;
}

export interface ThrottledTeamsOptions {
  clock?: Clock;
  conversationLimits?: Window[];
  appLimits?: Window[];
}

const systemNow: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export class ThrottledTeams {
  readonly posts: RecordedPost[] = [];
  readonly updates: RecordedUpdate[] = [];
  /** Every request answered 429. */
  throttled = 0;
  /** Requests answered 403/404 because the conversation is forbidden. */
  refused = 0;
  private readonly forbidden = new Map<string, number>();
  private readonly history = new Map<string, number[]>();
  private readonly clock: Clock;
  private readonly conversationLimits: Window[];
  private readonly appLimits: Window[];
  private nextId = 1;
  private server: Server | undefined;
  serviceUrl = '';

  private constructor(options: ThrottledTeamsOptions) {
    this.clock = options.clock ?? systemNow;
    this.conversationLimits = options.conversationLimits ?? TEAMS_LIMITS;
    this.appLimits = options.appLimits ?? APP_LIMITS;
  }

  static async start(options: ThrottledTeamsOptions = {}): Promise<ThrottledTeams> {
    const teams = new ThrottledTeams(options);
    const server = createServer((req, res) => {
      teams.handle(req, res).catch((err: unknown) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: String(err) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    teams.server = server;
    teams.serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return teams;
  }

  /** From now on the bot gets `status` (403: removed from the team, 404: conversation gone). */
  forbid(conversationId: string, status = 403): void {
    this.forbidden.set(conversationId, status);
  }

  postsTo(conversationId: string): RecordedPost[] {
    return this.posts.filter((p) => p.conversationId === conversationId);
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Ms until a request on `key` fits every window, 0 if it fits now. */
  private waitFor(key: string, windows: Window[], now: number): number {
    const times = (this.history.get(key) ?? []).filter((t) => t > now - 3_600_000);
    this.history.set(key, times);
    let wait = 0;
    for (const w of windows) {
      const inWindow = times.filter((t) => t > now - w.windowMs);
      if (inWindow.length >= w.limit)
        wait = Math.max(wait, inWindow[inWindow.length - w.limit] + w.windowMs - now);
    }
    return wait;
  }

  private admit(conversationId: string, res: ServerResponse): boolean {
    const now = this.clock.now();
    const convKey = `conv:${conversationId.split(';messageid=')[0]}`;
    const wait = Math.max(
      this.waitFor(convKey, this.conversationLimits, now),
      this.waitFor('app', this.appLimits, now),
    );
    if (wait > 0) {
      this.throttled++;
      res.writeHead(429, {
        'content-type': 'application/json',
        'retry-after': String(Math.max(1, Math.ceil(wait / 1000))),
      });
      res.end(JSON.stringify({ error: { code: 'TooManyRequests', message: 'slow down' } }));
      return false;
    }
    for (const key of [convKey, 'app']) this.history.set(key, [...(this.history.get(key) ?? []), now]);
    return true;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body =
      chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<Activity>) : {};
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?\/?$/.exec(
      (req.url ?? '').split('?')[0],
    );
    if (match === null) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NotFound', message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const conversationId = decodeURIComponent(match[1]);
    const activityId = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    const refusal = this.forbidden.get(conversationId.split(';messageid=')[0]);
    if (refusal !== undefined) {
      this.refused++;
      res.writeHead(refusal, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            code: refusal === 403 ? 'BotNotInConversationRoster' : 'ConversationNotFound',
            message: 'no',
          },
        }),
      );
      return;
    }
    if (!this.admit(conversationId, res)) return;
    const at = this.clock.now();
    if (req.method === 'PUT' && activityId !== undefined) {
      if (!this.posts.some((p) => p.activityId === activityId)) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'ActivityNotFound', message: activityId } }));
        return;
      }
      this.updates.push({ conversationId, activityId, activity: body, at });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: activityId }));
      return;
    }
    if (req.method === 'POST') {
      const id = `activity-${this.nextId++}`;
      this.posts.push({ conversationId, activityId: id, replyToId: activityId, activity: body, at });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id }));
      return;
    }
    res.writeHead(405);
    res.end();
  }
}
