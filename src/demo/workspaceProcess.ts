/**
 * Entry point of the demo workspace's own process (src/demo/processHost.ts starts it). In production
 * Sentinel is remote: a heavy query costs its CPU and memory, not the bot's. Running the demo workspace
 * in a process of its own keeps it that way locally — a query that exhausts the demo's heap ends this
 * process, not the bot. Reports `{ ready: port }` to the parent over IPC and exits with it. Its
 * settings come from the parent (processHost.ts), already validated by src/config.ts.
 */
import { configureLogging, getLogger, routeLibraryOutput } from '../logger';
import type { DemoProcessSettings } from './processHost';
import { startDemoWorkspace } from './server';

const log = getLogger('demo.process');

async function main(): Promise<void> {
  routeLibraryOutput();
  const settings = JSON.parse(process.argv[2] ?? '{}') as DemoProcessSettings;
  configureLogging(settings.logLevel ?? 'info');
  const demo = await startDemoWorkspace({
    port: settings.port ?? 0,
    newIncidentEverySeconds: settings.newIncidentEverySeconds ?? 0,
    scenariosDir: settings.scenariosDir,
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
