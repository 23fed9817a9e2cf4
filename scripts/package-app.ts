/**
 * Builds the Teams app package: teamsapp/manifest.json with every ${{VAR}} filled from env/.env.<env>
 * (+ the git-ignored env/.env.<env>.user), validated against the official manifest schema for its
 * manifestVersion (shipped offline by @microsoft/app-manifest), zipped with the two icons into
 * teamsapp/build/appPackage.<env>.zip — the same file `teamsapp provision` uploads.
 *
 * Usage: `npm run package` (env "local"), `TEAMSFX_ENV=dev npm run package` or `npm run package -- --env dev`
 * (also `--env-dir <dir>`, `--out-dir <dir>`).
 */
import fs from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { PNG } from 'pngjs';

export class PackageError extends Error {
  override readonly name = 'PackageError';
}

export type TeamsEnv = Record<string, string>;

/** APP_NAME_SUFFIX is empty on purpose in a production env (the app is just "Sentinel"); any other empty value is a forgotten step. */
const MAY_BE_EMPTY = new Set(['APP_NAME_SUFFIX']);
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const ICON_SIZES: Readonly<Record<'color' | 'outline', number>> = { color: 192, outline: 32 };

/** dotenv subset that Teams Toolkit writes: KEY=VALUE, `#` comments, optional single or double quotes. */
export function parseEnvFile(text: string, file: string): TeamsEnv {
  const vars: TeamsEnv = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new PackageError(`${file}:${index + 1}: expected KEY=VALUE, got "${line}"`);
    const [, key, rest] = match as unknown as [string, string, string];
    const quoted = /^(['"])(.*)\1$/.exec(rest);
    vars[key] = quoted ? (quoted[2] as string) : rest.replace(/\s+#.*$/, '').trim();
  });
  return vars;
}

/** Values of one Teams Toolkit environment; the `.user` file (secrets, personal overrides) wins. */
export function loadTeamsEnv(envDir: string, envName: string): TeamsEnv {
  if (!/^[A-Za-z0-9_-]+$/.test(envName))
    throw new PackageError(`environment name "${envName}" must be letters, digits, - or _`);
  const base = path.join(envDir, `.env.${envName}`);
  if (!fs.existsSync(base)) {
    const known = fs.existsSync(envDir)
      ? fs
          .readdirSync(envDir)
          .filter((f) => /^\.env\.[A-Za-z0-9_-]+$/.test(f))
          .map((f) => f.slice(5))
      : [];
    throw new PackageError(`no environment file ${base} (environments here: ${known.join(', ') || 'none'})`);
  }
  const vars = parseEnvFile(fs.readFileSync(base, 'utf8'), base);
  const user = `${base}.user`;
  if (fs.existsSync(user)) Object.assign(vars, parseEnvFile(fs.readFileSync(user, 'utf8'), user));
  return vars;
}

export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/** Replaces every ${{VAR}} in a JSON text; values are JSON-escaped so a quote in a value cannot break the document. */
export function fillPlaceholders(
  template: string,
  vars: TeamsEnv,
  source: string,
  envName = '<env>',
): string {
  const missing = placeholdersIn(template).filter((name) => {
    const value = vars[name];
    return value === undefined || (value.trim() === '' && !MAY_BE_EMPTY.has(name));
  });
  if (missing.length > 0) {
    throw new PackageError(
      `${source} uses ${missing.join(', ')} but the environment leaves ${missing.length === 1 ? 'it' : 'them'} undefined or empty: ` +
        `run \`teamsapp provision --env ${envName}\` (it writes TEAMS_APP_ID, BOT_ID, BOT_DOMAIN) or set them in env/.env.${envName}`,
    );
  }
  return template.replace(PLACEHOLDER, (_all, name: string) => JSON.stringify(vars[name]).slice(1, -1));
}

function schemaFor(manifestVersion: unknown): object {
  if (typeof manifestVersion !== 'string' || !/^(\d+\.\d+|devPreview)$/.test(manifestVersion)) {
    throw new PackageError(`manifestVersion must be like "1.22", got ${JSON.stringify(manifestVersion)}`);
  }
  const folder = manifestVersion === 'devPreview' ? 'vDevPreview' : `v${manifestVersion}`;
  let file: string;
  try {
    file = require.resolve(
      `@microsoft/app-manifest/build/json-schemas/teams/${folder}/MicrosoftTeams.schema.json`,
    );
  } catch {
    throw new PackageError(`@microsoft/app-manifest ships no schema for manifestVersion ${manifestVersion}`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as object;
}

/** Schema errors of a filled manifest as "path: message" lines; empty when valid. */
export function validateManifest(manifest: unknown): string[] {
  if (typeof manifest !== 'object' || manifest === null) return ['(root): manifest must be a JSON object'];
  const schema = schemaFor((manifest as { manifestVersion?: unknown }).manifestVersion);
  // The Teams schemas are draft-04 and use a few keywords Ajv's strict mode does not know.
  const ajv = new Ajv04({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'}: ${e.message ?? 'invalid'}`);
}

function checkIcon(file: string, expected: number): void {
  if (!fs.existsSync(file))
    throw new PackageError(`icon ${file} is missing (regenerate with \`npx tsx scripts/make-icons.ts\`)`);
  const png = PNG.sync.read(fs.readFileSync(file));
  if (png.width !== expected || png.height !== expected) {
    throw new PackageError(`icon ${file} is ${png.width}×${png.height}, Teams needs ${expected}×${expected}`);
  }
}

export interface PackageOptions {
  /** Folder holding manifest.json and the icons (default teamsapp/). */
  appDir: string;
  /** Folder holding .env.<env> files (default env/). */
  envDir: string;
  envName: string;
  /** Where the zip goes (default teamsapp/build/). */
  outDir: string;
  /**
   * Variables that win over the env files: the process environment when run as `npm run package`, as a
   * CI/CD pipeline (Teams Toolkit's included) sets TEAMS_APP_ID, BOT_ID, BOT_DOMAIN. Empty values are
   * ignored, so an unset pipeline variable cannot blank a value from the files.
   */
  overrides?: Readonly<Record<string, string | undefined>>;
}

export interface PackageResult {
  zipPath: string;
  manifest: Record<string, unknown>;
}

export function packageApp(options: PackageOptions): PackageResult {
  const manifestPath = path.join(options.appDir, 'manifest.json');
  const vars = loadTeamsEnv(options.envDir, options.envName);
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined && value.trim() !== '') vars[key] = value;
  }
  const filled = fillPlaceholders(fs.readFileSync(manifestPath, 'utf8'), vars, manifestPath, options.envName);
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(filled) as Record<string, unknown>;
  } catch (err) {
    throw new PackageError(
      `${manifestPath} is not valid JSON after filling placeholders: ${(err as Error).message}`,
    );
  }
  const errors = validateManifest(manifest);
  if (errors.length > 0) {
    throw new PackageError(
      `manifest for env "${options.envName}" fails the Teams schema:\n  ${errors.join('\n  ')}`,
    );
  }
  const icons = (manifest.icons ?? {}) as Record<string, unknown>;
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));
  for (const kind of ['color', 'outline'] as const) {
    const name = icons[kind];
    if (typeof name !== 'string') throw new PackageError(`manifest icons.${kind} must name a file`);
    const file = path.join(options.appDir, name);
    checkIcon(file, ICON_SIZES[kind]);
    zip.addFile(name, fs.readFileSync(file));
  }
  fs.mkdirSync(options.outDir, { recursive: true });
  const zipPath = path.join(options.outDir, `appPackage.${options.envName}.zip`);
  zip.writeZip(zipPath);
  return { zipPath, manifest };
}

