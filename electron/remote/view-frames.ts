/**
 * Encodes a display frame for one client's view (electron/api/frame-view.ts): full frames as
 * "AQF1" (pixels not copied), reduced and/or deflated ones as "AQF2". Reductions are cached
 * per frame and view, so clients showing the same view share one computation per frame.
 */
import { promisify } from 'node:util';
import { deflateRaw } from 'node:zlib';
import type { FrameMeta } from '../api/contract';
import { planView, type FrameCodec, type ViewRequest, type WireView } from '../api/frame-view';
import { VIEW_FRAME_MAGIC } from '../api/messages';
import { encodeFrameHeader, pixelBytes } from '../host/frame-codec';
import type { HostFrame } from '../host/frame-bus';
import { reduceFrame, byteShuffle } from './view-pyramid';

const deflateRawAsync = promisify(deflateRaw);
/** zlib level 1: level 6 (permessage-deflate's default) is ~20× slower for frames a few % smaller (bench:remote). */
const DEFLATE_LEVEL = 1;

export interface ClientView {
  view: ViewRequest | null;
  codec: FrameCodec;
}

export const FULL_VIEW: ClientView = { view: null, codec: 'raw' };

export interface EncodedFrame {
  header: Buffer;
  payload: Buffer;
}

interface Payload {
  view: Omit<WireView, 'codec' | 'payloadBytes'> | null;
  bytes: Buffer;
}

const cache = new WeakMap<HostFrame, Map<string, Promise<Payload>>>();

export async function encodeForView(frame: HostFrame, client: ClientView): Promise<EncodedFrame> {
  const sentMeta = (): FrameMeta => ({ ...frame.meta, sentAtMs: Date.now() });
  if (!client.view && client.codec === 'raw') {
    return { header: encodeFrameHeader(sentMeta()), payload: pixelBytes(frame.pixels) };
  }
  const { widthPx: w, heightPx: h } = frame.meta;
  const plan = client.view ? planView(w, h, client.view) : null;
  const key = `${JSON.stringify(plan)}|${client.codec}`;
  let perFrame = cache.get(frame);
  if (!perFrame) cache.set(frame, (perFrame = new Map()));
  let pending = perFrame.get(key);
  if (!pending) {
    pending = computePayload(frame, plan, client.codec);
    perFrame.set(key, pending);
  }
  const payload = await pending;
  const fullView = {
    level: 0,
    region: { x: 0, y: 0, width: w, height: h },
    widthPx: w,
    heightPx: h,
  };
  const view: WireView = {
    ...(payload.view ?? fullView),
    codec: client.codec,
    payloadBytes: payload.bytes.length,
  };
  const header = encodeFrameHeader({ ...sentMeta(), view } as FrameMeta);
  header.write(VIEW_FRAME_MAGIC, 0, 'ascii');
  return { header, payload: payload.bytes };
}

async function computePayload(
  frame: HostFrame,
  plan: ReturnType<typeof planView> | null,
  codec: FrameCodec,
): Promise<Payload> {
  const pixels = plan ? reduceFrame(frame.pixels, frame.meta.widthPx, plan) : frame.pixels;
  const bytes =
    codec === 'deflate'
      ? await deflateRawAsync(byteShuffle(pixels), { level: DEFLATE_LEVEL })
      : pixelBytes(pixels);
  return { view: plan, bytes };
}
