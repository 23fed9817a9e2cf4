import pino, { type Logger } from 'pino';

/**
 * Named, structured loggers. The root is configured once by the entry point; modules ask for a child
 * by name so every line says where it came from.
 */
let root: Logger = pino({ level: 'info', base: { app: 'sentinel-teams-bot' } });

export type { Logger };

export function configureLogging(level: string): void {
  root = pino({ level, base: { app: 'sentinel-teams-bot' } });
}

export function getLogger(name: string): Logger {
  return root.child({ logger: name });
}
