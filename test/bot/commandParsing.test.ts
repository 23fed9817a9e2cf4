import { describe, expect, it } from 'vitest';
import { commandSelector, normalizeCommandText, parseCommand } from '../../src/bot/commandParsing';
import type { TurnContext } from 'botbuilder';

describe('parseCommand', () => {
  it.each([
    ['help', { name: 'help' }],
    ['  HELP!  ', { name: 'help' }],
    ['/help', { name: 'help' }],
    ['incidents', { name: 'incidents' }],
    ['Incidents.', { name: 'incidents' }],
    ['list incidents', { name: 'incidents' }],
    ['incident 7', { name: 'incident', incidentNumber: 7 }],
    ['Incident #7', { name: 'incident', incidentNumber: 7 }],
    ['incident   # 7 ', { name: 'incident', incidentNumber: 7 }],
    ['INCIDENT: 42.', { name: 'incident', incidentNumber: 42 }],
    ['incident7', { name: 'incident', incidentNumber: 7 }],
    ['#7', { name: 'incident', incidentNumber: 7 }],
    ['<at>Sentinel</at> incident 3', { name: 'incident', incidentNumber: 3 }],
    ['<p>incident&nbsp;5</p>', { name: 'incident', incidentNumber: 5 }],
    ['incident', { name: 'incident', incidentNumber: undefined }],
    ['incident abc', { name: 'incident', incidentNumber: undefined }],
    ['incident 7 please', { name: 'incident', incidentNumber: 7 }],
  ])('%j → %j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    '',
    'what happened on WS-042?',
    'helpme',
    'incidentally, hello',
    'show me everything',
    // A question naming an incident is for Q&A, not the command.
    'incident 7, what happened?',
    'incident 7 summary for my CISO',
  ])('%j is not a command', (text) => {
    expect(parseCommand(text).name).toBe('unknown');
  });

  it('only looks at the start of a huge message', () => {
    expect(normalizeCommandText(`incident 1 ${'x'.repeat(1_000_000)}`).length).toBeLessThanOrEqual(300);
    expect(parseCommand(undefined)).toEqual({ name: 'unknown', text: '' });
  });
});

describe('commandSelector', () => {
  const ctx = (type: string, text?: string) => ({ activity: { type, text } }) as unknown as TurnContext;

  it('matches the first word of a message, case-insensitively', async () => {
    const selector = commandSelector('subscribe', 'sub');
    expect(await selector(ctx('message', 'Subscribe high'))).toBe(true);
    expect(await selector(ctx('message', '/sub'))).toBe(true);
    expect(await selector(ctx('message', 'unsubscribe'))).toBe(false);
    expect(await selector(ctx('invoke', 'subscribe'))).toBe(false);
  });
});
