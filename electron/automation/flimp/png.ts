/**
 * Minimal PNG encoder for report thumbnails: 8-bit greyscale, no interlace, filter 0 on
 * every row, one zlib IDAT (PNG spec, ISO/IEC 15948 §11). `thumbnail` downsamples a 16-bit
 * frame by box averaging and stretches the 1st–99.5th percentile to 0–255.
 */
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

export function encodeGreyPng(grey: Uint8Array, widthPx: number, heightPx: number): Buffer {
  if (grey.length !== widthPx * heightPx)
    throw new RangeError(`PNG: ${grey.length} samples for ${widthPx}×${heightPx}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(widthPx, 0);
  ihdr.writeUInt32BE(heightPx, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // colour type: greyscale
  const raw = Buffer.alloc((widthPx + 1) * heightPx);
  for (let y = 0; y < heightPx; y++)
    raw.set(grey.subarray(y * widthPx, (y + 1) * widthPx), y * (widthPx + 1) + 1);
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A region of a frame (default: all of it), at most `maxSidePx` on its longer side, as a PNG. */
export function thumbnailPng(
  pixels: Uint16Array,
  widthPx: number,
  heightPx: number,
  maxSidePx: number,
  region = { xPx: 0, yPx: 0, widthPx, heightPx },
): Buffer {
  const x0 = Math.max(0, Math.floor(region.xPx));
  const y0 = Math.max(0, Math.floor(region.yPx));
  const rw = Math.max(1, Math.min(widthPx - x0, Math.floor(region.widthPx)));
  const rh = Math.max(1, Math.min(heightPx - y0, Math.floor(region.heightPx)));
  const f = Math.max(1, Math.ceil(Math.max(rw, rh) / maxSidePx));
  const tw = Math.max(1, Math.floor(rw / f));
  const th = Math.max(1, Math.floor(rh / f));
  const box = new Float64Array(tw * th);
  for (let j = 0; j < th; j++)
    for (let i = 0; i < tw; i++) {
      let s = 0;
      for (let y = 0; y < f; y++) {
        const row = (y0 + j * f + y) * widthPx + x0 + i * f;
        for (let x = 0; x < f; x++) s += pixels[row + x] ?? 0;
      }
      box[j * tw + i] = s / (f * f);
    }
  const sorted = Float64Array.from(box).sort();
  const lo = sorted[Math.floor(sorted.length * 0.01)] ?? 0;
  const hi = Math.max(lo + 1, sorted[Math.floor((sorted.length - 1) * 0.995)] ?? lo + 1);
  const grey = new Uint8Array(tw * th);
  for (let k = 0; k < grey.length; k++)
    grey[k] = Math.max(0, Math.min(255, Math.round((((box[k] ?? 0) - lo) / (hi - lo)) * 255)));
  return encodeGreyPng(grey, tw, th);
}
