import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import AdmZip from 'adm-zip';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  PackageError,
  fillPlaceholders,
  loadTeamsEnv,
  optionsFromArgs,
  packageApp,
  parseEnvFile,
  validateManifest,
} from '../../scripts/package-app';
import { REPO_ROOT } from '../support/paths';
import { SAMPLE_ENV, writeEnvDir } from './sampleTeamsEnv';

const run = promisify(execFile);
const APP_DIR = path.join(REPO_ROOT, 'teamsapp');
const temps: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'teamspkg-'));
  temps.push(dir);
  return dir;
}

function envDir(vars: Record<string, string>, userVars?: Record<string, string>, name = 'ci'): string {
  const dir = writeEnvDir(name, vars, userVars);
  temps.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

function expectValidPackage(zipPath: string): void {
  const zip = new AdmZip(zipPath);
  expect(
    zip
      .getEntries()
      .map((e) => e.entryName)
      .sort(),
  ).toEqual(['color.png', 'manifest.json', 'outline.png']);
  const manifest = JSON.parse(zip.readAsText('manifest.json'));
  expect(validateManifest(manifest)).toEqual([]);
  expect(JSON.stringify(manifest)).not.toContain('${{');
  expect(manifest.id).toBe(SAMPLE_ENV.TEAMS_APP_ID);
  expect(manifest.bots[0].botId).toBe(SAMPLE_ENV.BOT_ID);
  expect(manifest.validDomains).toEqual([SAMPLE_ENV.BOT_DOMAIN]);
  const color = PNG.sync.read(zip.readFile('color.png') as Buffer);
  const outline = PNG.sync.read(zip.readFile('outline.png') as Buffer);
  expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
}

describe('parseEnvFile', () => {
  it('reads KEY=VALUE lines, skips comments, strips quotes and trailing comments', () => {
    const text = '# c\nA=1\n\nexport B="two words"\nC=\'x=y\'\nD=plain # note\nE=\n';
    expect(parseEnvFile(text, 'f')).toEqual({ A: '1', B: 'two words', C: 'x=y', D: 'plain', E: '' });
  });

  it('names the file and line of a malformed line', () => {
    expect(() => parseEnvFile('A=1\nnot a pair\n', 'env/.env.x')).toThrow(
      /env\/\.env\.x:2: expected KEY=VALUE/,
    );
  });
});

describe('loadTeamsEnv', () => {
  it('lets the git-ignored .user file override and add values', () => {
    const dir = envDir({ A: 'base', B: 'base' }, { B: 'user', SECRET_X: 's' });
    expect(loadTeamsEnv(dir, 'ci')).toEqual({ A: 'base', B: 'user', SECRET_X: 's' });
  });

  it('says which environments exist when asked for a missing one', () => {
    const dir = envDir({ A: '1' });
    expect(() => loadTeamsEnv(dir, 'prod')).toThrow(
      /no environment file .*\.env\.prod \(environments here: ci\)/,
    );
  });

  it('refuses an environment name that could escape the folder', () => {
    expect(() => loadTeamsEnv(APP_DIR, '../x')).toThrow(PackageError);
  });
});

describe('fillPlaceholders', () => {
  it('names every variable left undefined or empty, once each', () => {
    const template = '{"a":"${{ONE}}","b":"${{TWO}}","c":"${{ONE}}","d":"${{SET}}"}';
    expect(() => fillPlaceholders(template, { TWO: ' ', SET: 'x' }, 'm.json', 'dev')).toThrow(
      /m\.json uses ONE, TWO but the environment leaves them undefined or empty: run `teamsapp provision --env dev`/,
    );
  });

  it('allows an empty APP_NAME_SUFFIX and JSON-escapes values', () => {
    const out = fillPlaceholders(
      '{"n":"Sentinel${{APP_NAME_SUFFIX}}","q":"${{Q}}"}',
      { APP_NAME_SUFFIX: '', Q: 'a"b\\c' },
      'm',
    );
    expect(JSON.parse(out)).toEqual({ n: 'Sentinel', q: 'a"b\\c' });
  });
});

describe('packageApp', () => {
  it('writes appPackage.<env>.zip with the filled, schema-valid manifest and both icons', () => {
    const out = tempDir();
    const result = packageApp({
      appDir: APP_DIR,
      envDir: envDir({ ...SAMPLE_ENV }),
      envName: 'ci',
      outDir: out,
    });
    expect(result.zipPath).toBe(path.join(out, 'appPackage.ci.zip'));
    expectValidPackage(result.zipPath);
  });

  it('fails naming the missing variable and writes no zip', () => {
    const out = tempDir();
    const { BOT_DOMAIN: _omitted, ...rest } = SAMPLE_ENV;
    expect(() => packageApp({ appDir: APP_DIR, envDir: envDir(rest), envName: 'ci', outDir: out })).toThrow(
      /uses BOT_DOMAIN but the environment leaves it undefined/,
    );
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('fails with the schema errors when a filled value breaks the schema', () => {
    const out = tempDir();
    expect(() =>
      packageApp({
        appDir: APP_DIR,
        envDir: envDir({ ...SAMPLE_ENV, TEAMS_APP_ID: 'not-a-guid' }),
        envName: 'ci',
        outDir: out,
      }),
    ).toThrow(/fails the Teams schema:\n {2}\/id: must match pattern/);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('fails when an icon has the wrong size', () => {
    const app = tempDir();
    fs.copyFileSync(path.join(APP_DIR, 'manifest.json'), path.join(app, 'manifest.json'));
    fs.copyFileSync(path.join(APP_DIR, 'color.png'), path.join(app, 'color.png'));
    fs.copyFileSync(path.join(APP_DIR, 'color.png'), path.join(app, 'outline.png'));
    expect(() =>
      packageApp({ appDir: app, envDir: envDir({ ...SAMPLE_ENV }), envName: 'ci', outDir: tempDir() }),
    ).toThrow(/outline\.png is 192×192, Teams needs 32×32/);
  });
});

describe('the package command line', () => {
  it('--env beats TEAMSFX_ENV, which beats "local"', () => {
    expect(optionsFromArgs([], REPO_ROOT, undefined).envName).toBe('local');
    expect(optionsFromArgs([], REPO_ROOT, 'dev').envName).toBe('dev');
    expect(optionsFromArgs(['--env', 'prod'], REPO_ROOT, 'dev').envName).toBe('prod');
    expect(() => optionsFromArgs(['--nope'], REPO_ROOT, undefined)).toThrow(/unknown option --nope/);
    expect(() => optionsFromArgs(['--env'], REPO_ROOT, undefined)).toThrow(/--env needs a value/);
  });

  it('`tsx scripts/package-app.ts` builds a valid package and exits 0', async () => {
    const out = tempDir();
    const { stdout } = await run(
      process.execPath,
      [
        path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        path.join(REPO_ROOT, 'scripts', 'package-app.ts'),
        '--env-dir',
        envDir({ ...SAMPLE_ENV }),
        '--out-dir',
        out,
      ],
      { cwd: REPO_ROOT, env: { ...process.env, TEAMSFX_ENV: 'ci' } },
    );
    expect(stdout).toContain('appPackage.ci.zip');
    expectValidPackage(path.join(out, 'appPackage.ci.zip'));
  });

  it('`npm run package` in a pipeline: process environment variables win over the env files (issue #16)', async () => {
    const out = tempDir();
    const { TEAMS_APP_ID, BOT_ID, BOT_DOMAIN, ...fileOnly } = SAMPLE_ENV;
    const { stdout } = await run(
      process.execPath,
      [
        path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        path.join(REPO_ROOT, 'scripts', 'package-app.ts'),
        '--env-dir',
        envDir({ ...fileOnly, BOT_DOMAIN: 'stale.example.net', TEAMS_APP_ID: '' }),
        '--out-dir',
        out,
      ],
      { cwd: REPO_ROOT, env: { ...process.env, TEAMSFX_ENV: 'ci', TEAMS_APP_ID, BOT_ID, BOT_DOMAIN } },
    );
    expect(stdout).toContain('appPackage.ci.zip');
    const manifest = JSON.parse(
      new AdmZip(path.join(out, 'appPackage.ci.zip')).readAsText('manifest.json'),
    ) as { id: string; bots: { botId: string }[]; validDomains: string[] };
    expect(manifest.id).toBe(TEAMS_APP_ID);
    expect(manifest.bots[0]?.botId).toBe(BOT_ID);
    expect(manifest.validDomains).toContain(BOT_DOMAIN);
    expect(manifest.validDomains).not.toContain('stale.example.net');
  });

  it('exits 1 with a one-line reason on bad input', async () => {
    const result = run(
      process.execPath,
      [
        path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        path.join(REPO_ROOT, 'scripts', 'package-app.ts'),
        '--env',
        'nosuchenv',
        '--env-dir',
        envDir({ ...SAMPLE_ENV }),
      ],
      { cwd: REPO_ROOT },
    );
    await expect(result).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^package: no environment file/m),
    });
  });
});
