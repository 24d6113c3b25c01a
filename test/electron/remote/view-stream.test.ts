import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planView } from '../../../electron/api/frame-view';
import { reduceFrame } from '../../../electron/remote/view-pyramid';
import type { HostMessage } from '../../../electron/api/messages';
import { computeHistogram } from '../../../renderer/display/histogram';
import { INITIAL_WINDOW_BYTES } from '../../../electron/remote/frame-pacer';
import { attachSession, FRAME_BACKLOG_BYTES } from '../../../electron/remote/ws-session';
import { FrameAssembler } from '../../../renderer/frames/frame-chunks';
import { decodeViewFrame } from '../../../renderer/frames/decode-view-frame';
import { startTestHost, TestClient, type HostFixture } from '../../support/host-fixture';

const W = 256;
const H = 192;

/** A noisy background with one bright single-molecule spot at image pixel (201, 77). */
function testPixels(): Uint16Array {
  let seed = 7;
  const px = Uint16Array.from({ length: W * H }, () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return 100 + (seed % 20);
  });
  px[77 * W + 201] = 4000;
  return px;
}

function publish(fx: HostFixture, pixels = testPixels()): Uint16Array {
  fx.host.bus.publish({
    seq: 1,
    widthPx: W,
    heightPx: H,
    pixels: pixels.slice(),
    timestampMs: Date.now(),
    exposureMs: 10,
    binning: 1,
  });
  return pixels;
}

function toArrayBuffer(b: Buffer): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

