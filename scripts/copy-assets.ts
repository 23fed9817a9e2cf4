/**
 * Copies the non-TypeScript assets the compiled bot reads at run time (prompt text, card templates,
 * bundled schemas) next to the compiled code, so dist/ resolves them the same way src/ does.
 */
import fs from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');
const dist = path.join(repoRoot, 'dist');
const assets: { from: string; filter: (file: string) => boolean }[] = [
  { from: 'src/prompts', filter: () => true },
  { from: 'src/kql', filter: (f) => f.endsWith('.json') || f.endsWith('.md') },
  { from: 'adaptive-cards', filter: (f) => f.endsWith('.json') },
  // The built-in demo scenario packs, read from disk at start (src/demo/scenarioLoader.ts).
  { from: 'src/demo/scenarios', filter: (f) => f.endsWith('.json') },
];

let copied = 0;
for (const { from, filter } of assets) {
  const src = path.join(repoRoot, from);
  if (!fs.existsSync(src)) continue;
  fs.cpSync(src, path.join(dist, from), {
    recursive: true,
    filter: (file) => fs.statSync(file).isDirectory() || filter(file),
  });
  copied++;
}
console.log(`copied ${copied} asset folders into dist/`);
