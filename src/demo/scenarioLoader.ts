import fs from 'node:fs';
import path from 'node:path';
import { checkLogRows } from './scenarioLogRows';
import { PackProblem, formatJsonPath, parseScenarioPack, type JsonPath } from './scenarioPack';
import { checkPackReferences, toIncidentInput, type TakenIds } from './scenarioPackInput';
import { InvalidDatetimeError, parseIsoDatetime, shiftDatetimes } from './scenarioTime';
import type { DemoStore } from './store';

/** The packs that ship with the bot: the demo week, loaded before any DEMO_SCENARIOS folder. */
export const BUILTIN_SCENARIOS_DIR = path.join(__dirname, 'scenarios');

/** Refuse absurd input before parsing it: the whole demo workspace lives in memory. */
export interface LoaderLimits {
  readonly packBytes: number;
  readonly totalBytes: number;
  readonly packsPerFolder: number;
  readonly depth: number;
}
export const LOADER_LIMITS: LoaderLimits = Object.freeze({
  packBytes: 8 * 1024 * 1024,
  totalBytes: 32 * 1024 * 1024,
  packsPerFolder: 200,
  depth: 32,
});

/** A pack that cannot be loaded, naming the file and the JSON path of the bad field. */
export class ScenarioPackError extends Error {
  constructor(
    readonly file: string,
    readonly jsonPath: string,
    readonly problem: string,
  ) {
    super(`Scenario pack ${file}: ${jsonPath}: ${problem}`);
    this.name = 'ScenarioPackError';
  }
}

export interface ScenarioLoadResult {
  packs: number;
  incidents: number;
  rows: number;
}

/** The `*.json` files directly in `folder`, in file-name order (code-unit order, not locale). */
export function listPackFiles(folder: string, limits: LoaderLimits = LOADER_LIMITS): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new ScenarioPackError(folder, '$', `the scenario folder ${reason}`);
  }
  const files = entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.json'))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (files.length > limits.packsPerFolder)
    throw new ScenarioPackError(
      folder,
      '$',
      `holds ${files.length} packs; at most ${limits.packsPerFolder} are loaded from one folder`,
    );
  return files.map((name) => path.join(folder, name));
}

/** Deepest nesting of a parsed JSON value, counted without recursion (a hostile pack cannot blow the stack). */
function depthExceeds(value: unknown, limit: number): JsonPath | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === undefined || item.value === null || typeof item.value !== 'object') continue;
    if (item.path.length >= limit) return item.path;
    for (const [key, child] of Object.entries(item.value))
      stack.push({ value: child, path: [...item.path, Array.isArray(item.value) ? Number(key) : key] });
  }
  return undefined;
}

function readPack(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new PackProblem([], `is not valid JSON (${(err as Error).message})`);
  }
}

/** Reads, shifts and validates one pack, then adds its incidents and rows to the store. */
function loadPack(
  store: DemoStore,
  file: string,
  now: Date,
  taken: TakenIds,
  limits: LoaderLimits,
): ScenarioLoadResult {
  const raw = readPack(file);
  const tooDeep = depthExceeds(raw, limits.depth);
  if (tooDeep !== undefined) throw new PackProblem(tooDeep, `is nested deeper than ${limits.depth} levels`);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new PackProblem([], 'must be a JSON object with "anchor", "incidents" and "logs"');
  const { anchor, ...content } = raw as Record<string, unknown>;
  const anchorMs = typeof anchor === 'string' ? parseIsoDatetime(anchor) : undefined;
  if (anchorMs === undefined)
    throw new PackProblem(['anchor'], 'is required: the ISO-8601 time the pack was written as "now"');
  const pack = parseScenarioPack({
    anchor,
    ...(shiftDatetimes(content, now.getTime() - anchorMs) as object),
  });
  const incidents = pack.incidents ?? [];
  checkPackReferences(incidents, taken);
  const logs = checkLogRows(pack.logs ?? {}, store.logTables());
  for (const incident of incidents) store.createIncident(toIncidentInput(incident), incident.name);
  let rows = 0;
  for (const [table, records] of Object.entries(logs)) {
    for (const record of records) store.appendLogRow(table, record);
    rows += records.length;
  }
  return { packs: 1, incidents: incidents.length, rows };
}

/**
 * Loads every pack of each folder in order (built-in first, then DEMO_SCENARIOS), shifting each
 * pack's date-times by (now - anchor). Incidents without a number get the next one, so load order
 * is number order. The first bad pack stops the start with a ScenarioPackError.
 */
export function loadScenarioFolders(
  store: DemoStore,
  folders: readonly string[],
  now: Date,
  limits: LoaderLimits = LOADER_LIMITS,
): ScenarioLoadResult {
  const total: ScenarioLoadResult = { packs: 0, incidents: 0, rows: 0 };
  const taken: TakenIds = {
    numbers: new Set(store.listIncidents().map((i) => i.number)),
    names: new Set(store.listIncidents().map((i) => i.name.toLowerCase())),
  };
  let bytes = 0;
  for (const folder of folders) {
    const files = listPackFiles(folder, limits);
    if (files.length === 0)
      throw new ScenarioPackError(folder, '$', 'the scenario folder holds no *.json packs');
    for (const file of files) {
      const size = fs.statSync(file).size;
      bytes += size;
      if (size > limits.packBytes)
        throw new ScenarioPackError(file, '$', `is ${size} bytes; a pack may be at most ${limits.packBytes}`);
      if (bytes > limits.totalBytes)
        throw new ScenarioPackError(file, '$', `packs may total at most ${limits.totalBytes} bytes`);
      try {
        const loaded = loadPack(store, file, now, taken, limits);
        total.packs += loaded.packs;
        total.incidents += loaded.incidents;
        total.rows += loaded.rows;
      } catch (err) {
        if (err instanceof PackProblem)
          throw new ScenarioPackError(file, formatJsonPath(err.path), err.problem);
        if (err instanceof InvalidDatetimeError)
          throw new ScenarioPackError(file, formatJsonPath(err.path), err.message);
        throw err;
      }
    }
  }
  return total;
}
