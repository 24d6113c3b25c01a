/**
 * Binary frame encoding for every client transport (format: electron/api/messages.ts).
 * The header is encoded per send (it carries sentAtMs); pixels are never re-encoded —
 * callers send the header and the pixel bytes as two fragments of one message, or
 * concatenate only where a transport requires a single buffer.
 */
import os from 'node:os';
import type { FrameMeta } from '../api/contract';
import { FRAME_MAGIC } from '../api/messages';

if (os.endianness() !== 'LE') throw new Error('Aquila frame encoding assumes a little-endian host');

/** Magic + length + JSON header, zero-padded so the pixels that follow start at a multiple of 8. */
export function encodeFrameHeader(meta: FrameMeta): Buffer {
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const unpadded = 8 + json.length;
  const total = Math.ceil(unpadded / 8) * 8;
  const out = Buffer.alloc(total);
  out.write(FRAME_MAGIC, 0, 'ascii');
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  return out;
}

/** Pixel bytes as a Buffer view (no copy). */
export function pixelBytes(pixels: Uint16Array): Buffer {
  return Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
}
