import { inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DeviceError } from '../../../drivers/errors';
import { WorkerJobPool } from '../../../drivers/worker-job-pool';
import {
  computeHistogram,
  fullHistogram,
  histogramFromWire,
} from '../../../renderer/display/histogram';
import { planView, type DisplayWindow } from '../../../electron/api/frame-view';
import { windowValue } from '../../../renderer/display/lut';
import {
  runViewJob,
  type EncodeResult,
  type PyramidResult,
  type ViewJob,
  type ViewJobFrame,
  type ViewJobResult,
} from '../../../electron/remote/view-jobs';
import {
  buildPyramid,
  cropView,
  encodeHistogramCounts,
  encodePixels,
  pyramidLayout,
  reduceFrame,
  windowTo8Bit,
} from '../../../electron/remote/view-pyramid';
import { byteUnshuffle, byteUnshuffle32 } from '../../../renderer/frames/view-pixels';

/** Seeded noise with a few single-pixel spots and the extreme values. */
function frame(w: number, h: number, seed = 3): Uint16Array {
  let s = seed;
  const px = Uint16Array.from({ length: w * h }, () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return 100 + (s % 50);
  });
  px[7 * w + 5] = 4000;
  px[(h - 1) * w + (w - 1)] = 65535;
  px[Math.floor(h / 2) * w + Math.floor(w / 3)] = 0;
  return px;
}

/** A pyramid's buffers with `px` as its level 0 (at an offset, as a view of a larger buffer may be). */
function buffersOf(px: Uint16Array, w: number, h: number): ViewJobFrame {
  const frame = new SharedArrayBuffer(16 + w * h * 2);
  new Uint16Array(frame, 16, w * h).set(px);
  const levels = new SharedArrayBuffer(pyramidLayout(w, h).bytes);
  return { frame, frameOffset: 16, levels, widthPx: w, heightPx: h };
}

function pyramidOf(px: Uint16Array, w: number, h: number) {
  const buffers = buffersOf(px, w, h);
  const histogram = buildPyramid(buffers, 16);
  return { buffers, histogram };
}

