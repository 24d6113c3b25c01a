/**
 * Colour maps as 256-entry RGBA tables, generated from simple formulae. `hilo` is grey
 * with values at or below the window minimum drawn blue and at or above the maximum red
 * (the shader handles the ends; the table itself is grey).
 */
export const COLORMAP_NAMES = [
  'grey',
  'hot',
  'hilo',
  'green',
  'magenta',
  'cyan',
  'red',
  'blue',
] as const;
export type ColormapName = (typeof COLORMAP_NAMES)[number];

export const LUT_SIZE = 256;

type Rgb = (t: number) => [number, number, number];
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

const maps: Record<ColormapName, Rgb> = {
  grey: (t) => [t, t, t],
  hilo: (t) => [t, t, t],
  // Black → red → yellow → white, each ramp over a third of the range.
  hot: (t) => [clamp01(3 * t), clamp01(3 * t - 1), clamp01(3 * t - 2)],
  green: (t) => [0, t, 0],
  magenta: (t) => [t, 0, t],
  cyan: (t) => [0, t, t],
  red: (t) => [t, 0, 0],
  blue: (t) => [0, 0, t],
};

export function isColormapName(name: string): name is ColormapName {
  return (COLORMAP_NAMES as readonly string[]).includes(name);
}

export function colormapTable(name: ColormapName): Uint8Array {
  const table = new Uint8Array(LUT_SIZE * 4);
  const fn = maps[name];
  for (let i = 0; i < LUT_SIZE; i++) {
    const [r, g, b] = fn(i / (LUT_SIZE - 1));
    table[i * 4] = Math.round(r * 255);
    table[i * 4 + 1] = Math.round(g * 255);
    table[i * 4 + 2] = Math.round(b * 255);
    table[i * 4 + 3] = 255;
  }
  return table;
}

/** Matches the shader's lookup: index = round(t · 255). */
export function colormapIndex(t: number): number {
  return Math.round(clamp01(t) * (LUT_SIZE - 1));
}
