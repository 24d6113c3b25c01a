/**
 * GenicamAcquisition over a scripted transport: where a Mono16 frame's pixels come from (the
 * stream's own buffer in live, the caller's buffer in a snap) and the order of stopping.
 */
import { describe, expect, it } from 'vitest';
import { GenicamAcquisition } from '../../../../drivers/cameras/genicam/genicam-acquisition';
import type { NodeMap } from '../../../../drivers/cameras/genicam/node-map';
import { PixelFormats } from '../../../../drivers/cameras/genicam/pixels';
import type {
  FrameStream,
  GenicamTransport,
  StreamStart,
} from '../../../../drivers/cameras/genicam/transport';

const W = 4;
const H = 3;

function scripted() {
  const calls: string[] = [];
  const values = new Map<string, string | number>([
    ['Width', W],
    ['Height', H],
    ['PixelFormat', 'Mono16'],
  ]);
  let started: StreamStart | null = null;
  const nodeMap = {
    has: (name: string) => values.has(name) || name === 'AcquisitionStart',
    access: async () => 'RW',
    describe: async () => ({ name: 'PixelFormat', entries: ['Mono8', 'Mono16'] }),
    getValue: async (name: string) => values.get(name)!,
    setValue: async (name: string, v: string | number) => void values.set(name, v),
    execute: async (name: string) => void calls.push(name),
  } as unknown as NodeMap;
  const stream: FrameStream = {
    start: async (s) => {
      started = s;
      calls.push('stream.start');
    },
    stop: async () => void calls.push('stream.stop'),
    close: async () => undefined,
  };
  const t: GenicamTransport = {
    label: 'scripted camera',
    identity: { vendor: 'v', model: 'm', serial: 's', firmware: 'f' },
    nodeMap,
    stream,
    onLost: () => undefined,
    isLost: () => false,
    close: async () => undefined,
  };
  /** Delivers a Mono16 frame in a buffer of its own, as the GigE stream thread does. */
  const deliver = (blockId: number) => {
    const data = Buffer.from(new ArrayBuffer(W * H * 2));
    for (let i = 0; i < W * H; i++) data.writeUInt16LE(blockId * 100 + i, i * 2);
    started!.onFrame({ blockId, pixelFormat: PixelFormats.Mono16, width: W, height: H, data });
    return data;
  };
  const lose = (blockId: number) =>
    started!.onIncomplete({ blockId, missingPackets: 3, reason: 'frame lost' });
  return { t, calls, deliver, lose, until: () => started !== null };
}

describe('GenicamAcquisition', () => {
  it('makes a live Mono16 frame of the stream buffer itself (no copy)', async () => {
    const s = scripted();
    const acq = await GenicamAcquisition.open(s.t, { frameWaitMs: 1000 }, () => undefined);
    const frames: { pixels: Uint16Array }[] = [];
    await acq.startLive((f) => frames.push(f), 1, 1);
    const data = s.deliver(1);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.pixels.buffer).toBe(data.buffer);
    expect(frames[0]!.pixels[5]).toBe(105);
    await acq.stopLive();
    // the camera is stopped before the stream, which then reports what was in flight
    expect(s.calls.indexOf('AcquisitionStop')).toBeLessThan(s.calls.indexOf('stream.stop'));
  });

  it("copies a snapped frame into the caller's buffer", async () => {
    const s = scripted();
    const acq = await GenicamAcquisition.open(s.t, { frameWaitMs: 1000 }, () => undefined);
    const into = new ArrayBuffer(W * H * 2);
    const snap = acq.snap(into, 1, 1);
    while (!s.calls.includes('AcquisitionStart')) await new Promise((r) => setImmediate(r));
    const data = s.deliver(2);
    const f = (await snap)!;
    expect(f.pixels.buffer).toBe(into);
    expect(f.pixels.buffer).not.toBe(data.buffer);
    expect(f.pixels[11]).toBe(211);
  });

  it('counts every incomplete frame but logs a burst of them in one line', async () => {
    const s = scripted();
    const warnings: string[] = [];
    const reported: number[] = [];
    const acq = await GenicamAcquisition.open(
      s.t,
      { frameWaitMs: 1000, onIncomplete: (f) => reported.push(f.blockId) },
      (m) => warnings.push(m),
    );
    await acq.startLive(() => undefined, 1, 1);
    for (let id = 1; id <= 500; id++) s.lose(id);
    expect(acq.incompleteFrames).toBe(500);
    // every one reaches the listener (the host's and the bench's accounting); only the log thins
    expect(reported).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/frame 1 incomplete \(frame lost, 3 packets missing\)/);
    await new Promise((r) => setTimeout(r, 1010));
    s.lose(501);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/frame 501 incomplete .*and 499 more since the last such line/);
    await acq.stopLive();
  });
});
