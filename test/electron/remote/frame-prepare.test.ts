import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostFrame } from '../../../electron/host/frame-bus';
import type * as ViewFrames from '../../../electron/remote/view-frames';
import { attachSession } from '../../../electron/remote/ws-session';
import { decodeViewFrame } from '../../../renderer/frames/decode-view-frame';
import { startTestHost, type HostFixture } from '../../support/host-fixture';

/**
 * A slow encoder: each preparation finishes only when the test releases it. The view jobs run
 * inline (no worker thread), so a released preparation is done once pending callbacks ran.
 */
const encodes = vi.hoisted(() => {
  process.env.AQUILA_VIEW_WORKERS = '0';
  return [] as { seq: number; release: () => void }[];
});

vi.mock('../../../electron/remote/view-frames', async (importOriginal) => {
  const actual = await importOriginal<typeof ViewFrames>();
  return {
    ...actual,
    prepareForView: async (...args: Parameters<typeof actual.prepareForView>) => {
      await new Promise<void>((release) => encodes.push({ seq: args[0].meta.seq, release }));
      return actual.prepareForView(...args);
    },
  };
});

const W = 64;
const H = 48;

/** Lets settled promise chains run, and nothing else (no encode is released). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

describe('a WebSocket client’s next frame is prepared while the previous one is in flight', () => {
  let fx: HostFixture;
  beforeEach(async () => {
    encodes.length = 0;
    fx = await startTestHost(); // no frame published yet
  });
  afterEach(async () => {
    await fx.close();
  });

  const FIT = { canvasWidthPx: 32, canvasHeightPx: 24 };

  function client(
    first: Record<string, unknown> = { type: 'view', view: FIT, codec: 'raw', chunks: false },
  ) {
    const sent: Buffer[] = [];
    const ws = Object.assign(new EventEmitter(), {
      OPEN: 1,
      readyState: 1,
      bufferedAmount: 0,
      send(data: unknown, opts?: { binary?: boolean }) {
        if (opts?.binary) sent.push(data as Buffer);
      },
      ping() {},
      close() {},
      terminate() {},
    });
    attachSession(
      ws as unknown as WebSocket,
      fx.host,
      'prep',
      { user: 'u', role: 'operator' },
      () => true,
    );
    const message = (m: unknown) => ws.emit('message', Buffer.from(JSON.stringify(m)), false);
    message(first);
    message({ type: 'frames', enabled: true });
    /** The seqs of the frames written so far (each is a header and a payload message). */
    const frames = async () => {
      const seqs: number[] = [];
      for (let i = 0; i + 1 < sent.length; i += 2) {
        const b = Buffer.concat([sent[i]!, sent[i + 1]!]);
        const f = await decodeViewFrame(
          b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer,
        );
        seqs.push(f.meta.seq);
      }
      return seqs;
    };
    return { ws, message, frames, sent };
  }

  function publish(): HostFrame {
    return fx.host.bus.publish({
      seq: 1,
      widthPx: W,
      heightPx: H,
      pixels: Uint16Array.from({ length: W * H }, (_, i) => i % 4000),
      timestampMs: Date.now(),
      exposureMs: 10,
      binning: 1,
    });
  }

  const release = (seq: number) => {
    const e = encodes.find((x) => x.seq === seq);
    expect(e, `an encode of frame ${seq}`).toBeDefined();
    e!.release();
  };

  /** Publishes a frame and lets its preparation (held by the encoder) finish. */
  async function prepared(): Promise<HostFrame> {
    const f = publish();
    await settle();
    release(f.meta.seq);
    await settle();
    return f;
  }

  it('answers an ack with the newest frame, already encoded, and never sends a stale preparation', async () => {
    const c = client();
    const a = await prepared();
    expect(await c.frames()).toEqual([a.meta.seq]);

    const b = publish(); // while a is in flight: prepared now, before the ack
    await settle();
    expect(encodes.map((e) => e.seq)).toEqual([a.meta.seq, b.meta.seq]);
    const d = publish(); // newer, while b's preparation runs: waits for it, one at a time
    await settle();
    expect(encodes.map((e) => e.seq)).toEqual([a.meta.seq, b.meta.seq]);
    release(b.meta.seq);
    await settle();
    expect(encodes.map((e) => e.seq)).toEqual([a.meta.seq, b.meta.seq, d.meta.seq]);
    release(d.meta.seq);
    await settle();
    expect(await c.frames()).toEqual([a.meta.seq]); // still one frame on the wire

    c.message({ type: 'frame.ack', seq: a.meta.seq });
    await settle(); // no encode released: the frame sent was prepared before the ack
    expect(await c.frames()).toEqual([a.meta.seq, d.meta.seq]);
    expect(encodes).toHaveLength(3); // b's preparation was dropped, d was not encoded again
    c.ws.emit('close');
  });

  it('answers an ack at once with the newest prepared frame; a newer one still being prepared follows at the next ack', async () => {
    const c = client();
    const a = await prepared();
    const b = await prepared();
    const d = publish(); // still being prepared at the ack
    await settle();
    c.message({ type: 'frame.ack', seq: a.meta.seq });
    await settle();
    expect(await c.frames()).toEqual([a.meta.seq, b.meta.seq]);
    release(d.meta.seq);
    await settle();
    c.message({ type: 'frame.ack', seq: b.meta.seq });
    await settle();
    expect(await c.frames()).toEqual([a.meta.seq, b.meta.seq, d.meta.seq]);
    expect(encodes.map((e) => e.seq)).toEqual([a.meta.seq, b.meta.seq, d.meta.seq]);
    c.ws.emit('close');
  });

  it('does not use a frame prepared for a view the client has since changed', async () => {
    const c = client();
    const a = await prepared();
    const b = await prepared();
    c.message({ type: 'view', view: null, codec: 'deflate', chunks: false });
    await settle();
    expect(encodes.map((e) => e.seq)).toEqual([a.meta.seq, b.meta.seq, b.meta.seq]);
    c.message({ type: 'frame.ack', seq: a.meta.seq });
    await settle();
    expect(await c.frames()).toEqual([a.meta.seq]); // b is prepared again, for the new view
    encodes[2]!.release();
    await settle();
    expect(await c.frames()).toEqual([a.meta.seq, b.meta.seq]);
    const sent = c.sent[2]!.subarray(8).toString();
    expect(sent).toMatch(/"codec":"deflate"/);
    c.ws.emit('close');
  });

  it('keeps the prepared frame when only the display window changes; the next one uses the new window', async () => {
    const lut8 = (min: number) => ({
      type: 'view',
      view: FIT,
      codec: 'lut8',
      chunks: false,
      window: { min, max: 3000, gamma: 1 },
    });
    const c = client(lut8(100));
    const a = await prepared();
    const b = await prepared();
    c.message(lut8(120)); // auto-contrast moved the window
    await settle();
    expect(encodes.map((e) => e.seq)).toEqual([a.meta.seq, b.meta.seq]); // b not prepared again
    c.message({ type: 'frame.ack', seq: a.meta.seq });
    await settle(); // no encode released: b goes at once, with the window it was prepared for
    expect(await c.frames()).toEqual([a.meta.seq, b.meta.seq]);
    expect(c.sent[2]!.subarray(8).toString()).toMatch(/"window":\{"min":100,/);
    const d = await prepared();
    c.message({ type: 'frame.ack', seq: b.meta.seq });
    await settle();
    expect(await c.frames()).toEqual([a.meta.seq, b.meta.seq, d.meta.seq]);
    expect(c.sent[4]!.subarray(8).toString()).toMatch(/"window":\{"min":120,/);
    c.ws.emit('close');
  });
});
