import { describe, expect, it } from 'vitest';
import { typedIndicators } from '../../src/hunting/templateChoice';

describe('indicators typed in a hunt question', () => {
  it.each<[string, string[]]>([
    ['hunt for 185.220.101.4', ['Ip 185.220.101.4']],
    ['sign-ins from 2001:db8::1 or 10.0.0.5?', ['Ip 2001:db8::1', 'Ip 10.0.0.5']],
    ['hunt for https://evil.example/login?x=1', ['Url https://evil.example/login?x=1']],
    ['mail from billing@evil.example', ['Account billing@evil.example', 'Mailbox billing@evil.example']],
    [`file ${'a'.repeat(64)}`, [`FileHash ${'a'.repeat(64)}`]],
    ['hunt for evil-domain.com', ['Url evil-domain.com']],
    ['hunt for related activity', []],
  ])('%s', (question, expected) => {
    expect(typedIndicators(question).map((e) => `${e.kind} ${e.friendlyName}`)).toEqual(expected);
  });
});