describe('view pyramid', () => {
  // Odd sizes: partial 2×2 blocks at the right and bottom edges on every level.
  for (const [w, h] of [
    [256, 192],
    [203, 97],
  ] as const) {
    it(`every level equals the direct 2^L block max on aligned views (${w}×${h})`, () => {
      const px = frame(w, h);
      const { buffers } = pyramidOf(px, w, h);
      const canvases = [w, 100, 50, 20, 9, 4, 1];
      for (const c of canvases) {
        for (const region of [undefined, { x: 33, y: 17, width: 120, height: 61 }]) {
          const plan = planView(w, h, { canvasWidthPx: c, canvasHeightPx: c, region });
          expect(Array.from(cropView(buffers, plan))).toEqual(Array.from(reduceFrame(px, w, plan)));
        }
      }
      // The levels reached above include the deepest one.
      expect(planView(w, h, { canvasWidthPx: 1, canvasHeightPx: 1 }).level).toBe(6);
    });
  }

  it('counts every level-0 pixel once while it builds level 1 (odd sizes: partial edge blocks)', () => {
    for (const [w, h] of [
      [203, 97],
      [204, 97],
      [203, 96],
    ] as const) {
      const px = frame(w, h);
      for (const toLevel of [1, 3]) {
        const buffers = buffersOf(px, w, h);
        expect(buildPyramid(buffers, 16, toLevel)).toEqual(computeHistogram(px, 16, Infinity));
        const plan = planView(w, h, { canvasWidthPx: w >> toLevel, canvasHeightPx: h >> toLevel });
        expect(plan.level).toBe(toLevel);
        expect(Array.from(cropView(buffers, plan))).toEqual(Array.from(reduceFrame(px, w, plan)));
      }
    }
  });

  it('sends the histogram of every pixel of the full frame', () => {
    const w = 203;
    const h = 97;
    const px = frame(w, h);
    const job = { kind: 'pyramid', ...buffersOf(px, w, h), bitDepth: 16, toLevel: 0 } as const;
    const { histogram: wire, counts } = runViewJob(job) as PyramidResult;
    expect(counts.length).toBe(wire.bytes);
    const sent = byteUnshuffle32(inflateRawSync(counts));
    const got = histogramFromWire(wire, sent);
    expect(got).toEqual(computeHistogram(px, 16, Infinity));
    expect(got.samples).toBe(w * h);
    // 12-bit data: bins of 1 value over the adaptive range, as the renderer bins.
    const dim = px.map((v) => v & 0xfff);
    expect(fullHistogram(dim, 12)).toEqual(computeHistogram(dim, 12, Infinity));
    // Against a plain count: the bins of the values that occur.
    const shift = Math.log2(got.binWidth);
    const plain = new Map<number, number>();
    for (const v of px) plain.set(v >> shift, (plain.get(v >> shift) ?? 0) + 1);
    for (const [bin, n] of plain) expect(got.counts[Math.min(bin, got.counts.length - 1)]).toBe(n);
    expect([got.minValue, got.maxValue]).toEqual([0, 65535]);
    // Only the occupied span of bins goes on the wire.
    expect(sent.length).toBe(wire.bins);
    expect(sent[0]).toBeGreaterThan(0);
    expect(sent.at(-1)).toBeGreaterThan(0);
  });

  it('sends a camera histogram as a fraction of its JSON size', () => {
    // A background of ~100 ± 20 over a 2048² frame and a tail of signal up to ~3000: about
    // 3000 occupied bins with counts in the thousands, like the simulated camera's.
    let s = 7;
    const rand = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const counts = Uint32Array.from({ length: 3000 }, (_, i) =>
      Math.round(4e6 * Math.exp(-(((i - 100) / 20) ** 2)) + 300 * (1 - i / 3000) + 40 * rand()),
    );
    const json = JSON.stringify(Array.from(counts)).length;
    const bytes = encodeHistogramCounts(counts);
    expect(bytes.length).toBeLessThan(json / 2.5);
    expect(Array.from(byteUnshuffle32(inflateRawSync(bytes)))).toEqual(Array.from(counts));
  });

  it('round-trips the lossless codecs bit-exactly', () => {
    const px = frame(64, 48);
    const raw = encodePixels(px, 'raw');
    expect(Array.from(new Uint16Array(raw.slice().buffer))).toEqual(Array.from(px));
    const deflated = encodePixels(px, 'deflate');
    expect(deflated.length).toBeLessThan(px.byteLength);
    expect(Array.from(byteUnshuffle(inflateRawSync(deflated)))).toEqual(Array.from(px));
  });

  it('lut8 is each pixel through the display window, as the shader would show it', () => {
    const px = frame(64, 48);
    const win: DisplayWindow = { min: 110, max: 140, gamma: 0.7 };
    const bytes = inflateRawSync(encodePixels(px, 'lut8', win));
    expect(bytes.length).toBe(px.length);
    for (let i = 0; i < px.length; i++) {
      expect(bytes[i]).toBe(Math.round(255 * windowValue(px[i]!, win)));
    }
    expect(windowTo8Bit(Uint16Array.of(0, 110, 140, 65535), win)).toEqual(
      Uint8Array.of(0, 0, 255, 255),
    );
    expect(() => encodePixels(px, 'lut8')).toThrow(/window/);
  });

  describe('in a worker thread', () => {
    const pool = new WorkerJobPool<ViewJob, ViewJobResult>({
      size: 1,
      entry: new URL('../../../electron/remote/view.worker.ts', import.meta.url),
      what: 'view encode',
      inline: runViewJob,
      failure: (e) => new DeviceError(String(e)),
    });
    afterAll(() => pool.close());

    it('builds the pyramid in the shared buffer and encodes a crop from it', async () => {
      const w = 256;
      const h = 192;
      const px = frame(w, h);
      const buffers = buffersOf(px, w, h);
      const { histogram, counts } = (await pool.run({
        kind: 'pyramid',
        ...buffers,
        bitDepth: 16,
        toLevel: 2,
      })) as PyramidResult;
      const sent = byteUnshuffle32(inflateRawSync(counts));
      expect(histogramFromWire(histogram, sent)).toEqual(computeHistogram(px, 16, Infinity));
      const plan = planView(w, h, {
        canvasWidthPx: 30,
        canvasHeightPx: 30,
        region: { x: 64, y: 32, width: 128, height: 96 },
      });
      expect(plan.level).toBe(2);
      const { bytes } = (await pool.run({
        kind: 'encode',
        ...buffers,
        view: plan,
        codec: 'deflate',
      })) as EncodeResult;
      expect(Array.from(byteUnshuffle(inflateRawSync(bytes)))).toEqual(
        Array.from(reduceFrame(px, w, plan)),
      );
      // Only the levels asked for were built; a `levels` job adds the deeper ones.
      const level = (l: number) => {
        const { offset, widthPx, heightPx } = pyramidLayout(w, h).levels[l]!;
        return new Uint16Array(buffers.levels, offset, widthPx * heightPx);
      };
      expect(level(3).every((v) => v === 0)).toBe(true);
      await pool.run({ kind: 'levels', ...buffers, fromLevel: 3, toLevel: 4 });
      const whole = (l: number) =>
        planView(w, h, { canvasWidthPx: w >> l, canvasHeightPx: h >> l });
      expect(Array.from(level(4))).toEqual(Array.from(reduceFrame(px, w, whole(4))));
      expect(level(5).every((v) => v === 0)).toBe(true);
      expect(() => runViewJob({ kind: 'levels', ...buffers, fromLevel: 0, toLevel: 7 })).toThrow(
        /pyramid levels 0..7 outside 1..6/,
      );
      expect(pool.threads).toBe(1);
    });
  });
});
