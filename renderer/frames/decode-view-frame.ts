/**
 * Decoder for both frame formats of `electron/api/messages.ts`: "AQF1" frames as decodeFrame,
 * "AQF2" (a client's reduced view) inflated when compressed and un-filtered. The live view
 * uploads the reduced pixels at their own size; `pixels` (the view placed back in full-image
 * coordinates, for consumers that work in image pixels) is only expanded when read.
 */
import type { FrameCodec, MAX_VIEW_LEVEL, WireView } from '../../electron/api/frame-view';
import {
  decodeFrame,
  FrameDecodeError,
  parseFrameHeader,
  VIEW_MAGIC,
  type DecodedFrame,
} from './decode-frame';
import { histogramFromWire } from '../display/histogram';
import { expandView, byteUnshuffle, byteUnshuffle32 } from './view-pixels';

/** Typed against the contract's constants, so a change there fails the type check here. */
const CODECS: readonly FrameCodec[] = ['raw', 'deflate', 'lut8'] satisfies FrameCodec[];
const MAX_LEVEL: typeof MAX_VIEW_LEVEL = 6;

export async function decodeViewFrame(buf: ArrayBuffer): Promise<DecodedFrame> {
  const { magic, meta, raw, payloadOffset } = parseFrameHeader(buf);
  if (magic !== VIEW_MAGIC) return decodeFrame(buf);
  const view = checkView(raw.view, meta.widthPx, meta.heightPx, meta.seq);
  const countBytes = view.histogram?.bytes ?? 0;
  if (
    !Number.isInteger(countBytes) ||
    countBytes < 0 ||
    payloadOffset + countBytes > buf.byteLength
  ) {
    throw new FrameDecodeError(
      `frame ${meta.seq} header.view.histogram.bytes: ${JSON.stringify(countBytes)} does not fit ` +
        `the ${buf.byteLength - payloadOffset} bytes after the header`,
    );
  }
  const payload = new Uint8Array(buf, payloadOffset + countBytes);
  if (payload.length !== view.payloadBytes) {
    throw new FrameDecodeError(
      `frame ${meta.seq}: ${payload.length} payload bytes, header says ${view.payloadBytes}`,
    );
  }
  const count = view.widthPx * view.heightPx;
  let reduced: Uint16Array | Uint8Array;
  if (view.codec === 'raw') {
    if (payload.length !== count * 2) {
      throw new FrameDecodeError(
        `frame ${meta.seq}: ${payload.length} pixel bytes, expected ${count * 2} for ` +
          `${view.widthPx}×${view.heightPx} uint16`,
      );
    }
    reduced = new Uint16Array(payload.slice().buffer);
  } else {
    const bytes = await inflateRaw(payload, meta.seq);
    const want = view.codec === 'lut8' ? count : count * 2;
    if (bytes.length !== want) {
      throw new FrameDecodeError(
        `frame ${meta.seq}: inflated to ${bytes.length} bytes, expected ${want} for ` +
          `${view.widthPx}×${view.heightPx} ${view.codec === 'lut8' ? 'uint8' : 'uint16'}`,
      );
    }
    reduced = view.codec === 'lut8' ? bytes : byteUnshuffle(bytes);
  }
  let histogram;
  if (view.histogram) {
    const counts = await inflateRaw(
      new Uint8Array(buf, payloadOffset, countBytes),
      meta.seq,
      'histogram',
    );
    try {
      histogram = histogramFromWire(view.histogram, byteUnshuffle32(counts));
    } catch (err) {
      throw new FrameDecodeError(`frame ${meta.seq} header.view.${(err as Error).message}`);
    }
  }
  let expanded: Uint16Array | null = null;
  return {
    meta,
    view,
    reduced,
    ...(histogram && { histogram }),
    get pixels() {
      return (expanded ??= expandView(reduced, view, meta.widthPx, meta.heightPx));
    },
  };
}

async function inflateRaw(
  bytes: Uint8Array<ArrayBuffer>,
  seq: number,
  what = 'payload',
): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (err) {
    throw new FrameDecodeError(`frame ${seq}: deflate ${what} is corrupt (${String(err)})`);
  }
}

function checkView(v: unknown, imageW: number, imageH: number, seq: number): WireView {
  const bad = (what: string) => new FrameDecodeError(`frame ${seq} header.view: ${what}`);
  if (typeof v !== 'object' || v === null) throw bad('missing');
  const view = v as WireView;
  const r = view.region;
  const ints = [
    view.level,
    view.widthPx,
    view.heightPx,
    view.payloadBytes,
    r?.x,
    r?.y,
    r?.width,
    r?.height,
  ];
  if (!ints.every((n) => Number.isInteger(n) && (n as number) >= 0)) {
    throw bad(`expected non-negative integers, got ${JSON.stringify(v)}`);
  }
  if (!CODECS.includes(view.codec)) throw bad(`unknown codec ${JSON.stringify(view.codec)}`);
  const win = view.window;
  if (view.codec === 'lut8' && !(win && [win.min, win.max, win.gamma].every(Number.isFinite))) {
    throw bad(`codec lut8 without a window (${JSON.stringify(win)})`);
  }
  if (view.level > MAX_LEVEL) throw bad(`level ${view.level} above ${MAX_LEVEL}`);
  if (r.x + r.width > imageW || r.y + r.height > imageH) {
    throw bad(`region ${JSON.stringify(r)} lies outside the ${imageW}×${imageH} image`);
  }
  const b = 1 << view.level;
  if (view.widthPx !== Math.ceil(r.width / b) || view.heightPx !== Math.ceil(r.height / b)) {
    throw bad(
      `size ${view.widthPx}×${view.heightPx} does not match the region at level ${view.level}`,
    );
  }
  return view;
}
