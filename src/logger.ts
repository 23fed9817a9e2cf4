import { format } from 'node:util';
import pino, { type Logger } from 'pino';

/**
 * Named, structured loggers. Modules create theirs at import time, before the entry point has read
 * LOG_LEVEL, so every named logger is remembered and re-levelled when logging is configured.
 *
 * Redacting: every line is scrubbed of the configured secrets (model API keys, the bot password, the
 * webhook secret) and of bearer tokens and API-key-shaped strings before it is written, wherever the
 * text came from: an upstream 401 body echoing the key, an error message, a library's console output.
 */
const REDACTED = '[redacted]';
const secrets = new Set<string>();

/** Generic shapes, for secrets we were not told about (another service's token in an error body). */
const SECRET_SHAPES: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/\bsk-[A-Za-z0-9_-]{12,}/g, REDACTED],
  [
    /\b(api[-_]?key|password|secret|client[-_]?secret|access[-_]?token)(\\?["']?\s*[:=]\s*\\?["']?)[^\s"'\\,}]{6,}/gi,
    `$1$2${REDACTED}`,
  ],
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  for (const [shape, replacement] of SECRET_SHAPES) out = out.replace(shape, replacement);
  return out;
}

/** Values that must never appear in a log line (short values are ignored: they would redact words). */
export function registerSecrets(values: readonly (string | undefined)[]): void {
  for (const value of values) {
    if (value === undefined || value.length < 8) continue;
    secrets.add(value);
    // As it appears inside a JSON-encoded log line.
    secrets.add(JSON.stringify(value).slice(1, -1));
  }
}

const root: Logger = pino({
  level: 'info',
  base: { app: 'sentinel-teams-bot' },
  redact: {
    paths: [
      '*.authorization',
      '*.Authorization',
      '*.apiKey',
      '*.password',
      '*.secret',
      'headers.authorization',
    ],
    censor: REDACTED,
  },
  hooks: { streamWrite: redactSecrets },
});
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

let routed = false;

/**
 * Libraries (botbuilder, teams-ai, openai) print to the console: errors with upstream bodies, tokens'
 * validation failures, request dumps. Their output goes through the redacting logger instead, as
 * `library` lines at debug (log/info/debug) or warn (warn/error) — our own code logs what matters about
 * the same events with context. Node's process warnings go there too (deprecations at debug).
 */
export function routeLibraryOutput(): void {
  if (routed) return;
  routed = true;
  const library = getLogger('library');
  const to =
    (level: 'debug' | 'warn') =>
    (...args: unknown[]): void => {
      library[level](format(...args));
    };
  Object.assign(console, {
    log: to('debug'),
    info: to('debug'),
    debug: to('debug'),
    trace: to('debug'),
    warn: to('warn'),
    error: to('warn'),
  });
  process.removeAllListeners('warning');
  // Deprecations come from libraries we cannot change (restify's DEP0111): debug; other warnings: warn.
  process.on('warning', (warning) => {
    const fields = { warning: warning.name, code: (warning as { code?: string }).code };
    library[warning.name === 'DeprecationWarning' ? 'debug' : 'warn'](fields, warning.message);
  });
}
