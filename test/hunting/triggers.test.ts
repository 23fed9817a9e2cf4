import { describe, expect, it } from 'vitest';
import type { Entity, Incident } from '../../src/domain/types';
import { chooseTemplates, templatesForIncident } from '../../src/hunting/templateChoice';
import { DEFAULT_HUNT_QUESTION, parseHuntRequest } from '../../src/hunting/triggers';
import { BUNDLED_SCHEMA } from '../../src/kql/schema';

describe('parseHuntRequest', () => {
  it.each([
    [
      'hunt for sign-ins from the attacker IP',
      { kind: 'hunt', question: 'hunt for sign-ins from the attacker IP' },
    ],
    ['Hunt processes on the host', { kind: 'hunt', question: 'hunt for processes on the host' }],
    ['<at>Sentinel</at> hunt for mail', { kind: 'hunt', question: 'hunt for mail' }],
    ['hunt in incident 1 for logins', { kind: 'hunt', question: 'hunt for logins', incidentNumber: 1 }],
    ['hunt for logins in incident #12', { kind: 'hunt', question: 'hunt for logins', incidentNumber: 12 }],
    [
      'hunt #3 network connections',
      { kind: 'hunt', question: 'hunt for network connections', incidentNumber: 3 },
    ],
    ['hunt', { kind: 'hunt', question: DEFAULT_HUNT_QUESTION }],
    ['KQL: SigninLogs | where A &lt; 3', { kind: 'kql', query: 'SigninLogs | where A < 3' }],
    ['kql:\nSigninLogs\n| take 1', { kind: 'kql', query: 'SigninLogs\n| take 1' }],
  ])('%j', (text, expected) => {
    expect(parseHuntRequest(text)).toEqual(expected);
  });

  it.each([
    [
      'were there other sign-ins from the attacker IP?',
      { kind: 'hunt', question: 'were there other sign-ins from the attacker IP?' },
    ],
    [
      'in incident 2, any other processes started by svc-backup?',
      { kind: 'hunt', question: 'any other processes started by svc-backup?', incidentNumber: 2 },
    ],
    ['find emails from that sender', { kind: 'hunt', question: 'find emails from that sender' }],
  ])('a question only the logs can answer: %j', (text, expected) => {
    expect(parseHuntRequest(text)).toEqual(expected);
  });

  it.each([
    'hunting season',
    'incident 1',
    'what did the attacker do?',
    'kqlx: a',
    '',
    // Questions about the incident's own data stay with incident Q&A.
    'what happened?',
    'which alert shows the spray?',
    'which MITRE tactics, and what do they say about the attacker?',
    'list the entities',
    'how many alerts does it have?',
    'write a remediation checklist',
    'summary for my CISO',
    'what happened with the sign-ins?',
  ])('leaves %j to other routes', (text) => {
    expect(parseHuntRequest(text)).toBeUndefined();
  });
});

const incident = {
  name: 'inc',
  number: 1,
  createdTimeUtc: '2026-11-16T01:00:00Z',
  firstActivityTimeUtc: '2026-11-16T01:00:00Z',
  lastActivityTimeUtc: '2026-11-16T02:00:00Z',
} as Incident;
const entities: Entity[] = [
  {
    id: '1',
    kind: 'Account',
    friendlyName: 'adele.vance',
    properties: { accountName: 'adele.vance', upnSuffix: 'contoso.com' },
  },
  { id: '2', kind: 'Ip', friendlyName: '185.220.101.45', properties: { address: '185.220.101.45' } },
  { id: '3', kind: 'Ip', friendlyName: '73.42.118.207', properties: { address: '73.42.118.207' } },
  { id: '4', kind: 'Host', friendlyName: 'WS-FIN-07', properties: { hostName: 'WS-FIN-07' } },
];

describe('chooseTemplates', () => {
  const templates = templatesForIncident(incident, entities, BUNDLED_SCHEMA);
  const titles = (question: string) => chooseTemplates(question, templates).map((t) => t.title);

  it('sign-ins from the attacker IP → the IP templates on SigninLogs', () => {
    expect(titles('hunt for other sign-ins from the attacker IP')).toEqual([
      'Sign-ins from 185.220.101.45',
      'Sign-ins from 73.42.118.207',
    ]);
  });

  it('a value named in the question wins', () => {
    expect(titles('hunt for sign-ins from 73.42.118.207')).toEqual(['Sign-ins from 73.42.118.207']);
  });

  it.each([
    ['processes', 'DeviceProcessEvents'],
    ['network connections', 'DeviceNetworkEvents'],
    ['logins', 'SigninLogs'],
  ])('%s → %s', (question, table) => {
    const chosen = chooseTemplates(question, templates);
    expect(chosen.length).toBeGreaterThan(0);
    expect(chosen.every((t) => t.table === table)).toBe(true);
  });

  it('no keyword → the first three templates of the incident', () => {
    expect(chooseTemplates(DEFAULT_HUNT_QUESTION, templates)).toEqual(templates.slice(0, 3));
  });
});
