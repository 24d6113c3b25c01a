/**
 * Encodes a display frame for one client's view (electron/api/frame-view.ts): full raw frames
 * as "AQF1" (pixels not copied, no worker), everything else as "AQF2" from the frame's view
 * pyramid. The host's thread at most copies the frame once into a shared buffer; the pyramid (down
 * to the coarsest level a client asked for) and full-frame histogram are built once per frame
 * in the view worker (./view-pool.ts), and each client's crop + encode runs there too; clients
 * with the same view and codec share one encode. Only the newest frame's pyramid is kept:
 * when a newer frame gets one, the older one is dropped and its shared buffers go back to the
 * pool (./shared-buffers.ts) once its worker jobs have finished, so the next frame's copy and
 * levels reuse memory already paged in. (Display channels prepare only the newest frame; an
 * older one asked for again gets a new pyramid.)
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
import type { EncodeResult, PyramidResult, ViewJobFrame } from './view-jobs';
import { viewPool } from './view-pool';
import { pyramidLayout } from './view-pyramid';
import { SharedBufferPool } from './shared-buffers';

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
  frame: HostFrame;
  buffers: ViewJobFrame;
  /** Taken from `sharedBuffers`: given back when the pyramid is dropped and `jobs` settled. */
  owned: SharedArrayBuffer[];
  /** Every worker job run on the buffers. */
  jobs: Promise<unknown>[];
  histogram: Promise<PyramidResult>;
  /** The coarsest level built, or being built, so far. */
  builtTo: number;
  /** Settles once levels 1..builtTo are built. */
  levels: Promise<unknown>;
  encodes: Map<string, Promise<EncodeResult>>;
}

const pyramids = new WeakMap<HostFrame, Pyramid>();
/** The pyramid created last; creating the next one drops it (retire). */
let newest: Pyramid | null = null;
const sharedBuffers = new SharedBufferPool();

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
  return (await prepareForView(frame, client, auto))();
}

/**
 * Does all the work of encodeForView but the header, which the returned function builds when
 * the frame is sent (it carries sentAtMs), so a frame can be prepared ahead (./frame-preparer.ts).
 */
export async function prepareForView(
  frame: HostFrame,
  client: ClientView,
  auto?: AutoCodec,
): Promise<() => EncodedFrame> {
  const full = () => encodeFullFrame(frame);
  if (wantsFullFrame(client)) return full;
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
    return full;
  }
  const window = codec === 'lut8' ? client.window : undefined;
  const pyramid = pyramidOf(frame, plan.level);
  const key = `${JSON.stringify(plan)}|${codec}|${JSON.stringify(window)}`;
  let pending = pyramid.encodes.get(key);
  if (!pending) {
    pending = pyramid.levels.then(() =>
      viewPool().run({
        kind: 'encode',
        ...pyramid.buffers,
        view: plan,
        codec,
        ...(window && { window }),
      }),
    ) as Promise<EncodeResult>;
    pyramid.encodes.set(key, pending);
    pyramid.jobs.push(pending);
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
  const payload = Buffer.from(encoded.bytes.buffer, encoded.bytes.byteOffset, encoded.bytes.length);
  return () => {
    const json = encodeFrameHeader({ ...frame.meta, sentAtMs: Date.now(), view } as FrameMeta);
    json.write(VIEW_FRAME_MAGIC, 0, 'ascii');
    return { header: Buffer.concat([json, counts]), payload, codec };
  };
}

/**
 * The frame's pyramid down to `level` at least: started on first use (the histogram and
 * levels 1..level in the worker); a client that needs a deeper level later adds a job that
 * builds only the levels missing.
 */
function pyramidOf(frame: HostFrame, level: number): Pyramid {
  const p = pyramids.get(frame);
  if (p) {
    if (level > p.builtTo) {
      const job = {
        kind: 'levels',
        ...p.buffers,
        fromLevel: p.builtTo + 1,
        toLevel: level,
      } as const;
      p.levels = p.levels.then(() => viewPool().run(job));
      p.jobs.push(p.levels);
      p.builtTo = level;
    }
    return p;
  }
  const { widthPx: w, heightPx: h, bitDepth } = frame.meta;
  const levels = sharedBuffers.take(pyramidLayout(w, h).bytes);
  const { owned, ...pixels } = sharedPixels(frame.pixels, w * h);
  const buffers: ViewJobFrame = { ...pixels, levels, widthPx: w, heightPx: h };
  const histogram = viewPool().run({
    kind: 'pyramid',
    ...buffers,
    bitDepth,
    toLevel: level,
  }) as Promise<PyramidResult>;
  const created: Pyramid = {
    frame,
    buffers,
    owned: owned ? [levels, pixels.frame] : [levels],
    jobs: [histogram],
    histogram,
    builtTo: level,
    levels: histogram,
    encodes: new Map(),
  };
  pyramids.set(frame, created);
  if (newest) retire(newest);
  newest = created;
  return created;
}

/** Drops a pyramid: later requests for its frame start a new one; its buffers go back to the pool. */
function retire(p: Pyramid): void {
  pyramids.delete(p.frame);
  void Promise.allSettled(p.jobs).then(() => {
    for (const b of p.owned) sharedBuffers.give(b);
  });
}

/**
 * The frame's pixels for the view worker: read in place when they already lie in a
 * SharedArrayBuffer (frames the bus copied, FrameBus.publishCopy; nobody writes a published
 * frame), else copied once into one from the pool (`owned`).
 */
function sharedPixels(pixels: Uint16Array, n: number) {
  if (pixels.buffer instanceof SharedArrayBuffer) {
    return { frame: pixels.buffer, frameOffset: pixels.byteOffset, owned: false };
  }
  const frame = sharedBuffers.take(n * 2);
  new Uint16Array(frame).set(pixels.subarray(0, n));
  return { frame, frameOffset: 0, owned: true };
}

/** The camera value at image pixel (x, y) of a frame; null outside it. */
export function readFramePixel(frame: HostFrame, x: number, y: number): number | null {
  const { widthPx: w, heightPx: h } = frame.meta;
  if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= w || y >= h) {
    return null;
  }
  return frame.pixels[y * w + x] ?? null;
}
