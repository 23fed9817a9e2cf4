import { describe, expect, it } from 'vitest';
import { VERBS } from '../../../adaptive-cards/verbs';
import { cardText } from '../../../src/bot/cards/cardText';
import {
  INCIDENT_CARD_BUTTONS,
  MAX_CARD_BYTES,
  renderIncidentCard,
  renderIncidentCardJson,
} from '../../../src/bot/cards/incidentCard';
import { renderIncidentListCard } from '../../../src/bot/cards/incidentListCard';
import type { Entity } from '../../../src/domain/types';
import { makeIncident } from '../../support/fakeGateway';
import { collectActions, textsOf } from '../../support/cardInspection';

/** Teams' documented limit for a card payload (FACTS.md); the constant under test must stay below it. */
const TEAMS_CARD_LIMIT_BYTES = 28 * 1024;

const NOW = new Date('2026-11-22T12:00:00Z');

describe('renderIncidentCard', () => {
  it('shows number, title, severity colour, status, owner, times, tactics and links', () => {
    const incident = makeIncident(7, {
      title: 'Suspicious PowerShell',
      severity: 'High',
      status: 'Active',
      owner: { assignedTo: 'Dana Ruiz' },
      createdTimeUtc: '2026-11-22T09:00:00Z',
      lastActivityTimeUtc: '2026-11-22T11:30:00Z',
      tactics: ['Execution'],
      techniques: ['T1059'],
      alertProductNames: ['Microsoft Defender for Endpoint'],
      alertsCount: 3,
      providerIncidentUrl: 'https://security.microsoft.com/incidents/12',
    });
    const attachment = renderIncidentCard(
      { incident, note: '5 tasks added by Dana Ruiz, 10:42' },
      { actions: { askAboutThis: true }, now: NOW },
    );
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = attachment.content as Record<string, unknown>;
    expect(card.version).toBe('1.5');
    const texts = textsOf(card);
    expect(texts).toContain('Suspicious PowerShell');
    expect(texts).toContain('#7 · High severity');
    expect(texts).toContain('3 h ago (2026-11-22 09:00 UTC)');
    expect(texts).toContain('30 min ago (2026-11-22 11:30 UTC)');
    expect(texts).toContain('Dana Ruiz');
    expect(texts).toContain('Active');
    expect(texts).toContain('Execution');
    expect(texts).toContain('T1059');
    expect(texts).toContain('3 (Microsoft Defender for Endpoint)');
    expect(texts).toContain('5 tasks added by Dana Ruiz, 10:42');
    expect(JSON.stringify(card)).toContain('"color":"Attention"');
    const actions = collectActions(card);
    expect(actions.map((a) => a.title)).toEqual(['Open in Sentinel', 'Open in Defender', 'Ask about this']);
    expect(actions[0].url).toBe(incident.incidentUrl);
  });

  it.each([
    ['High', 'Attention'],
    ['Medium', 'Warning'],
    ['Low', 'Accent'],
    ['Informational', 'Default'],
  ] as const)('colours %s severity %s', (severity, color) => {
    const card = renderIncidentCardJson({ incident: makeIncident(1, { severity }) }, { actions: {} });
    expect(JSON.stringify(card)).toContain(`"color":"${color}"`);
  });

  it('labels entity kinds the way analysts read them', () => {
    const card = renderIncidentCardJson(
      {
        incident: makeIncident(8),
        entities: [
          { id: 'a', kind: 'Ip', friendlyName: '185.220.101.45', properties: {} },
          { id: 'b', kind: 'CloudApplication', friendlyName: 'Microsoft Exchange Online', properties: {} },
          { id: 'c', kind: 'Account', friendlyName: 'adele.vance', properties: {} },
        ],
      },
      { actions: {}, now: NOW },
    );
    const texts = textsOf(card);
    expect(texts).toEqual(expect.arrayContaining(['IP address', 'Cloud app', 'Account']));
    expect(texts).not.toContain('Ip');
  });

  it('shows exactly the buttons whose flags are on ("no dead buttons")', () => {
    const incident = makeIncident(3);
    expect(collectActions(renderIncidentCardJson({ incident }, { actions: {} })).map((a) => a.type)).toEqual([
      'Action.OpenUrl',
    ]);
    const all = renderIncidentCardJson(
      { incident },
      {
        actions: {
          askAboutThis: true,
          analyze: true,
          addTasks: true,
          postComment: true,
          assignToMe: true,
          changeStatus: true,
          hunt: true,
        },
      },
    );
    const verbs = collectActions(all)
      .filter((a) => a.type === 'Action.Execute')
      .map((a) => a.verb);
    expect(verbs).toEqual(Object.values(INCIDENT_CARD_BUTTONS).map((b) => b.verb));
    const onlyAnalyze = renderIncidentCardJson({ incident }, { actions: { analyze: true, hunt: false } });
    expect(
      collectActions(onlyAnalyze)
        .filter((a) => a.type === 'Action.Execute')
        .map((a) => a.verb),
    ).toEqual([VERBS.analyze]);
  });

  it('gives every Action.Execute an Action.Submit fallback with the same verb and incident number', () => {
    const card = renderIncidentCardJson({ incident: makeIncident(12) }, { actions: { askAboutThis: true } });
    const execute = collectActions(card).find((a) => a.type === 'Action.Execute');
    expect(execute?.data).toEqual({ verb: VERBS.askAboutThis, incidentNumber: 12 });
    expect(execute?.fallback).toMatchObject({
      type: 'Action.Submit',
      data: { verb: VERBS.askAboutThis, incidentNumber: 12 },
    });
  });

  it('keeps attacker-controlled text out of markdown links, images and template syntax', () => {
    const hostile =
      '[Reset your password](https://evil.example/p) ![x](https://evil.example/t.png) <b>hi</b> ${number} `code` *bold* a_b';
    const entities: Entity[] = [
      { id: 'e', kind: 'Account', friendlyName: '[admin](https://evil.example)', properties: {} },
    ];
    const card = renderIncidentCardJson(
      {
        incident: makeIncident(9, {
          title: hostile,
          description: hostile,
          owner: { assignedTo: '<at>x</at>' },
        }),
        entities,
      },
      { actions: { askAboutThis: true } },
    );
    const json = JSON.stringify(card);
    expect(json).not.toMatch(/(?<!\\)\]\(/);
    expect(json).not.toMatch(/(?<!\\)!\[/);
    expect(json).not.toContain('<b>');
    expect(json).not.toContain('<at>');
    expect(json).not.toContain('${');
    expect(textsOf(card)).toContain('\\[admin\\]\\(hxxps://evil[.]example\\)');
    expect(cardText('a\\[b', 50)).toBe('a\\\\\\[b');
  });

  it('drops non-https links instead of making them buttons', () => {
    const card = renderIncidentCardJson(
      {
        incident: makeIncident(4, {
          incidentUrl: 'javascript:alert(1)',
          providerIncidentUrl: 'http://plain.example',
        }),
      },
      { actions: {} },
    );
    expect(collectActions(card)).toEqual([]);
  });

  it('links only to the Azure and Defender portals, whatever the incident data says', () => {
    const lookAlike = renderIncidentCardJson(
      {
        incident: makeIncident(5, {
          incidentUrl: 'https://portal.azure.com.evil.example/#blade/x',
          providerIncidentUrl: 'https://security.microsoft.com@evil.example/incidents/1',
        }),
      },
      { actions: {} },
    );
    expect(collectActions(lookAlike)).toEqual([]);
    const genuine = renderIncidentCardJson(
      {
        incident: makeIncident(5, {
          incidentUrl: 'https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident/x',
          providerIncidentUrl: 'https://security.microsoft.com/incidents/5',
        }),
      },
      { actions: {} },
    );
    expect(collectActions(genuine).map((a) => a.title)).toEqual(['Open in Sentinel', 'Open in Defender']);
  });

  it('stays under 28 KB with huge titles, descriptions and thousands of entities', () => {
    const big = 'A'.repeat(100_000);
    const entities: Entity[] = Array.from({ length: 5000 }, (_, i) => ({
      id: `e${i}`,
      kind: `Kind${i % 50}`,
      friendlyName: `[${'n'.repeat(500)}](x)${i}`,
      properties: {},
    }));
    const incident = makeIncident(1, {
      title: big,
      description: big,
      tactics: Array.from({ length: 500 }, () => big.slice(0, 300)),
      techniques: Array.from({ length: 500 }, () => 'T1059.001'),
      alertProductNames: Array.from({ length: 100 }, () => big.slice(0, 300)),
    });
    const card = renderIncidentCardJson(
      { incident, entities, note: big },
      { actions: { askAboutThis: true, analyze: true } },
    );
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(TEAMS_CARD_LIMIT_BYTES);
    expect(MAX_CARD_BYTES).toBeLessThanOrEqual(TEAMS_CARD_LIMIT_BYTES);
    expect(textsOf(card).some((t) => t.endsWith('…'))).toBe(true);
  });

  it('shows at most 3 entities per kind, with a count of the rest', () => {
    const entities: Entity[] = ['a', 'b', 'c', 'd', 'e'].map((n) => ({
      id: n,
      kind: 'Host',
      friendlyName: `host-${n}`,
      properties: {},
    }));
    const card = renderIncidentCardJson({ incident: makeIncident(2), entities }, { actions: {} });
    expect(textsOf(card)).toContain('host-a, host-b, host-c (+2 more)');
  });
});

describe('renderIncidentListCard', () => {
  it('lists incidents with severity, status, owner, age and an Open button each', () => {
    const incidents = [
      makeIncident(2, {
        title: 'Second',
        createdTimeUtc: '2026-11-22T11:00:00Z',
        owner: { assignedTo: 'Dana' },
      }),
      makeIncident(1, { title: 'First', severity: 'High', createdTimeUtc: '2026-11-20T11:00:00Z' }),
    ];
    const card = renderIncidentListCard({ incidents, workspaceName: 'soc-demo-ws' }, { now: NOW })
      .content as Record<string, unknown>;
    expect(card.version).toBe('1.5');
    const texts = textsOf(card);
    expect(texts).toContain('Open incidents in soc-demo-ws');
    expect(texts).toContain('#2 Second');
    expect(texts).toContain('New · Dana · created 1 h ago');
    expect(texts).toContain('New · Unassigned · created 2 d ago');
    const buttons = collectActions(card);
    expect(buttons.map((b) => b.data)).toEqual([
      { verb: VERBS.selectIncident, incidentNumber: 2 },
      { verb: VERBS.selectIncident, incidentNumber: 1 },
    ]);
    expect(JSON.stringify(card)).not.toContain('${');
  });

  it('says so when nothing is open', () => {
    const card = renderIncidentListCard({ incidents: [], workspaceName: 'ws' }).content as Record<
      string,
      unknown
    >;
    expect(textsOf(card)).toContain('No open incidents right now.');
    expect(collectActions(card)).toEqual([]);
  });
});
