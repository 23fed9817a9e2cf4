import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderColorIcon, renderOutlineIcon } from '../../scripts/make-icons';
import { REPO_ROOT } from '../support/paths';

function readIcon(name: string): PNG {
  return PNG.sync.read(fs.readFileSync(path.join(REPO_ROOT, 'teamsapp', name)));
}

function alphas(png: PNG): number[] {
  const out: number[] = [];
  for (let i = 3; i < png.data.length; i += 4) out.push(png.data[i]!);
  return out;
}

describe('Teams app icons', () => {
  it('color.png is 192×192, fully opaque and more than one colour', () => {
    const png = readIcon('color.png');
    expect([png.width, png.height]).toEqual([192, 192]);
    expect(alphas(png).every((a) => a === 255)).toBe(true);
    const colours = new Set<string>();
    for (let i = 0; i < png.data.length; i += 4)
      colours.add(`${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`);
    expect(colours.size).toBeGreaterThan(2);
  });

  it('outline.png is 32×32, white on transparent: every visible pixel is pure white', () => {
    const png = readIcon('outline.png');
    expect([png.width, png.height]).toEqual([32, 32]);
    const a = alphas(png);
    expect(a.filter((v) => v === 0).length).toBeGreaterThan(32 * 32 * 0.3);
    expect(a.filter((v) => v === 255).length).toBeGreaterThan(32);
    const nonWhite: number[] = [];
    for (let i = 0; i < png.data.length; i += 4) {
      const visible = png.data[i + 3]! > 0;
      const white = png.data[i] === 255 && png.data[i + 1] === 255 && png.data[i + 2] === 255;
      if (visible && !white) nonWhite.push(i / 4);
    }
    expect(nonWhite).toEqual([]);
  });

  it('the committed PNGs are what scripts/make-icons.ts draws', () => {
    expect(Buffer.compare(readIcon('color.png').data, renderColorIcon().data)).toBe(0);
    expect(Buffer.compare(readIcon('outline.png').data, renderOutlineIcon().data)).toBe(0);
  });
});
