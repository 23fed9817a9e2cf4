import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_WORKSPACE } from '../../src/config';
import {
  BUILTIN_SCENARIOS_DIR,
  LOADER_LIMITS,
  ScenarioPackError,
  loadScenarioFolders,
} from '../../src/demo/scenarioLoader';
import { PACK_LIMITS } from '../../src/demo/scenarioPack';
import { DemoStore } from '../../src/demo/store';
import { thrown } from '../support/thrown';

const NOW = new Date('2026-11-20T12:00:00.000Z');
/** Packs below are written one day before NOW, so every date-time moves by +24 h. */
const ANCHOR = '2026-11-19T12:00:00Z';
const ELENA = { name: 'Elena Rossi', objectId: 'c4e6a8b0-2d4f-4a6c-8e0a-3c5e7a9b1d03' };

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder holding the given packs (objects are written as JSON, strings as they are). */
function packFolder(packs: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-packs-'));
  made.push(dir);
  for (const [file, content] of Object.entries(packs))
    fs.writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

function emptyStore(): DemoStore {
  return new DemoStore({ workspace: DEMO_WORKSPACE, now: () => NOW });
}

function incident(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    properties: { title: 'Tabletop incident', severity: 'Medium', status: 'New' },
    alerts: [
      {
        properties: {
          alertDisplayName: 'Tabletop alert',
          severity: 'Medium',
          productName: 'Azure Sentinel',
          startTimeUtc: '2026-11-19T09:00:00Z',
        },
        entityKeys: ['user'],
      },
    ],
    entities: [{ key: 'user', kind: 'Account', properties: { accountName: 'kim.akers' } }],
    ...overrides,
  };
}

function loadError(folder: string, store: DemoStore = emptyStore()): ScenarioPackError {
  return thrown(() => loadScenarioFolders(store, [folder], NOW), ScenarioPackError);
}

