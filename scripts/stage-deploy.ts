/**
 * `npm run stage:deploy`, after `npm run build`: the folder `teamsapp deploy` zips for the Web App. It
 * holds what `node dist/src/index.js` needs and nothing else — the build, the package files and the
 * production dependencies, installed fresh with `npm ci --omit=dev` — so the zip carries no test
 * tooling, no Agents Playground, no TypeScript sources (issue #16, item 11).
 *
 * Usage: `npm run stage:deploy` (writes .deploy/), or `node dist/scripts/stage-deploy.js <folder>`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');

/** Development tools that a production dependency must never pull into the Web App. */
export const MUST_NOT_SHIP = [
  '@microsoft/m365agentsplayground',
  'js-yaml',
  'pngjs',
  'vitest',
  'typescript',
  'tsx',
  'eslint',
  'playwright-core',
  'markdown-it',
  'azurite',
];

export function stageDeploy(target: string): void {
  const dist = path.join(repoRoot, 'dist');
  if (!fs.existsSync(path.join(dist, 'src', 'index.js'))) {
    throw new Error('dist/src/index.js is missing: run `npm run build` first');
  }
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  // Only the runtime: the build scripts and tests in dist are not part of the bot.
  fs.cpSync(path.join(dist, 'src'), path.join(target, 'dist', 'src'), { recursive: true });
  for (const asset of ['adaptive-cards', 'package.json']) {
    const from = path.join(dist, asset);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(target, 'dist', asset), { recursive: true });
  }
  for (const file of ['package.json', 'package-lock.json']) {
    fs.copyFileSync(path.join(repoRoot, file), path.join(target, file));
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = spawnSync(npm, ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: target,
    stdio: 'inherit',
  });
  if (install.status !== 0) throw new Error(`npm ci --omit=dev failed in ${target}`);
  const leaked = MUST_NOT_SHIP.filter((name) => fs.existsSync(path.join(target, 'node_modules', name)));
  if (leaked.length > 0) throw new Error(`development packages in the deploy folder: ${leaked.join(', ')}`);
}

if (require.main === module) {
  const target = path.resolve(repoRoot, process.argv[2] ?? '.deploy');
  try {
    stageDeploy(target);
    console.log(`staged ${target} (build + production dependencies)`);
  } catch (err) {
    console.error(`stage:deploy: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