describe('per-client view stream', () => {
  let fx: HostFixture;
  beforeAll(async () => {
    fx = await startTestHost();
  });
  afterAll(async () => {
    await fx.close();
  });

  it('sends full AQF1 frames to a client that sent no view', async () => {
    const c = await TestClient.connect(fx);
    c.send({ type: 'frames', enabled: true });
    await c.until(() => c.messages.length > 0);
    const pixels = publish(fx);
    await c.until(() => c.frames.length > 0, 5_000, 'a frame');
    const frame = await decodeViewFrame(toArrayBuffer(c.frames.at(-1)!));
    expect(frame.view).toBeUndefined();
    expect(Array.from(frame.pixels)).toEqual(Array.from(pixels));
    c.close();
  });

  for (const codec of ['raw', 'deflate'] as const) {
    it(`sends the client's view (${codec}), bit-exact and placed in image coordinates`, async () => {
      const c = await TestClient.connect(fx);
      const request = {
        canvasWidthPx: 40,
        canvasHeightPx: 40,
        region: { x: 128, y: 0, width: 128, height: 128 },
      };
      c.send({ type: 'view', view: request, codec });
      c.send({ type: 'frames', enabled: true });
      await c.until(() => c.messages.length > 0);
      const pixels = publish(fx);
      await c.until(
        () => c.frames.some((f) => f.subarray(0, 4).toString() === 'AQF2'),
        5_000,
        'an AQF2 frame',
      );
      const wire = c.frames.find((f) => f.subarray(0, 4).toString() === 'AQF2')!;
      const frame = await decodeViewFrame(toArrayBuffer(wire));
      const plan = planView(W, H, request);
      expect(plan.level).toBe(1);
      expect(frame.view).toMatchObject({ ...plan, codec });
      expect([frame.meta.widthPx, frame.meta.heightPx]).toEqual([W, H]);
      const reduced = reduceFrame(pixels, W, plan);
      if (codec === 'deflate') expect(frame.view!.payloadBytes).toBeLessThan(reduced.byteLength);
      // The spot shows where it is in the image: a click there targets image pixel (201, 77).
      expect(frame.pixels[77 * W + 201]).toBe(4000);
      expect(frame.pixels[77 * W + 10]).toBe(0); // outside the region
      for (let y = plan.region.y; y < plan.region.y + plan.region.height; y += 3) {
        for (let x = plan.region.x; x < plan.region.x + plan.region.width; x += 5) {
          const want =
            reduced[((y - plan.region.y) >> 1) * plan.widthPx + ((x - plan.region.x) >> 1)];
          expect(frame.pixels[y * W + x]).toBe(want);
        }
      }
      c.close();
    });
  }

  it('rejects a malformed view message, saying what was wrong', async () => {
    const c = await TestClient.connect(fx);
    c.send({ type: 'view', view: { canvasWidthPx: 0, canvasHeightPx: 10 }, codec: 'lz77' });
    await c.until(
      () =>
        c.messages.some(
          (m) =>
            m.type === 'event' && m.event.type === 'log' && /canvasWidthPx/.test(m.event.message),
        ),
      5_000,
      'the rejection',
    );
    const rejection = c.messages.find(
      (m): m is Extract<HostMessage, { type: 'event' }> =>
        m.type === 'event' && m.event.type === 'log' && /Rejected/.test(m.event.message),
    );
    expect(rejection && 'message' in rejection.event && rejection.event.message).toMatch(/codec/);
    c.close();
  });

  it('answers a command at once while a slow client has a frame backlog', async () => {
    const sent: { binary: boolean; data: unknown }[] = [];
    const ws = Object.assign(new EventEmitter(), {
      OPEN: 1,
      readyState: 1,
      bufferedAmount: 10 * FRAME_BACKLOG_BYTES,
      send(data: unknown, opts?: { binary?: boolean }) {
        sent.push({ binary: opts?.binary === true, data });
      },
      ping() {},
      close() {},
      terminate() {},
    });
    attachSession(
      ws as unknown as WebSocket,
      fx.host,
      'slow-client',
      { user: 'slow', role: 'operator' },
      () => true,
    );
    const message = (m: unknown) => ws.emit('message', Buffer.from(JSON.stringify(m)), false);
    message({ type: 'frames', enabled: true });
    publish(fx);
    await new Promise((r) => setTimeout(r, 50));
    expect(sent.filter((s) => s.binary)).toEqual([]); // the frame is held back
    message({ type: 'call', id: 'stop-1', name: 'stage.stop', args: {} });
    const reply = () =>
      sent.find(
        (s) =>
          !s.binary &&
          (JSON.parse(String(s.data)) as HostMessage & { id?: unknown }).id === 'stop-1',
      );
    for (let i = 0; i < 100 && !reply(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(reply()).toBeDefined();
    expect(sent.filter((s) => s.binary)).toEqual([]);
    ws.bufferedAmount = 0; // the link drained
    for (let i = 0; i < 100 && !sent.some((s) => s.binary); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(sent.filter((s) => s.binary).length).toBe(2); // header + pixels of one frame
    ws.emit('close');
  });

  it('paces a chunked frame: a command reply goes ahead of its remaining chunks; readout and histogram stay exact', async () => {
    const c = await TestClient.connect(fx);
    const order: ({ binary: number } | { text: HostMessage })[] = [];
    c.ws.on('message', (data, isBinary) => {
      const b = data as Buffer;
      order.push(
        isBinary ? { binary: b.length } : { text: JSON.parse(b.toString()) as HostMessage },
      );
    });
    const S = 512;
    let seed = 11;
    const pixels = Uint16Array.from({ length: S * S }, () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return 100 + (seed % 900);
    });
    pixels[300 * S + 301] = 60000;
    const request = { canvasWidthPx: 256, canvasHeightPx: 256 }; // level 1: 128 KiB raw
    c.send({ type: 'view', view: request, codec: 'raw', chunks: true });
    c.send({ type: 'frames', enabled: true });
    await c.until(() => c.messages.length > 0);
    fx.host.bus.publish({
      seq: 1,
      widthPx: S,
      heightPx: S,
      pixels: pixels.slice(),
      timestampMs: Date.now(),
      exposureMs: 10,
      binning: 1,
    });
    await c.until(() => c.frames.length > 0, 5_000, 'the first chunk');
    await new Promise((r) => setTimeout(r, 100)); // no progress reported: the pacer stops
    const early = c.frames.reduce((n, f) => n + f.length, 0);
    expect(early).toBeLessThanOrEqual(INITIAL_WINDOW_BYTES);
    c.send({ type: 'call', id: 'stop-paced', name: 'stage.stop', args: {} });
    await c.until(
      () => c.messages.some((m) => m.type === 'result' && m.id === 'stop-paced'),
      5_000,
      'the reply',
    );
    // The reply came while most of the frame was still unsent.
    const replyAt = order.findIndex((e) => 'text' in e && e.text.type === 'result');
    const binaryBefore = order
      .slice(0, replyAt)
      .reduce((n, e) => n + ('binary' in e ? e.binary : 0), 0);
    expect(binaryBefore).toBe(early);
    // Now report progress as a client does: the rest arrives and reassembles bit-exactly.
    const assembler = new FrameAssembler();
    let whole: ArrayBuffer | null = null;
    const take = (b: Buffer) => {
      const got = assembler.push(toArrayBuffer(b));
      c.send({ type: 'frame.progress', seq: got.seq, bytes: got.bytes });
      whole ??= got.frame;
    };
    c.ws.on('message', (data, isBinary) => {
      if (isBinary) take(data as Buffer);
    });
    for (const f of c.frames) take(f);
    await c.until(() => whole !== null, 5_000, 'the whole frame');
    const frame = await decodeViewFrame(whole!);
    const plan = planView(S, S, request);
    expect(frame.view).toMatchObject({ ...plan, codec: 'raw' });
    expect(Array.from(frame.reduced!)).toEqual(Array.from(reduceFrame(pixels, S, plan)));
    expect(frame.histogram).toEqual(computeHistogram(pixels, 16, Infinity));
    c.send({ type: 'pixel.read', id: 9, x: 301, y: 300 });
    c.send({ type: 'pixel.read', id: 10, x: 302, y: 300 });
    c.send({ type: 'pixel.read', id: 11, x: S, y: 0 });
    await c.until(() => c.messages.filter((m) => m.type === 'pixel').length === 3);
    const answers = c.messages.filter((m) => m.type === 'pixel');
    expect(answers.map((m) => m.value)).toEqual([60000, pixels[300 * S + 302], null]);
    expect(answers[0]).toMatchObject({ id: 9, seq: frame.meta.seq });
    c.close();
  });
});
