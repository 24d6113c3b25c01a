/**
 * Reassembles frames the host paced in chunks (electron/remote/frame-pacer.ts; format in
 * electron/api/messages.ts): the first message has the header, which gives the frame's size;
 * "AQFC" messages carry the rest. Reports each frame's received bytes for `frame.progress`.
 */
import type { FRAME_CHUNK_MAGIC } from '../../electron/api/messages';
import { FrameDecodeError, parseFrameHeader, VIEW_MAGIC } from './decode-frame';

/** Typed against the contract's constant, so a change there fails the type check here. */
const CHUNK_MAGIC: typeof FRAME_CHUNK_MAGIC = 'AQFC';
const CHUNK_PREAMBLE = 8;

export interface FrameProgress {
  seq: number;
  /** Bytes of this frame's messages received so far (preambles included). */
  bytes: number;
  /** The whole frame once its last chunk arrived. */
  frame: ArrayBuffer | null;
}

export class FrameAssembler {
  private partial: { seq: number; buf: Uint8Array; filled: number; received: number } | null = null;

  push(message: ArrayBuffer): FrameProgress {
    const bytes = new Uint8Array(message);
    const magic = String.fromCharCode(...bytes.subarray(0, 4));
    if (magic === CHUNK_MAGIC) return this.continue(message, bytes);
    const { magic: kind, meta, raw, payloadOffset } = parseFrameHeader(message);
    const view = raw.view as
      { payloadBytes?: unknown; histogram?: { bytes?: unknown } } | undefined;
    // An "AQF2" payload follows the histogram's counts (WireHistogram.bytes).
    const payload =
      kind === VIEW_MAGIC
        ? Number(view?.payloadBytes) + Number(view?.histogram?.bytes ?? 0)
        : meta.widthPx * meta.heightPx * 2;
    const total = payloadOffset + payload;
    if (!Number.isInteger(total) || message.byteLength > total) {
      throw new FrameDecodeError(
        `frame ${meta.seq}: ${message.byteLength} bytes in its first message, the header says ${total} in all`,
      );
    }
    this.partial = null;
    if (message.byteLength === total) {
      return { seq: meta.seq, bytes: message.byteLength, frame: message };
    }
    const buf = new Uint8Array(total);
    buf.set(bytes);
    const received = message.byteLength;
    this.partial = { seq: meta.seq, buf, filled: received, received };
    return { seq: meta.seq, bytes: received, frame: null };
  }

  private continue(message: ArrayBuffer, bytes: Uint8Array): FrameProgress {
    const seq = new DataView(message).getUint32(4, true);
    const p = this.partial;
    if (!p || p.seq >>> 0 !== seq) {
      throw new FrameDecodeError(
        `frame chunk for frame ${seq} while ${p ? `frame ${p.seq}` : 'no frame'} is being received`,
      );
    }
    const data = bytes.subarray(CHUNK_PREAMBLE);
    if (p.filled + data.length > p.buf.length) {
      this.partial = null;
      throw new FrameDecodeError(
        `frame ${p.seq}: chunks run past the ${p.buf.length} bytes of its header`,
      );
    }
    p.buf.set(data, p.filled);
    p.filled += data.length;
    p.received += message.byteLength;
    const done = p.filled === p.buf.length;
    if (done) this.partial = null;
    return { seq: p.seq, bytes: p.received, frame: done ? (p.buf.buffer as ArrayBuffer) : null };
  }
}
