import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configureLogging, getLogger, redactSecrets, registerSecrets } from '../src/logger';

describe('logger', () => {
  it('re-levels loggers created before logging was configured', () => {
    const early = getLogger('early');
    configureLogging('warn');
    expect(early.level).toBe('warn');
    expect(early.isLevelEnabled('info')).toBe(false);
    expect(getLogger('late').level).toBe('warn');
    configureLogging('silent');
    expect(early.level).toBe('silent');
  });
});

describe('library output goes through the redacting logger (issue #16 item 8)', () => {
  it('a key echoed by an upstream 401, printed by a library, never reaches the output; warnings are logged', () => {
    // An Azure-style key: only its registration (not a generic shape) can catch it.
    const key = 'azure0key0123456789abcdef0123456789abcd';
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'support', 'libraryOutputFixture.ts'), key],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(`${run.stdout}${run.stderr}`).not.toContain(key);
    expect(run.stdout).not.toContain('eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln');
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { logger?: string; msg?: string; code?: string });
    expect(lines.map((l) => l.logger)).toEqual(['library', 'library', 'library', 'library']);
    expect(lines[0]?.msg).toContain('Incorrect API key provided: [redacted]');
    expect(lines[3]?.code).toBe('DEP0111');
  });

  it('redacts registered secrets, bearer tokens and key-shaped values in any text', () => {
    registerSecrets(['webhook-secret-of-24-chars-x', 'short']);
    expect(redactSecrets('secret=webhook-secret-of-24-chars-x and short')).toBe(
      'secret=[redacted] and short',
    );
    expect(redactSecrets('Authorization: Bearer abc.def.ghijkl')).toBe('Authorization: Bearer [redacted]');
    expect(redactSecrets('"apiKey":"abcdefgh123"')).toBe('"apiKey":"[redacted]"');
  });
});
