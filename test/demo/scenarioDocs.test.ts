import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_WORKSPACE } from '../../src/config';
import { createLogTables } from '../../src/demo/logTables';
import { BUILTIN_SCENARIOS_DIR, LOADER_LIMITS, loadScenarioFolders } from '../../src/demo/scenarioLoader';
import { ENTITY_KINDS, PACK_LIMITS } from '../../src/demo/scenarioPack';
import { DemoStore } from '../../src/demo/store';
import { REPO_ROOT } from '../support/paths';

/** docs/demo-scenarios.md is what trainers write packs from: its example must load and its lists match the code. */
const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'demo-scenarios.md'), 'utf8');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-doc-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('docs/demo-scenarios.md', () => {
  it('has an example pack that loads as incident 13 with its rows', () => {
    const example = /## Example[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    fs.writeFileSync(path.join(dir, 'example.json'), example!);
    const now = new Date('2026-11-20T12:00:00.000Z');
    const store = new DemoStore({ workspace: DEMO_WORKSPACE, now: () => now });
    const loaded = loadScenarioFolders(store, [BUILTIN_SCENARIOS_DIR, dir], now);
    expect(loaded.packs).toBe(fs.readdirSync(BUILTIN_SCENARIOS_DIR).length + 1);
    const incident = store.getByNumber(13)!;
    expect([incident.title, incident.owner.assignedTo, incident.tasks[0]?.status]).toEqual([
      "Illicit consent grant to 'PDF Viewer Pro' by kim.akers@contoso.com",
      'Elena Rossi',
      'Completed',
    ]);
    const office = store.logTables().OfficeActivity!;
    const ip = office.columns.findIndex((c) => c.name === 'ClientIP');
    expect(office.rows.filter((r) => r[ip] === '203.0.113.77')).toHaveLength(2);
  });

  it('names every entity kind and every served table, and the limits the loader enforces', () => {
    for (const kind of ENTITY_KINDS) expect(doc).toContain(`\`${kind}\``);
    for (const table of Object.keys(createLogTables())) expect(doc).toContain(table);
    const prose = doc.replace(/\s+/g, ' ');
    expect(prose).toContain(`larger than ${LOADER_LIMITS.packBytes / 1024 / 1024} MiB`);
    expect(prose).toContain(`deeper than ${LOADER_LIMITS.depth} levels`);
    expect(prose).toContain(
      `more than ${PACK_LIMITS.incidents} incidents or ${PACK_LIMITS.rowsPerPack.toLocaleString('en-US')} log rows`,
    );
  });
});
