import type { AddressInfo } from 'node:net';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Request as BotRequest, Response as BotResponse } from 'botbuilder';
import restify from 'restify';
import type { AppConfig } from '../config';
import { getLogger } from '../logger';
import type { SentinelGateway } from '../sentinel/gateway';
import type { BotApp } from './app';

const log = getLogger('bot.server');

/** Teams activities are small; a card invoke with form data is a few KB. Bigger is abuse or a bug. */
export const MAX_ACTIVITY_BYTES = 512 * 1024;
const PING_TIMEOUT_MS = 2000;

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

/** Serves POST /api/messages (the Bot Connector endpoint) and GET /healthz. Port 0 picks a free port. */
export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const { config, adapter, app, gateway } = opts;
  const server = restify.createServer({ name: 'sentinel-teams-bot', handleUncaughtExceptions: false });

  server.post(
    '/api/messages',
    restify.plugins.bodyParser({ maxBodySize: MAX_ACTIVITY_BYTES, mapParams: false, mapFiles: false }),
    async (req: restify.Request, res: restify.Response) => {
      try {
        await adapter.process(
          req as unknown as BotRequest,
          res as unknown as BotResponse,
          async (context) => {
            await app.run(context);
          },
        );
      } catch (e) {
        // The adapter rejects bodies that are not activities by throwing; the caller gets a 400, we keep running.
        log.warn({ err: e }, 'rejected a malformed request to /api/messages');
        if (!res.headersSent) res.send(400, { error: 'Request body is not a valid Bot Framework activity' });
      }
    },
  );

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    const report: HealthReport = {
      status: 'ok',
      mode: config.sentinel.mode,
      version: config.version,
      sentinel: (await pingWithTimeout(gateway, PING_TIMEOUT_MS)) ? 'reachable' : 'unreachable',
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

async function pingWithTimeout(gateway: SentinelGateway, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([gateway.ping().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
