/**
 * Test-pattern frames for throughput work: a diagonal ramp built by copying a pre-rendered
 * band of TILE_ROWS rows down the frame (the band stays in cache, so a frame costs little
 * more than writing its bytes), shifted per frame among VARIANTS so consecutive frames
 * differ everywhere, with the frame counter stamped into the first four pixels (seq as
 * four little-endian 16-bit words: pixels[0] = seq & 0xffff, …).
 */

import { frameBuffer } from './frame-buffer';

const VARIANTS = 4;
const TILE_ROWS = 64;

export class TestPatternSource {
  private key = '';
  private tiles: Uint16Array[] = [];

  /** `into`: see frameBuffer; every sample is written. */
  frame(seq: number, widthPx: number, heightPx: number, into?: ArrayBuffer): Uint16Array {
    const key = `${widthPx}x${heightPx}`;
    if (key !== this.key) {
      this.tiles = Array.from({ length: VARIANTS }, (_, v) => renderTile(widthPx, heightPx, v));
      this.key = key;
    }
    const tile = this.tiles[seq % VARIANTS];
    if (!tile) throw new RangeError('test pattern not prepared');
    const out = frameBuffer(widthPx * heightPx, into);
    for (let p = 0; p < out.length; p += tile.length) {
      out.set(p + tile.length <= out.length ? tile : tile.subarray(0, out.length - p), p);
    }
    stampCounter(out, seq);
    return out;
  }
}

/** Writes `seq` (0 ≤ seq < 2^53) into pixels[0..3]; see readCounter. */
export function stampCounter(pixels: Uint16Array, seq: number): void {
  let s = seq;
  for (let i = 0; i < 4 && i < pixels.length; i++) {
    pixels[i] = s % 65536;
    s = Math.floor(s / 65536);
  }
}

export function readCounter(pixels: Uint16Array): number {
  let s = 0;
  for (let i = Math.min(4, pixels.length) - 1; i >= 0; i--) s = s * 65536 + (pixels[i] ?? 0);
  return s;
}

/** TILE_ROWS rows (fewer for short frames) of a ramp shifted by the variant. */
function renderTile(w: number, h: number, variant: number): Uint16Array {
  const rows = Math.min(TILE_ROWS, h);
  const out = new Uint16Array(w * rows);
  const shift = variant * 97;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < w; x++) out[y * w + x] = ((x + y + shift) * 16) & 0xffff;
  }
  return out;
}
