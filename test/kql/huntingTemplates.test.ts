import { describe, expect, it } from 'vitest';
import { buildHuntingQueries, huntWindow } from '../../src/kql/huntingTemplates';
import { parseKql, descendants } from '../../src/kql/languageService';
import { kqlString } from '../../src/kql/literals';
import { BUNDLED_SCHEMA } from '../../src/kql/schema';
import { validateKql } from '../../src/kql/validator';
import { ALL_KINDS, entity, incident } from './fixtures';

const NASTY = [
  'a"b',
  'back\\slash',
  'line\nbreak',
  'pipe | take 1',
  "quote'single",
  '"; .drop table T //',
  'tab\there',
  'end\\',
];

describe('kqlString', () => {
  it.each(NASTY)('round-trips %j through the Kusto parser as one literal', (value) => {
    const parsed = parseKql(`print x = ${kqlString(value)}`);
    expect(parsed.diagnostics).toEqual([]);
    const literals = [...descendants(parsed.root)].filter((n) => n.kind === 'StringLiteralToken');
    expect(literals).toHaveLength(1);
    expect(literals[0]?.value).toBe(value);
  });

  it('drops other control characters instead of emitting them raw', () => {
    expect(kqlString('a\u0000b\u0007c')).toBe('"a b c"');
  });
});

describe('huntWindow', () => {
  it('widens first and last activity by a day', () => {
    const window = huntWindow(incident());
    expect(window.start.toISOString()).toBe('2024-04-30T08:00:00.000Z');
    expect(window.end.toISOString()).toBe('2024-05-03T09:30:00.000Z');
  });

  it('falls back to created / modified times', () => {
    const window = huntWindow(incident({ firstActivityTimeUtc: undefined, lastActivityTimeUtc: undefined }));
    expect(window.start.toISOString()).toBe('2024-05-01T10:00:00.000Z');
    expect(window.end.toISOString()).toBe('2024-05-03T12:00:00.000Z');
  });
});

describe('buildHuntingQueries', () => {
  it.each(ALL_KINDS.map((e) => [e.kind, e] as const))(
    'emits valid queries for %s entities',
    async (_kind, e) => {
      const queries = buildHuntingQueries(incident(), [e]);
      expect(queries.length).toBeGreaterThan(0);
      for (const q of queries) {
        expect(q.title).not.toBe('');
        expect(q.why).not.toBe('');
        expect(q.query).toContain('datetime(2024-04-30T08:00:00.000Z) .. datetime(2024-05-03T09:30:00.000Z)');
        const result = await validateKql(q.query, BUNDLED_SCHEMA);
        expect(result.errors, q.query).toEqual([]);
      }
    },
  );

  it('covers the tables each kind is meant to search', () => {
    const tables = (kind: string): string[] => {
      const e = ALL_KINDS.find((x) => x.kind === kind);
      return e ? buildHuntingQueries(incident(), [e]).map((q) => q.query.split('\n')[0] ?? '') : [];
    };
    expect(tables('Account')).toEqual(['SigninLogs', 'AuditLogs']);
    expect(tables('Host')).toEqual(['DeviceProcessEvents', 'DeviceNetworkEvents', 'SecurityEvent']);
    expect(tables('Ip')).toEqual(['SigninLogs', 'CommonSecurityLog', 'DeviceNetworkEvents']);
    expect(tables('FileHash')).toEqual(['DeviceFileEvents']);
    expect(tables('Mailbox')).toEqual(['EmailEvents']);
  });

  it('uses UrlClickEvents only when the workspace schema has it', async () => {
    const url = [entity('Url', { url: 'https://evil.example/a' })];
    expect(buildHuntingQueries(incident(), url).some((q) => q.query.startsWith('UrlClickEvents'))).toBe(
      false,
    );
    const schema = {
      ...BUNDLED_SCHEMA,
      UrlClickEvents: [
        'TimeGenerated:datetime',
        'Url:string',
        'AccountUpn:string',
        'ActionType:string',
        'IPAddress:string',
      ].map((c) => ({ name: c.split(':')[0] ?? '', type: c.split(':')[1] ?? '' })),
    };
    const queries = buildHuntingQueries(incident(), url, { schema });
    const clicks = queries.find((q) => q.query.startsWith('UrlClickEvents'));
    expect(clicks).toBeDefined();
    expect((await validateKql(clicks?.query ?? '', schema)).valid).toBe(true);
  });

  it('keeps attacker-controlled values inside literals', async () => {
    const hostile = [
      entity('Account', {
        accountName: 'x" or 1==1 | project-away *; .drop table T //',
        upnSuffix: 'a\\b\nc',
      }),
      entity('Host', { hostName: 'h"|take 0' }),
      entity('Ip', { address: '1.2.3.4"\n| union SecurityEvent' }),
      entity('File', { fileName: 'a\\"b' }),
    ];
    const queries = buildHuntingQueries(incident(), hostile);
    expect(queries.length).toBeGreaterThan(4);
    for (const q of queries) {
      const result = await validateKql(q.query, BUNDLED_SCHEMA);
      expect(result.errors, q.query).toEqual([]);
      expect(result.tables).toHaveLength(1);
      const operators = [...descendants(parseKql(q.query).root)].filter(
        (n) => n.kind === 'UnionOperator' || n.kind === 'ProjectAwayOperator',
      );
      expect(operators).toEqual([]);
    }
  });

  it('caps the number of templates', () => {
    expect(buildHuntingQueries(incident(), ALL_KINDS, { maxQueries: 5 })).toHaveLength(5);
  });
});
