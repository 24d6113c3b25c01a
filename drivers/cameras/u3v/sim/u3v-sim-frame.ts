/**
 * The simulated camera's image: a pattern that tells where every pixel came from. A binned
 * pixel at (x, y) of the ROI, at binning b, covers sensor pixel (X, Y) = ((offsetX + x)·b,
 * (offsetY + y)·b) at its top-left; its value is (37·X + 101·Y + 7·blockId) mod 2^bits.
 */
import { SIM_FORMATS } from './u3v-sim-xml';

export interface SimFrame {
  blockId: number;
  format: number;
  width: number;
  height: number;
  offsetX: number;
  offsetY: number;
  binning: number;
}

export function simPixel(
  f: Omit<SimFrame, 'format' | 'width' | 'height'>,
  x: number,
  y: number,
  bits: number,
): number {
  const X = (f.offsetX + x) * f.binning;
  const Y = (f.offsetY + y) * f.binning;
  return (37 * X + 101 * Y + 7 * f.blockId) % 2 ** bits;
}

/** The frame's payload in its pixel format (Mono8, Mono12Packed, Mono12p, Mono16 little-endian). */
export function renderSimFrame(f: SimFrame): Buffer {
  const n = f.width * f.height;
  const value = (i: number, bits: number) =>
    simPixel(f, i % f.width, Math.floor(i / f.width), bits);
  if (f.format === SIM_FORMATS.Mono8) {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = value(i, 8);
    return out;
  }
  if (f.format === SIM_FORMATS.Mono12Packed || f.format === SIM_FORMATS.Mono12p) {
    const lsbFirst = f.format === SIM_FORMATS.Mono12p;
    const out = Buffer.alloc(Math.ceil((n * 3) / 2));
    for (let i = 0, j = 0; i < n; i += 2, j += 3) {
      const a = value(i, 12);
      const b = i + 1 < n ? value(i + 1, 12) : 0;
      out[j] = lsbFirst ? a & 0xff : a >> 4;
      out[j + 1] = lsbFirst ? (a >> 8) | ((b & 0x0f) << 4) : (a & 0x0f) | ((b & 0x0f) << 4);
      out[j + 2] = b >> 4;
    }
    return out;
  }
  const out = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) out.writeUInt16LE(value(i, 16), i * 2);
  return out;
}
