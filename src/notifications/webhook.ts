import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Request, Response, Server } from 'restify';
import { getLogger } from '../logger';
import { isIncidentName } from './intake';

const log = getLogger('notifications.webhook');

export const INCIDENT_WEBHOOK_PATH = '/api/incidents';
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

export interface IncidentWebhookDeps {
  /** INCIDENT_WEBHOOK_SECRET; without it the route is not registered. */
  secret: string | undefined;
  /** Durably queues "look at this incident"; resolves once stored. */
  notifyIncident: (incidentName: string) => Promise<void>;
  maxBodyBytes?: number;
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Equal-length digests, so neither the comparison time nor an early length check leaks the secret. */
export function bearerMatches(header: string | undefined, secret: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const given = createHash('sha256')
    .update(match?.[1] ?? '')
    .digest();
  const expected = createHash('sha256').update(secret).digest();
  return timingSafeEqual(given, expected) && match !== null;
}

function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
}

function nameFromResource(resource: unknown): string | undefined {
  const name = field(resource, 'name');
  if (isIncidentName(name)) return name;
  const id = field(resource, 'id');
  if (typeof id !== 'string') return undefined;
  const fromId = /\/incidents\/([^/?#]+)\/?$/i.exec(id)?.[1];
  return isIncidentName(fromId) ? fromId : undefined;
}

/**
 * The incident's ARM name from either shape Sentinel sends: the Logic Apps incident-trigger payload
 * (`{ object: { id, name?, properties } , ... }`) or a plain ARM incident resource (`{ id, name, ... }`).
 * Only the name is used; what is shown is re-read from Sentinel.
 */
export function incidentNameFromBody(body: unknown): string | undefined {
  const trigger = field(body, 'object');
  if (trigger !== undefined) return nameFromResource(trigger);
  return nameFromResource(body);
}

function readLimited(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      reject(new HttpProblem(413, `body is larger than ${max} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        chunks.length = 0;
        reject(new HttpProblem(413, `body is larger than ${max} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/**
 * The body, read with the size cap. If a server-wide body parser already consumed the stream (it
 * should not for this route), fall back to what it parsed rather than wait for an 'end' that has passed.
 */
async function rawBody(req: Request, max: number): Promise<Buffer> {
  if (!req.readableEnded) return readLimited(req, max);
  const parsed: unknown = field(req, 'body');
  const raw = Buffer.isBuffer(parsed)
    ? parsed
    : Buffer.from(typeof parsed === 'string' ? parsed : JSON.stringify(parsed ?? null));
  if (raw.length > max) throw new HttpProblem(413, `body is larger than ${max} bytes`);
  return raw;
}

/** Stops reading a request we are refusing: discard (never buffer) what is left and close afterwards. */
function discardRest(req: IncomingMessage, res: Response): void {
  res.header('Connection', 'close');
  req.removeAllListeners('data');
  req.resume();
  const timer = setTimeout(() => req.socket.destroy(), 5_000);
  timer.unref();
  req.once('end', () => clearTimeout(timer));
}

async function handle(req: Request, res: Response, deps: IncidentWebhookDeps, secret: string): Promise<void> {
  if (!bearerMatches(req.headers.authorization, secret)) {
    discardRest(req, res);
    res.send(401, { error: 'missing or wrong bearer token' });
    return;
  }
  let body: unknown;
  try {
    const raw = await rawBody(req, deps.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES);
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpProblem(400, 'body is not valid JSON');
    }
  } catch (err) {
    const problem = err instanceof HttpProblem ? err : new HttpProblem(400, 'could not read the body');
    if (problem.status === 413) discardRest(req, res);
    res.send(problem.status, { error: problem.message });
    return;
  }
  const incidentName = incidentNameFromBody(body);
  if (incidentName === undefined) {
    res.send(400, {
      error:
        'no incident in the body: expected the Sentinel incident trigger payload {"object":{"id","name",...}} ' +
        'or an ARM incident resource {"id","name",...} with the incident name (a GUID)',
    });
    return;
  }
  try {
    await deps.notifyIncident(incidentName);
  } catch (err) {
    log.error({ err, incidentName }, 'could not queue the incident notification');
    res.send(503, { error: 'could not queue the notification; retry later' });
    return;
  }
  res.send(202, { accepted: true, incidentName });
}

/**
 * POST /api/incidents for a Sentinel automation rule's playbook (Logic App HTTP action). Authenticated
 * by a shared bearer secret; answers 202 once the notification is durably queued.
 */
export function registerIncidentWebhook(server: Server, deps: IncidentWebhookDeps): boolean {
  const secret = deps.secret;
  if (secret === undefined || secret === '') {
    log.info(
      'INCIDENT_WEBHOOK_SECRET not set: the incident webhook is off (the poller still finds new incidents)',
    );
    return false;
  }
  server.post(INCIDENT_WEBHOOK_PATH, async (req: Request, res: Response) => {
    try {
      await handle(req, res, deps, secret);
    } catch (err) {
      log.error({ err }, 'incident webhook failed');
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    }
  });
  return true;
}
