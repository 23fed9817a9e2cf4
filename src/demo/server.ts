import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_WORKSPACE } from '../config';
import { getLogger } from '../logger';
import { handleArmRequest } from './armRoutes';
import { handleLogsRequest } from './logsRoutes';
import { DemoHttpError, sendJson } from './requestIo';
import { createLiveIncident } from './liveIncidents';
import { BUILTIN_SCENARIOS_DIR, loadScenarioFolders } from './scenarioLoader';
import { DemoStore } from './store';

const log = getLogger('demo.server');

export interface DemoWorkspaceOptions {
  /** Default 4000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the demo has no real authentication and must not face a network. */
  host?: string;
  now?: () => Date;
  /** Seconds between generated incidents; 0 (default) = off. */
  newIncidentEverySeconds?: number;
  /** A folder of extra scenario packs (DEMO_SCENARIOS), loaded after the built-in ones. */
  scenariosDir?: string;
}

export interface DemoWorkspace {
  url: string;
  port: number;
  store: DemoStore;
  close(): Promise<void>;
}

async function dispatch(
  req: IncomingMessage,
  res: ServerResponse,
  store: DemoStore,
  now: () => Date,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://demo.invalid');
  const method = (req.method ?? 'GET').toUpperCase();
  const lowerPath = url.pathname.toLowerCase();
  if (lowerPath.startsWith('/v1/')) {
    await handleLogsRequest({ req, res, url, store, method, now });
    return;
  }
  if (lowerPath.startsWith('/subscriptions/')) {
    await handleArmRequest({ req, res, url, store, method });
    return;
  }
  throw new DemoHttpError(
    404,
    'NotFound',
    `No route for ${method} ${url.pathname}. The demo workspace serves /subscriptions/... (ARM) and /v1/workspaces/... (Log Analytics).`,
  );
}

/**
 * Starts a local stand-in for Microsoft Sentinel and Log Analytics that speaks the same REST contract,
 * so the bot's real Azure SDK clients work against it unchanged.
 */
export async function startDemoWorkspace(options: DemoWorkspaceOptions = {}): Promise<DemoWorkspace> {
  const now = options.now ?? (() => new Date());
  const host = options.host ?? '127.0.0.1';
  const store = new DemoStore({ workspace: DEMO_WORKSPACE, now });
  const folders = [
    BUILTIN_SCENARIOS_DIR,
    ...(options.scenariosDir === undefined ? [] : [options.scenariosDir]),
  ];
  const loaded = loadScenarioFolders(store, folders, now());

  const server = createServer((req, res) => {
    dispatch(req, res, store, now).catch((err: unknown) => {
      if (err instanceof DemoHttpError) {
        if (!res.headersSent) sendJson(res, err.status, err.toBody());
        return;
      }
      log.error({ err, method: req.method, url: req.url }, 'demo workspace request failed');
      if (!res.headersSent)
        sendJson(res, 500, {
          error: {
            code: 'InternalServerError',
            message: 'The demo workspace failed to handle the request; see its log.',
          },
        });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4000, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let timer: NodeJS.Timeout | undefined;
  const every = options.newIncidentEverySeconds ?? 0;
  if (every > 0) {
    let generated = 0;
    timer = setInterval(() => {
      try {
        const incident = store.createIncident(createLiveIncident(now(), generated));
        generated += 1;
        log.info(
          { incidentNumber: incident.number, title: incident.title },
          'demo workspace generated an incident',
        );
      } catch (err) {
        log.error({ err }, 'demo workspace could not generate an incident');
      }
    }, every * 1000);
    timer.unref();
  }

  const url = `http://${host}:${port}`;
  log.info(
    { url, incidents: store.listIncidents().length, packs: loaded.packs, logRows: loaded.rows },
    'demo Sentinel workspace listening',
  );
  return {
    url,
    port,
    store,
    close: async () => {
      if (timer !== undefined) clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
