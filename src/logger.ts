import pino, { type Logger } from 'pino';

/**
 * Named, structured loggers. Modules create theirs at import time, before the entry point has read
 * LOG_LEVEL, so every named logger is remembered and re-levelled when logging is configured.
 */
const root: Logger = pino({ level: 'info', base: { app: 'sentinel-teams-bot' } });
const named: Logger[] = [];

export type { Logger };

export function configureLogging(level: string): void {
  root.level = level;
  for (const logger of named) logger.level = level;
}

export function getLogger(name: string): Logger {
  const logger = root.child({ logger: name });
  named.push(logger);
  return logger;
}
