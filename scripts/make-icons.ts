/**
 * Draws the Teams app icons (teamsapp/color.png 192×192, teamsapp/outline.png 32×32) so the project owns
 * its artwork and can regenerate it: `npx tsx scripts/make-icons.ts`.
 * Teams rules: the colour icon is full colour on a solid background; the outline icon is white on
 * transparent (Teams tints it), so every visible pixel of the outline must be pure white.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

type Rgb = readonly [number, number, number];

const BACKGROUND: Rgb = [0x0f, 0x4c, 0x81];
const SHIELD: Rgb = [0xff, 0xff, 0xff];
const SHIELD_INNER: Rgb = [0x1b, 0x6e, 0xc2];
const EYE: Rgb = [0xff, 0xff, 0xff];
/** Samples per axis per pixel: 4×4 supersampling keeps edges smooth without a rendering library. */
const SUPERSAMPLE = 4;

/** Half-width of a shield at height v (coordinates in [-1, 1], y down); flat top, straight sides, pointed base. */
function shieldHalfWidth(v: number, scale: number): number {
  const top = -0.82 * scale;
  const shoulder = 0.05 * scale;
  const tip = 0.9 * scale;
  const width = 0.72 * scale;
  if (v < top || v > tip) return -1;
  if (v <= shoulder) return width;
  const t = (v - shoulder) / (tip - shoulder);
  return width * Math.sqrt(Math.max(0, 1 - t * t));
}

function insideShield(u: number, v: number, scale: number): boolean {
  return Math.abs(u) <= shieldHalfWidth(v, scale);
}

function insideEye(u: number, v: number, radius: number): boolean {
  return u * u + (v + 0.05) * (v + 0.05) <= radius * radius;
}

/** Fraction (0..1) of the pixel's subsamples for which `inside` holds. */
function coverage(px: number, py: number, size: number, inside: (u: number, v: number) => boolean): number {
  let hits = 0;
  for (let sy = 0; sy < SUPERSAMPLE; sy++) {
    for (let sx = 0; sx < SUPERSAMPLE; sx++) {
      const u = ((px + (sx + 0.5) / SUPERSAMPLE) / size) * 2 - 1;
      const v = ((py + (sy + 0.5) / SUPERSAMPLE) / size) * 2 - 1;
      if (inside(u, v)) hits++;
    }
  }
  return hits / (SUPERSAMPLE * SUPERSAMPLE);
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function setPixel(png: PNG, x: number, y: number, rgb: Rgb, alpha: number): void {
  const i = (y * png.width + x) * 4;
  png.data[i] = Math.round(rgb[0]);
  png.data[i + 1] = Math.round(rgb[1]);
  png.data[i + 2] = Math.round(rgb[2]);
  png.data[i + 3] = Math.round(alpha * 255);
}

/** 192×192, opaque: a white shield with a blue inset and a white "watching eye" on the Sentinel-blue tile. */
export function renderColorIcon(size = 192): PNG {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let rgb = BACKGROUND;
      rgb = mix(
        rgb,
        SHIELD,
        coverage(x, y, size, (u, v) => insideShield(u, v, 0.8)),
      );
      rgb = mix(
        rgb,
        SHIELD_INNER,
        coverage(x, y, size, (u, v) => insideShield(u, v, 0.66)),
      );
      rgb = mix(
        rgb,
        EYE,
        coverage(x, y, size, (u, v) => insideEye(u, v, 0.16)),
      );
      setPixel(png, x, y, rgb, 1);
    }
  }
  return png;
}

/** 32×32, white on transparent: the shield's rim and the eye, antialiased through alpha only. */
export function renderOutlineIcon(size = 32): PNG {
  const png = new PNG({ width: size, height: size });
  const drawn = (u: number, v: number): boolean =>
    (insideShield(u, v, 0.95) && !insideShield(u, v, 0.72)) || insideEye(u, v, 0.2);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      setPixel(png, x, y, [255, 255, 255], coverage(x, y, size, drawn));
    }
  }
  return png;
}

export function writeIcons(dir: string): { color: string; outline: string } {
  const color = path.join(dir, 'color.png');
  const outline = path.join(dir, 'outline.png');
  fs.writeFileSync(color, PNG.sync.write(renderColorIcon()));
  fs.writeFileSync(outline, PNG.sync.write(renderOutlineIcon()));
  return { color, outline };
}

if (require.main === module) {
  const written = writeIcons(path.resolve(__dirname, '..', 'teamsapp'));
  console.log(`wrote ${written.color} and ${written.outline}`);
}
