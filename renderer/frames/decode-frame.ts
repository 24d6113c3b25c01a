/**
 * Decoder for the binary display-frame format of `electron/api/messages.ts`:
 *   bytes 0..3 "AQF1" · bytes 4..7 u32 LE header length H · H bytes of JSON FrameMeta ·
 *   zero padding to a multiple of 8 · widthPx × heightPx uint16 LE pixels, row-major.
 * The same bytes arrive on the WebSocket and on the Electron frame MessagePort.
 */
import type { Histogram } from '../display/histogram';
import type { WireView } from '../../electron/api/frame-view';
import type { FRAME_MAGIC, FrameMeta, VIEW_FRAME_MAGIC } from '../../electron/api/messages';

/** Typed against the contract's constants, so a change there fails the type check here. */
const MAGIC: typeof FRAME_MAGIC = 'AQF1';
export const VIEW_MAGIC: typeof VIEW_FRAME_MAGIC = 'AQF2';
const PREAMBLE_BYTES = 8;

export interface DecodedFrame {
  meta: FrameMeta;
  /** A view on the received buffer when the platform is little-endian (no copy). */
  pixels: Uint16Array;
  /**
   * Set when the host sent a reduced view ("AQF2", ./decode-view-frame.ts): `pixels` are then
   * the view placed in full-image coordinates (expanded on first access), so they are not
   * exact camera values; `reduced` holds the view's own pixels (view.widthPx × view.heightPx;
   * for codec lut8 one byte each, 0..255 display values) and `histogram` the host's full-frame
   * histogram.
   */
  view?: WireView;
  reduced?: Uint16Array | Uint8Array;
  histogram?: Histogram;
}

export class FrameDecodeError extends Error {
  override name = 'FrameDecodeError';
  readonly code = 'FRAME_DECODE';
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The magic, checked header and payload offset of an "AQF1" or "AQF2" frame. */
export function parseFrameHeader(buf: ArrayBuffer): {
  magic: string;
  meta: FrameMeta;
  raw: Record<string, unknown>;
  payloadOffset: number;
} {
  if (buf.byteLength < PREAMBLE_BYTES) {
    throw new FrameDecodeError(
      `frame: ${buf.byteLength} bytes is shorter than the ${PREAMBLE_BYTES}-byte preamble`,
    );
  }
  const bytes = new Uint8Array(buf);
  const magic = String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0, bytes[2] ?? 0, bytes[3] ?? 0);
  if (magic !== MAGIC && magic !== VIEW_MAGIC) {
    throw new FrameDecodeError(
      `frame: magic is ${JSON.stringify(magic)}, expected "${MAGIC}" or "${VIEW_MAGIC}"`,
    );
  }
  const headerBytes = new DataView(buf).getUint32(4, true);
  const headerEnd = PREAMBLE_BYTES + headerBytes;
  if (headerEnd > buf.byteLength) {
    throw new FrameDecodeError(
      `frame: header length ${headerBytes} runs past the end of a ${buf.byteLength}-byte message`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(utf8.decode(bytes.subarray(PREAMBLE_BYTES, headerEnd)));
  } catch (err) {
    throw new FrameDecodeError(`frame header: not UTF-8 JSON (${(err as Error).message})`);
  }
  const meta = checkMeta(raw);
  return {
    magic,
    meta,
    raw: raw as Record<string, unknown>,
    payloadOffset: Math.ceil(headerEnd / 8) * 8,
  };
}

/** Decodes an "AQF1" (full) frame; "AQF2" frames need decodeViewFrame. */
export function decodeFrame(buf: ArrayBuffer): DecodedFrame {
  const { magic, meta, payloadOffset: pixelOffset } = parseFrameHeader(buf);
  if (magic !== MAGIC) {
    throw new FrameDecodeError(`frame ${meta.seq}: a "${magic}" frame needs decodeViewFrame`);
  }
  const pixelCount = meta.widthPx * meta.heightPx;
  const pixelBytes = buf.byteLength - pixelOffset;
  if (pixelBytes !== pixelCount * 2) {
    throw new FrameDecodeError(
      `frame ${meta.seq}: ${pixelBytes} pixel bytes after offset ${pixelOffset}, expected ` +
        `${pixelCount * 2} for ${meta.widthPx}×${meta.heightPx} uint16`,
    );
  }
  if (littleEndianHost) return { meta, pixels: new Uint16Array(buf, pixelOffset, pixelCount) };
  const view = new DataView(buf, pixelOffset);
  const pixels = new Uint16Array(pixelCount);
  for (let i = 0; i < pixelCount; i++) pixels[i] = view.getUint16(i * 2, true);
  return { meta, pixels };
}

const numericFields = [
  'seq',
  'cameraSeq',
  'bitDepth',
  'binning',
  'pixelSizeUm',
  'exposureMs',
  'timestampMs',
  'sentAtMs',
] as const;

/** Checks the fields the display relies on; the host is trusted for the rest. */
function checkMeta(raw: unknown): FrameMeta {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new FrameDecodeError('frame header: expected a JSON object');
  }
  const r = raw as Record<string, unknown>;
  for (const field of ['widthPx', 'heightPx'] as const) {
    const v = r[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new FrameDecodeError(
        `frame header.${field}: expected a positive integer, got ${JSON.stringify(v)}`,
      );
    }
  }
  for (const field of numericFields) {
    const v = r[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new FrameDecodeError(
        `frame header.${field}: expected a finite number, got ${JSON.stringify(v)}`,
      );
    }
  }
  return raw as FrameMeta;
}
