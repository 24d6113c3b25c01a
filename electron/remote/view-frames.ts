/**
 * Encodes a display frame for one client's view (electron/api/frame-view.ts): full raw frames
 * as "AQF1" (pixels not copied, no worker), everything else as "AQF2" from the frame's view
 * pyramid. The host's thread only copies the frame once into a shared buffer; the pyramid (down
 * to the coarsest level a client asked for) and full-frame histogram are built once per frame
 * in the view worker (./view-pool.ts), and each client's crop + encode runs there too; clients
 * with the same view and codec share one encode.
 */
import type { FrameMeta } from '../api/contract';
import {
  planView,
  type DisplayWindow,
  type FrameCodec,
  type FrameView,
  type ViewCodec,
  type ViewRequest,
  type WireView,
} from '../api/frame-view';
import { VIEW_FRAME_MAGIC } from '../api/messages';
import { encodeFrameHeader, pixelBytes } from '../host/frame-codec';
import type { HostFrame } from '../host/frame-bus';
import type { CodecChooser } from './codec-choice';
import type { EncodeResult, PyramidResult } from './view-jobs';
import { viewPool } from './view-pool';
import { pyramidLayout } from './view-pyramid';

export interface ClientView {
  view: ViewRequest | null;
  codec: ViewCodec;
  /** The client's display window, for `lut8` (and `auto`, which may then pick lut8). */
  window?: DisplayWindow;
}

export const FULL_VIEW: ClientView = { view: null, codec: 'raw' };

export interface EncodedFrame {
  /** Preamble, JSON header and padding; for "AQF2" also the histogram's counts (WireHistogram). */
  header: Buffer;
  payload: Buffer;
  codec: FrameCodec;
}

/** How `auto` picks: the client's chooser and its link's throughput now. */
export interface AutoCodec {
  chooser: CodecChooser;
  bytesPerMs: () => number;
}

interface Pyramid {
  buffer: SharedArrayBuffer;
  histogram: Promise<PyramidResult>;
  /** The coarsest level built, or being built, so far. */
  builtTo: number;
  /** Settles once levels 1..builtTo are built. */
  levels: Promise<unknown>;
  encodes: Map<string, Promise<EncodeResult>>;
}

const pyramids = new WeakMap<HostFrame, Pyramid>();

/** Whether the client gets plain "AQF1" frames (encodeFullFrame, no worker). */
export function wantsFullFrame(client: ClientView): boolean {
  return !client.view && client.codec === 'raw';
}

export function encodeFullFrame(frame: HostFrame): EncodedFrame {
  const header = encodeFrameHeader({ ...frame.meta, sentAtMs: Date.now() });
  return { header, payload: pixelBytes(frame.pixels), codec: 'raw' };
}

/** `auto`: needed when client.codec is 'auto'. */
export async function encodeForView(
  frame: HostFrame,
  client: ClientView,
  auto?: AutoCodec,
): Promise<EncodedFrame> {
  const sentMeta = (): FrameMeta => ({ ...frame.meta, sentAtMs: Date.now() });
  if (wantsFullFrame(client)) return encodeFullFrame(frame);
  const { widthPx: w, heightPx: h } = frame.meta;
  const plan: FrameView = client.view
    ? planView(w, h, client.view)
    : { level: 0, region: { x: 0, y: 0, width: w, height: h }, widthPx: w, heightPx: h };
  const rawBytes = plan.widthPx * plan.heightPx * 2;
  let codec: FrameCodec;
  if (client.codec === 'auto') {
    if (!auto) throw new Error('codec auto needs a codec chooser');
    codec = auto.chooser.choose(rawBytes, auto.bytesPerMs(), client.window !== undefined);
  } else codec = client.codec;
  if (codec === 'lut8' && !client.window) throw new Error('codec lut8 needs the display window');
  // The whole image at level 0, raw, is the full frame: no copy, no worker.
  if (codec === 'raw' && plan.level === 0 && plan.widthPx === w && plan.heightPx === h) {
    return encodeFullFrame(frame);
  }
  const window = codec === 'lut8' ? client.window : undefined;
  const pyramid = pyramidOf(frame, plan.level);
  const key = `${JSON.stringify(plan)}|${codec}|${JSON.stringify(window)}`;
  let pending = pyramid.encodes.get(key);
  if (!pending) {
    pending = pyramid.levels.then(() =>
      viewPool().run({
        kind: 'encode',
        buffer: pyramid.buffer,
        widthPx: w,
        heightPx: h,
        view: plan,
        codec,
        ...(window && { window }),
      }),
    ) as Promise<EncodeResult>;
    pyramid.encodes.set(key, pending);
  }
  const [{ histogram, counts }, encoded] = await Promise.all([pyramid.histogram, pending]);
  if (client.codec === 'auto') {
    auto?.chooser.record(codec, rawBytes, encoded.bytes.length, encoded.encodeMs);
  }
  const view: WireView = {
    ...plan,
    codec,
    payloadBytes: encoded.bytes.length,
    histogram,
    ...(window && { window }),
  };
  const json = encodeFrameHeader({ ...sentMeta(), view } as FrameMeta);
  json.write(VIEW_FRAME_MAGIC, 0, 'ascii');
  const header = Buffer.concat([json, counts]);
  const payload = Buffer.from(encoded.bytes.buffer, encoded.bytes.byteOffset, encoded.bytes.length);
  return { header, payload, codec };
}

/**
 * The frame's pyramid down to `level` at least: started on first use (one copy of the frame
 * here, the histogram and levels 1..level in the worker); a client that needs a deeper level
 * later adds a job that builds only the levels missing.
 */
function pyramidOf(frame: HostFrame, level: number): Pyramid {
  const { widthPx: w, heightPx: h, bitDepth } = frame.meta;
  const p = pyramids.get(frame);
  if (p) {
    if (level > p.builtTo) {
      const fromLevel = p.builtTo + 1;
      const job = { kind: 'levels', buffer: p.buffer, widthPx: w, heightPx: h, fromLevel } as const;
      p.levels = p.levels.then(() => viewPool().run({ ...job, toLevel: level }));
      p.builtTo = level;
    }
    return p;
  }
  const buffer = new SharedArrayBuffer(pyramidLayout(w, h).bytes);
  new Uint16Array(buffer, 0, w * h).set(frame.pixels.subarray(0, w * h));
  const histogram = viewPool().run({
    kind: 'pyramid',
    buffer,
    widthPx: w,
    heightPx: h,
    bitDepth,
    toLevel: level,
  }) as Promise<PyramidResult>;
  const created = { buffer, histogram, builtTo: level, levels: histogram, encodes: new Map() };
  pyramids.set(frame, created);
  return created;
}

/** The camera value at image pixel (x, y) of a frame; null outside it. */
export function readFramePixel(frame: HostFrame, x: number, y: number): number | null {
  const { widthPx: w, heightPx: h } = frame.meta;
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= w || y >= h) {
    return null;
  }
  return frame.pixels[y * w + x] ?? null;
}
