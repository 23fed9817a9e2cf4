import { describe, expect, it } from 'vitest';
import { configureLogging, getLogger } from '../src/logger';

describe('logger', () => {
  it('re-levels loggers created before logging was configured', () => {
    const early = getLogger('early');
    configureLogging('warn');
    expect(early.level).toBe('warn');
    expect(early.isLevelEnabled('info')).toBe(false);
    expect(getLogger('late').level).toBe('warn');
    configureLogging('info');
    expect(early.level).toBe('info');
  });
});