describe('scenario pack loading', () => {
  it('shifts every date-time of incident, alert, entity, comment, task and log cell by now - anchor', () => {
    const store = emptyStore();
    const folder = packFolder({
      'one.json': {
        anchor: ANCHOR,
        incidents: [
          incident({
            properties: {
              title: 'Tabletop incident',
              severity: 'High',
              status: 'Active',
              createdTimeUtc: '2026-11-19T09:05:00Z',
              firstActivityTimeUtc: '2026-11-19T10:00:00+02:00',
            },
            entities: [
              {
                key: 'user',
                kind: 'Account',
                properties: {
                  accountName: 'kim.akers',
                  additionalData: { LastSeen: ['2026-11-19T08:00:00Z'] },
                },
              },
            ],
            comments: [
              {
                properties: {
                  message: 'Seen at 2026-11-19T08:00:00Z',
                  createdTimeUtc: '2026-11-19T09:30:00Z',
                  author: ELENA,
                },
              },
            ],
            tasks: [
              { properties: { title: 'Check', createdTimeUtc: '2026-11-19T09:40:00Z', createdBy: ELENA } },
            ],
          }),
        ],
        logs: {
          SigninLogs: [
            {
              TimeGenerated: '2026-11-19T08:59:00Z',
              UserPrincipalName: 'kim.akers@contoso.com',
              DeviceDetail: { lastSync: { at: '2026-11-19T07:00:00Z' } },
            },
          ],
        },
      },
    });
    expect(loadScenarioFolders(store, [folder], NOW)).toEqual({ packs: 1, incidents: 1, rows: 1 });
    const loaded = store.getByNumber(1)!;
    expect(loaded.createdTimeUtc).toBe('2026-11-20T09:05:00.000Z');
    expect(loaded.firstActivityTimeUtc).toBe('2026-11-20T08:00:00.000Z');
    expect(loaded.alerts[0]!.startTimeUtc).toBe('2026-11-20T09:00:00.000Z');
    expect(loaded.entities[0]!.properties.additionalData).toEqual({ LastSeen: ['2026-11-20T08:00:00.000Z'] });
    expect(loaded.comments[0]!.createdTimeUtc).toBe('2026-11-20T09:30:00.000Z');
    // Only strings that are entirely a date-time move; text mentioning one is left as written.
    expect(loaded.comments[0]!.message).toBe('Seen at 2026-11-19T08:00:00Z');
    expect(loaded.tasks[0]!.createdTimeUtc).toBe('2026-11-20T09:40:00.000Z');
    const signins = store.logTables().SigninLogs!;
    const row = signins.rows[0]!;
    const cell = (column: string): unknown => row[signins.columns.findIndex((c) => c.name === column)];
    expect(cell('TimeGenerated')).toBe('2026-11-20T08:59:00.000Z');
    expect(cell('DeviceDetail')).toEqual({ lastSync: { at: '2026-11-20T07:00:00.000Z' } });
  });

  it('numbers incidents in load order after the built-in ones, keeps a given number, links alerts by key', () => {
    const store = emptyStore();
    const folder = packFolder({
      'b.json': { anchor: ANCHOR, incidents: [incident({ name: 'second-pack' })] },
      'a.json': {
        anchor: ANCHOR,
        incidents: [
          incident(),
          incident({
            properties: { title: 'Numbered', severity: 'Low', status: 'New', incidentNumber: 40 },
          }),
        ],
      },
    });
    loadScenarioFolders(store, [BUILTIN_SCENARIOS_DIR, folder], NOW);
    const numbers = store.listIncidents().map((i) => [i.number, i.name === 'second-pack']);
    expect(numbers.slice(12)).toEqual([
      [13, false],
      [40, false],
      [41, true],
    ]);
    const first = store.getByNumber(13)!;
    expect(first.alerts[0]!.entityNames).toEqual([first.entities[0]!.name]);
    expect(first.name).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.etag).toMatch(/^"[0-9a-f-]+"$/);
  });

  const badPacks: { what: string; pack: unknown; path: string; message: RegExp }[] = [
    { what: 'text that is not JSON', pack: '{"anchor": ', path: '$', message: /not valid JSON/ },
    { what: 'no anchor', pack: { incidents: [] }, path: '$.anchor', message: /is required/ },
    {
      what: 'an unknown severity',
      pack: {
        anchor: ANCHOR,
        incidents: [incident({ properties: { title: 'x', severity: 'Urgent', status: 'New' } })],
      },
      path: '$.incidents[0].properties.severity',
      message: /High.*Informational.*Urgent/,
    },
    {
      what: 'a misspelt field',
      pack: {
        anchor: ANCHOR,
        incidents: [incident({ properties: { titel: 'x', severity: 'Low', status: 'New' } })],
      },
      path: '$.incidents[0].properties.titel',
      message: /is not a field of this object \(misspelt\?/,
    },
    {
      what: 'a closed incident without classification',
      pack: {
        anchor: ANCHOR,
        incidents: [incident({ properties: { title: 'x', severity: 'Low', status: 'Closed' } })],
      },
      path: '$.incidents[0].properties.classification',
      message: /needs a classification/,
    },
    {
      what: 'an alert naming an entity key that does not exist',
      pack: {
        anchor: ANCHOR,
        incidents: [
          incident({
            alerts: [
              {
                properties: {
                  alertDisplayName: 'a',
                  severity: 'Low',
                  productName: 'Azure Sentinel',
                  startTimeUtc: ANCHOR,
                },
                entityKeys: ['user', 'host'],
              },
            ],
          }),
        ],
      },
      path: '$.incidents[0].alerts[0].entityKeys[1]',
      message: /no entity of this incident has key "host"/,
    },
    {
      what: 'an entity kind Sentinel does not have',
      pack: {
        anchor: ANCHOR,
        incidents: [incident({ entities: [{ key: 'user', kind: 'IP', properties: {} }] })],
      },
      path: '$.incidents[0].entities[0].kind',
      message: /Ip/,
    },
    {
      what: 'an impossible date',
      pack: {
        anchor: ANCHOR,
        incidents: [
          incident({
            properties: {
              title: 'x',
              severity: 'Low',
              status: 'New',
              createdTimeUtc: '2026-02-30T10:00:00Z',
            },
          }),
        ],
      },
      path: '$.incidents[0].properties.createdTimeUtc',
      message: /not a valid one/,
    },
    {
      what: 'a time that is not ISO-8601',
      pack: {
        anchor: ANCHOR,
        incidents: [
          incident({
            properties: { title: 'x', severity: 'Low', status: 'New', createdTimeUtc: 'yesterday' },
          }),
        ],
      },
      path: '$.incidents[0].properties.createdTimeUtc',
      message: /ISO-8601/,
    },
    {
      what: 'an unsafe incident name',
      pack: { anchor: ANCHOR, incidents: [incident({ name: '../comments' })] },
      path: '$.incidents[0].name',
      message: /letters, digits/,
    },
    {
      what: 'a table the workspace does not serve',
      pack: { anchor: ANCHOR, logs: { SignInLogs: [{ TimeGenerated: ANCHOR }] } },
      path: '$.logs.SignInLogs',
      message: /no table SignInLogs; it serves .*SigninLogs/,
    },
    {
      what: 'a row that is not an object',
      pack: { anchor: ANCHOR, logs: { SigninLogs: [['2026-11-19T08:00:00Z', 'kim']] } },
      path: '$.logs.SigninLogs[0]',
      message: /must be an object of column values/,
    },
    {
      what: 'a column the table does not have',
      pack: { anchor: ANCHOR, logs: { SigninLogs: [{ TimeGenerated: ANCHOR, IpAddress: '203.0.113.7' }] } },
      path: '$.logs.SigninLogs[0].IpAddress',
      message: /SigninLogs has no column IpAddress/,
    },
    {
      what: 'a value of the wrong type',
      pack: { anchor: ANCHOR, logs: { SecurityEvent: [{ TimeGenerated: ANCHOR }, { EventID: '4625' }] } },
      path: '$.logs.SecurityEvent[1].EventID',
      message: /EventID is int: expected a whole number, got "4625"/,
    },
    {
      what: 'a datetime cell that is not a date-time',
      pack: { anchor: ANCHOR, logs: { SigninLogs: [{ TimeGenerated: 'last Tuesday' }] } },
      path: '$.logs.SigninLogs[0].TimeGenerated',
      message: /datetime: expected an ISO-8601 date-time/,
    },
    {
      what: 'a title longer than Sentinel allows',
      pack: {
        anchor: ANCHOR,
        incidents: [incident({ properties: { title: 'x'.repeat(513), severity: 'Low', status: 'New' } })],
      },
      path: '$.incidents[0].properties.title',
      message: /512/,
    },
  ];

  it.each(badPacks)(
    'refuses $what, naming the file and the JSON path',
    ({ pack, path: jsonPath, message }) => {
      const err = loadError(packFolder({ 'tabletop.json': pack }));
      expect(err.file).toMatch(/tabletop\.json$/);
      expect(err.jsonPath).toBe(jsonPath);
      expect(err.problem).toMatch(message);
      expect(err.message).toContain(`tabletop.json: ${jsonPath}: `);
    },
  );

  it('refuses a number an earlier pack took, and loads nothing of a pack with a bad log row', () => {
    const store = emptyStore();
    loadScenarioFolders(store, [BUILTIN_SCENARIOS_DIR], NOW);
    const taken = loadError(
      packFolder({
        'x.json': {
          anchor: ANCHOR,
          incidents: [
            incident({ properties: { title: 'x', severity: 'Low', status: 'New', incidentNumber: 12 } }),
          ],
        },
      }),
      store,
    );
    expect([taken.jsonPath, taken.problem]).toEqual([
      '$.incidents[0].properties.incidentNumber',
      'incident number 12 is taken',
    ]);
    const rows = store.logTables().SigninLogs!.rows.length;
    loadError(
      packFolder({
        'y.json': { anchor: ANCHOR, incidents: [incident()], logs: { SigninLogs: [{ Nope: 1 }] } },
      }),
      store,
    );
    expect(store.listIncidents()).toHaveLength(12);
    expect(store.logTables().SigninLogs!.rows).toHaveLength(rows);
  });

  it('refuses absurd packs before parsing them: size, total size, packs per folder, nesting and rows', () => {
    const pack = JSON.stringify({ anchor: ANCHOR, incidents: [incident()] });
    const limits = { ...LOADER_LIMITS, packBytes: pack.length + 10, totalBytes: 2 * pack.length + 10 };
    const refused = (folder: string): ScenarioPackError =>
      thrown(() => loadScenarioFolders(emptyStore(), [folder], NOW, limits), ScenarioPackError);
    const big = refused(packFolder({ 'big.json': pack + ' '.repeat(11) }));
    expect([big.jsonPath, big.problem]).toEqual([
      '$',
      `is ${pack.length + 11} bytes; a pack may be at most ${limits.packBytes}`,
    ]);
    const total = refused(packFolder({ '1.json': pack, '2.json': pack, '3.json': pack }));
    expect([total.file.endsWith('3.json'), total.problem]).toEqual([
      true,
      `packs may total at most ${limits.totalBytes} bytes`,
    ]);
    const crowded = thrown(
      () =>
        loadScenarioFolders(emptyStore(), [packFolder({ 'a.json': pack, 'b.json': pack })], NOW, {
          ...LOADER_LIMITS,
          packsPerFolder: 1,
        }),
      ScenarioPackError,
    );
    expect(crowded.problem).toBe('holds 2 packs; at most 1 are loaded from one folder');
    const deep = loadError(
      packFolder({ 'deep.json': `{"anchor":"${ANCHOR}","x":${'['.repeat(40)}${']'.repeat(40)}}` }),
    );
    expect(deep.problem).toBe(`is nested deeper than ${LOADER_LIMITS.depth} levels`);
    const rows = Array.from({ length: PACK_LIMITS.rowsPerPack + 1 }, () => ({}));
    const many = loadError(packFolder({ 'many.json': { anchor: ANCHOR, logs: { Syslog: rows } } }));
    expect([many.jsonPath, many.problem]).toEqual([
      '$.logs.Syslog',
      `a pack may hold at most ${PACK_LIMITS.rowsPerPack} rows`,
    ]);
  });

  it('refuses a scenario folder that is missing or holds no packs', () => {
    const missing = path.join(os.tmpdir(), 'no-such-scenario-folder-7f3a');
    expect(loadError(missing).message).toBe(
      `Scenario pack ${missing}: $: the scenario folder does not exist`,
    );
    const empty = packFolder({ 'notes.txt': 'not a pack' });
    expect(loadError(empty).problem).toBe('the scenario folder holds no *.json packs');
  });
});