function flagValue(argv: readonly string[], flag: string): string | undefined {
  const at = argv.indexOf(flag);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  if (value === undefined || value.startsWith('--')) throw new PackageError(`${flag} needs a value`);
  return value;
}

/** `--env <name>` beats TEAMSFX_ENV beats "local"; `--env-dir` / `--out-dir` let tests and CI point elsewhere. */
export function optionsFromArgs(
  argv: readonly string[],
  root: string,
  teamsfxEnv: string | undefined,
): PackageOptions {
  const known = new Set(['--env', '--env-dir', '--out-dir']);
  const unknown = argv.filter((a, i) => a.startsWith('--') && !known.has(a) && !known.has(argv[i - 1] ?? ''));
  if (unknown.length > 0)
    throw new PackageError(`unknown option ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  const envDir = flagValue(argv, '--env-dir');
  const outDir = flagValue(argv, '--out-dir');
  return {
    appDir: path.join(root, 'teamsapp'),
    envDir: envDir ? path.resolve(envDir) : path.join(root, 'env'),
    envName: flagValue(argv, '--env') ?? (teamsfxEnv?.trim() || 'local'),
    outDir: outDir ? path.resolve(outDir) : path.join(root, 'teamsapp', 'build'),
  };
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  try {
    // A build tool, not the bot: TEAMSFX_ENV is the variable Teams Toolkit itself sets to pick the
    // environment, and a pipeline's variables win over the env files, so `teamsapp` tasks and CI work
    // the same way. The bot's runtime configuration is still read only in src/config.ts.
    const options = optionsFromArgs(process.argv.slice(2), root, process.env.TEAMSFX_ENV);
    const result = packageApp({ ...options, overrides: process.env });
    console.log(
      `wrote ${result.zipPath} (manifest valid against schema v${String(result.manifest.manifestVersion)})`,
    );
  } catch (err) {
    console.error(err instanceof PackageError ? `package: ${err.message}` : err);
    process.exitCode = 1;
  }
}
