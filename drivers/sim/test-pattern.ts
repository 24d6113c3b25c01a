/**
 * Test-pattern frames for throughput work: a few pre-rendered gradients per frame size;
 * each frame is one copy of one of them with the frame counter stamped into the first four
 * pixels (seq as four little-endian 16-bit words: pixels[0] = seq & 0xffff, …).
 */

const VARIANTS = 4;

export class TestPatternSource {
  private key = '';
  private buffers: Uint16Array[] = [];

  frame(seq: number, widthPx: number, heightPx: number): Uint16Array {
    const key = `${widthPx}x${heightPx}`;
    if (key !== this.key) {
      this.buffers = Array.from({ length: VARIANTS }, (_, v) => render(widthPx, heightPx, v));
      this.key = key;
    }
    const src = this.buffers[seq % VARIANTS];
    if (!src) throw new RangeError('test pattern not prepared');
    const out = src.slice();
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

/** Diagonal ramp shifted by the variant, so consecutive frames differ everywhere. */
function render(w: number, h: number, variant: number): Uint16Array {
  const out = new Uint16Array(w * h);
  const shift = variant * 97;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) out[row + x] = ((x + y + shift) * 16) & 0xffff;
  }
  return out;
}
