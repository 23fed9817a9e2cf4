import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MUST_NOT_SHIP } from '../../scripts/stage-deploy';
import { REPO_ROOT } from '../support/paths';

/**
 * Issue #16 item 11: production dependencies are what the running bot needs. Dev tools (the Playground,
 * YAML and PNG libraries used by tests and build scripts) are devDependencies, which `npm ci` still
 * installs for `npm start` on a fresh clone, and which the deploy folder (`npm run stage:deploy`) leaves out.
 */
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

const IMPORT =
  /^\s*(?:import|export|\})[^'"\n]*?\bfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\brequire\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** `@scope/name` or `name` of every package the bot's own code imports. */
function packagesImportedBy(files: string[]): Set<string> {
  const found = new Set<string>();
  for (const file of files) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? '';
      if (spec.startsWith('.') || spec.startsWith('node:')) continue;
      found.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec));
    }
  }
  return found;
}

describe('production dependencies', () => {
  it('carry no dev tools', () => {
    expect(MUST_NOT_SHIP.filter((name) => name in manifest.dependencies)).toEqual([]);
    for (const name of ['@microsoft/m365agentsplayground', 'js-yaml', 'pngjs'])
      expect(manifest.devDependencies[name], name).toBeDefined();
  });

  it('include every package the bot (src/) imports', () => {
    const imported = [...packagesImportedBy(sourceFiles(path.join(REPO_ROOT, 'src')))];
    expect(imported.filter((name) => !(name in manifest.dependencies)).sort()).toEqual([]);
  });
});
