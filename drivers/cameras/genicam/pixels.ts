/**
 * PFNC monochrome pixel formats → 16-bit frames. Codes carry the bits per pixel in bits
 * 23..16. 10/12/14/16-bit unpacked formats are little-endian 16-bit words; Mono12Packed
 * (GigE Vision) stores two pixels in three bytes: A[11:4], A[3:0] | B[3:0] << 4, B[11:4];
 * Mono12p (PFNC, what USB3 Vision cameras use) packs LSB first: A[7:0], A[11:8] | B[3:0] << 4,
 * B[11:4].
 */
import { StateError } from '../../errors';

export const PixelFormats = {
  Mono8: 0x01080001,
  Mono10: 0x01100003,
  Mono12: 0x01100005,
  Mono14: 0x01100025,
  Mono16: 0x01100007,
  Mono12Packed: 0x010c0006,
  Mono12p: 0x010c0047,
} as const;

export type MonoFormat = keyof typeof PixelFormats;

/** Preferred order when the camera offers several. */
export const MONO_PREFERENCE: MonoFormat[] = [
  'Mono16',
  'Mono14',
  'Mono12',
  'Mono10',
  'Mono12p',
  'Mono12Packed',
  'Mono8',
];

/** Formats whose payload is not one little-endian word per pixel (or one byte, Mono8). */
export const isPacked = (format: MonoFormat) => format === 'Mono12Packed' || format === 'Mono12p';

export function bitDepthOf(format: MonoFormat): number {
  const bits = { Mono8: 8, Mono10: 10, Mono12: 12, Mono14: 14, Mono16: 16 } as const;
  return isPacked(format) ? 12 : bits[format as keyof typeof bits];
}

export function payloadBytes(format: MonoFormat, pixels: number): number {
  if (format === 'Mono8') return pixels;
  if (isPacked(format)) return Math.ceil((pixels * 3) / 2);
  return pixels * 2;
}

function formatName(code: number): MonoFormat {
  const name = (Object.keys(PixelFormats) as MonoFormat[]).find((k) => PixelFormats[k] === code);
  if (!name)
    throw new StateError(
      `pixel format 0x${code.toString(16)} is not a supported monochrome format`,
      { pixelFormat: code },
    );
  return name;
}

/**
 * Converts `data` (one frame's payload) to width × height 16-bit pixels, written into `into`
 * when it has exactly that size. When `data` already is `into`'s memory (16-bit formats
 * received in place), nothing is copied.
 */
export function toMono16(
  code: number,
  data: Buffer,
  width: number,
  height: number,
  into?: ArrayBuffer,
): Uint16Array {
  const n = width * height;
  const format = formatName(code);
  if (data.length < payloadBytes(format, n))
    throw new StateError(
      `${format} frame of ${width}×${height} needs ${payloadBytes(format, n)} bytes, got ${data.length}`,
    );
  const out = into && into.byteLength === n * 2 ? new Uint16Array(into) : new Uint16Array(n);
  if (format === 'Mono8') {
    for (let i = 0; i < n; i++) out[i] = data[i]!;
  } else if (format === 'Mono12Packed') {
    for (let i = 0, j = 0; i < n; i += 2, j += 3) {
      const b1 = data[j + 1]!;
      out[i] = (data[j]! << 4) | (b1 & 0x0f);
      if (i + 1 < n) out[i + 1] = (data[j + 2]! << 4) | (b1 >> 4);
    }
  } else if (format === 'Mono12p') {
    for (let i = 0, j = 0; i < n; i += 2, j += 3) {
      const b1 = data[j + 1]!;
      out[i] = data[j]! | ((b1 & 0x0f) << 8);
      if (i + 1 < n) out[i + 1] = (b1 >> 4) | (data[j + 2]! << 4);
    }
  } else if (data.buffer === out.buffer && data.byteOffset === out.byteOffset) {
    // received in place
  } else if (data.byteOffset % 2 === 0) {
    out.set(new Uint16Array(data.buffer, data.byteOffset, n));
  } else {
    for (let i = 0; i < n; i++) out[i] = data.readUInt16LE(i * 2);
  }
  return out;
}
