/**
 * A saved plane → RGBA through a channel's LUT (the live view's colormap, window and gamma)
 * for the Data tab's viewer; the live view itself draws through its renderers. Pure.
 */
import type { ChannelLut, UiState } from '../state/store';
import { colormapIndex, colormapTable } from './colormaps';
import { computeHistogram } from './histogram';
import { autoContrast, windowValue, type DisplayWindow } from './lut';

/** The live view's LUT for `channel` (the one on screen, or the one kept for it); null: none. */
export function lutFor(s: UiState, channel: string): ChannelLut | null {
  if (s.displayChannel === channel) {
    const { colormap, windowMin, windowMax, gamma, autoContrast } = s;
    return { colormap, windowMin, windowMax, gamma, autoContrast };
  }
  return s.lutByChannel[channel] ?? null;
}

/** The window to draw `pixels` with: the LUT's, or auto-contrast when it is on or absent. */
export function planeWindow(
  pixels: Uint16Array,
  bitDepth: number,
  lut: ChannelLut | null,
  saturatedPct: number,
): DisplayWindow {
  if (lut && !lut.autoContrast) return { min: lut.windowMin, max: lut.windowMax, gamma: lut.gamma };
  const auto = autoContrast(computeHistogram(pixels, bitDepth), saturatedPct);
  return { ...auto, gamma: lut?.gamma ?? 1 };
}

export function planeToRgba(
  pixels: Uint16Array,
  window: DisplayWindow,
  colormap: ChannelLut['colormap'],
  out: Uint8ClampedArray,
): void {
  const table = colormapTable(colormap);
  for (let i = 0; i < pixels.length; i++) {
    const k = colormapIndex(windowValue(pixels[i]!, window)) * 4;
    out[i * 4] = table[k]!;
    out[i * 4 + 1] = table[k + 1]!;
    out[i * 4 + 2] = table[k + 2]!;
    out[i * 4 + 3] = 255;
  }
}
