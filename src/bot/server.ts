import type { AddressInfo } from 'node:net';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import { type Request as BotRequest, type Response as BotResponse, type TurnContext } from 'botbuilder';
import restify from 'restify';
import type { AppConfig } from '../config';
import { getLogger } from '../logger';
import type { SentinelGateway } from '../sentinel/gateway';
import { replyWithText, type BotApp } from './app';
import { checkInboundHeaders, checkServiceUrl, type InboundProblem } from './inboundGuard';
import { SentinelHealth } from './sentinelHealth';
import { limitReplyText, TurnGate, type Admission } from './turnGate';

const log = getLogger('bot.server');

/** Teams activities are small; a card invoke with form data is a few KB. Bigger is abuse or a bug. */
export const MAX_ACTIVITY_BYTES = 512 * 1024;

export interface StartServerOptions {
  config: AppConfig;
  adapter: TeamsAdapter;
  app: BotApp;
  gateway: SentinelGateway;
  /** More routes (e.g. the incident webhook); each route brings its own body parser and auth. */
  extraRoutes?: (server: restify.Server) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface HealthReport {
  status: 'ok';
  mode: 'demo' | 'real';
  version: string;
  sentinel: 'reachable' | 'unreachable';
}

/**
 * Serves POST /api/messages (the Bot Connector endpoint) and GET /healthz. Port 0 picks a free port.
 * Every request to /api/messages passes the inbound checks (inboundGuard.ts) before its body is read;
 * authenticated activities then pass the turn gate (per-user rate limit, one turn at a time per
 * conversation) before the app sees them.
 */
export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const { config, adapter, app } = opts;
  const local = config.bot === undefined;
  const gate = new TurnGate({ perUserPerMinute: config.limits.userMessagesPerMinute });
  const health = new SentinelHealth(opts.gateway);
  const server = restify.createServer({ name: 'sentinel-teams-bot', handleUncaughtExceptions: false });

  const refuse = (res: restify.Response, problem: InboundProblem): void => {
    res.header('Connection', 'close');
    res.send(problem.status, { error: problem.error });
  };

  server.post(
    '/api/messages',
    (req: restify.Request, res: restify.Response, next: restify.Next) => {
      const problem = checkInboundHeaders(req.headers, local);
      if (!problem) return next();
      log.warn({ status: problem.status, error: problem.error }, 'refused a request to /api/messages');
      req.resume();
      refuse(res, problem);
      return next(false);
    },
    restify.plugins.bodyParser({ maxBodySize: MAX_ACTIVITY_BYTES, mapParams: false, mapFiles: false }),
    async (req: restify.Request, res: restify.Response) => {
      const problem = checkServiceUrl(req.body, local);
      if (problem) {
        log.warn({ error: problem.error }, 'refused an activity in local mode');
        refuse(res, problem);
        return;
      }
      await processActivity(req, res, adapter, async (context) => {
        const admission = gate.admit(context.activity);
        if (!admission.admitted) {
          await sendLimitReply(context, admission);
          return;
        }
        await gate.serialise(context.activity, () => app.run(context));
      });
    },
  );

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    const report: HealthReport = {
      status: 'ok',
      mode: config.sentinel.mode,
      version: config.version,
      sentinel: (await health.reachable()) ? 'reachable' : 'unreachable',
    };
    res.send(200, report);
  });

  opts.extraRoutes?.(server);

  // Without a bot identity inbound auth is off, so never listen beyond loopback whatever config says.
  const host = config.bot ? config.host : '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  void health.reachable();
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeAllConnections();
      }),
  };
}

/**
 * Runs the adapter on one request. The adapter answers 401 for a refused token but 500 with the
 * library's error text for anything that fails inside authentication (a key fetch, a malformed token);
 * nothing of that reaches the caller: a failure before the turn started is a 401, any other a plain 500.
 */
async function processActivity(
  req: restify.Request,
  res: restify.Response,
  adapter: TeamsAdapter,
  logic: (context: TurnContext) => Promise<void>,
): Promise<void> {
  let turnStarted = false;
  const answer = { status: 200, body: undefined as unknown };
  const shim = {
    status(code: number) {
      answer.status = code;
      return shim;
    },
    send(body?: unknown) {
      answer.body = body;
      return shim;
    },
    end() {
      return shim;
    },
    header() {
      return shim;
    },
  };
  try {
    await adapter.process(req as unknown as BotRequest, shim as unknown as BotResponse, async (context) => {
      turnStarted = true;
      await logic(context);
    });
  } catch (e) {
    // The adapter throws for bodies that are not activities; the caller gets a 400, we keep running.
    log.warn({ err: e }, 'rejected a malformed request to /api/messages');
    if (!res.headersSent) res.send(400, { error: 'Request body is not a valid Bot Framework activity' });
    return;
  }
  if (answer.status === 401 || (answer.status >= 500 && !turnStarted)) {
    res.send(401, { error: 'unauthorized' });
  } else if (answer.status >= 500) {
    res.send(500, { error: 'internal error' });
  } else if (answer.status === 400 && !turnStarted) {
    res.send(400, { error: 'Request body is not a valid Bot Framework activity' });
  } else {
    res.send(answer.status, answer.body);
  }
}

async function sendLimitReply(
  context: TurnContext,
  admission: Extract<Admission, { admitted: false }>,
): Promise<void> {
  try {
    await replyWithText(context, limitReplyText(admission));
  } catch (err) {
    // Teams may throttle a burst of these; a lost "slow down" must not turn into a turn error.
    log.debug({ err }, 'could not send the rate-limit reply');
  }
}
