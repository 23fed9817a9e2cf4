/**
 * Entry point of the demo workspace's own process (src/demo/processHost.ts starts it). In production
 * Sentinel is remote: a heavy query costs its CPU and memory, not the bot's. Running the demo workspace
 * in a process of its own keeps it that way locally — a query that exhausts the demo's heap ends this
 * process, not the bot. Reports `{ ready: port }` to the parent over IPC and exits with it.
 */
import { configureLogging, getLogger, routeLibraryOutput } from '../logger';
import { startDemoWorkspace } from './server';

const log = getLogger('demo.process');

async function main(): Promise<void> {
  routeLibraryOutput();
  configureLogging(process.env.LOG_LEVEL ?? 'info');
  const demo = await startDemoWorkspace({
    port: Number(process.env.DEMO_WORKSPACE_PORT ?? '0'),
    newIncidentEverySeconds: Number(process.env.DEMO_NEW_INCIDENT_EVERY ?? '0'),
  });
  const stop = (): void => {
    void demo.close().finally(() => process.exit(0));
  };
  // The bot owns this process: when it goes (even killed), the IPC channel closes and so do we.
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.send?.({ ready: demo.port });
}

main().catch((err: unknown) => {
  log.fatal({ err }, 'the demo workspace could not start');
  process.exit(1);
});
