import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppState, CameraOrientation, FrameMeta } from '../../../electron/api/contract';
import type { WireView } from '../../../electron/api/frame-view';
import type { DecodedFrame } from '../../../renderer/frames/decode-frame';
import { expandView } from '../../../renderer/frames/view-pixels';
import {
  pixelToStage,
  reducedGeometry,
  type FrameGeometry,
} from '../../../renderer/navigator/frame-placement';
import {
  isLiveFrame,
  LIVE_PLACE_MS,
  LiveCoalescer,
  mapPixels,
} from '../../../renderer/navigator/live-frames';
import { MosaicPyramid } from '../../../renderer/navigator/mosaic-pyramid';

const ORIENTATIONS: CameraOrientation[] = [false, true].flatMap((flipX) =>
  [false, true].flatMap((flipY) =>
    ([0, 1, 2, 3] as const).map((rotate90) => ({ flipX, flipY, rotate90 })),
  ),
);

/** A 64×48 frame at 1 µm/px (one level-0 texel per pixel), reduced at level 2 over a region. */
const IMAGE_W = 64;
const IMAGE_H = 48;
const full: FrameGeometry = {
  widthPx: IMAGE_W,
  heightPx: IMAGE_H,
  umPerPx: 1,
  centerXUm: 1000,
  centerYUm: -500,
};
const view = (codec: WireView['codec'] = 'raw'): WireView => ({
  level: 2,
  region: { x: 8, y: 12, width: 40, height: 30 },
  widthPx: 10,
  heightPx: 8, // ceil(30 / 4): the last row of blocks is partial
  codec,
  payloadBytes: 0,
  ...(codec === 'lut8' && { window: { min: 0, max: 4095, gamma: 1 } }),
});
/** Each reduced pixel a distinct value. */
const reducedPixels = (v: WireView): Uint16Array =>
  Uint16Array.from({ length: v.widthPx * v.heightPx }, (_, i) => 100 + i);

const meta = (seq: number): FrameMeta => ({
  seq,
  cameraSeq: seq,
  widthPx: IMAGE_W,
  heightPx: IMAGE_H,
  bitDepth: 12,
  binning: 1,
  pixelSizeUm: 1,
  exposureMs: 10,
  timestampMs: 0,
  stage: { xUm: 0, yUm: 0, zUm: 0 },
  lasersMw: {},
  sentAtMs: 0,
});

/** A reduced-view frame whose `pixels` must not be read (they would be the expanded view). */
function viewFrame(seq: number, v: WireView, reduced: Uint16Array | Uint8Array): DecodedFrame {
  return {
    meta: meta(seq),
    view: v,
    reduced,
    get pixels(): Uint16Array {
      throw new Error('expanded pixels read');
    },
  };
}

describe('reduced views on the map', () => {
  it.each(ORIENTATIONS)(
    'each reduced pixel lies where its block lies in the full frame (%o)',
    (o) => {
      const v = view();
      const factor = 2 ** v.level;
      const g = reducedGeometry(full, o, { ...v.region, factor, widthPx: 10, heightPx: 8 });
      expect(g.umPerPx).toBe(4);
      for (let j = 0; j < v.heightPx; j++) {
        for (let i = 0; i < v.widthPx; i++) {
          const own = pixelToStage(g, o, { x: i + 0.5, y: j + 0.5 });
          const inFull = pixelToStage(full, o, {
            x: v.region.x + (i + 0.5) * factor,
            y: v.region.y + (j + 0.5) * factor,
          });
          expect(own.x).toBeCloseTo(inFull.x, 9);
          expect(own.y).toBeCloseTo(inFull.y, 9);
        }
      }
    },
  );

  it.each(ORIENTATIONS)(
    'the mosaic holds the same values as placing the expanded view (%o)',
    (o) => {
      const v = view();
      const reduced = reducedPixels(v);
      const m = mapPixels(viewFrame(1, v, reduced))!;
      expect(m.pixels).toBe(reduced); // never expanded
      const fromReduced = new MosaicPyramid();
      fromReduced.place(m.pixels, reducedGeometry(full, o, m.reduction!), o, 'c');
      const fromExpanded = new MosaicPyramid();
      fromExpanded.place(expandView(reduced, v, IMAGE_W, IMAGE_H), full, o, 'c');
      // Every level-0 texel inside the region (full blocks: the partial last row of blocks
      // extends past the region on the reduced frame's side), at its centre.
      let compared = 0;
      for (let y = v.region.y; y < v.region.y + 28; y++) {
        for (let x = v.region.x; x < v.region.x + v.region.width; x++) {
          const p = pixelToStage(full, o, { x: x + 0.5, y: y + 0.5 });
          const want = reduced[((y - v.region.y) >> 2) * v.widthPx + ((x - v.region.x) >> 2)];
          expect(fromExpanded.sample('c', p.x, p.y)).toBe(want);
          expect(fromReduced.sample('c', p.x, p.y)).toBe(want);
          compared++;
        }
      }
      expect(compared).toBe(40 * 28);
    },
  );

  it('a lut8 view (display values) gives the map nothing; a full frame gives its pixels', () => {
    const v = view('lut8');
    expect(mapPixels(viewFrame(1, v, new Uint8Array(v.widthPx * v.heightPx)))).toBeNull();
    const pixels = new Uint16Array(IMAGE_W * IMAGE_H);
    expect(mapPixels({ meta: meta(2), pixels })).toEqual({ pixels, reduction: null });
  });
});

describe('which frames are live', () => {
  const state = (over: Partial<AppState>): Pick<AppState, 'camera' | 'run' | 'automation'> =>
    ({ camera: { live: true }, run: null, automation: null, ...over }) as never;

  it('live camera and no run or automation active', () => {
    expect(isLiveFrame(state({}))).toBe(true);
    expect(isLiveFrame(state({ camera: { live: false } as never }))).toBe(false); // a snap
    expect(isLiveFrame(state({ camera: null }))).toBe(false);
    expect(isLiveFrame(null)).toBe(false);
    expect(isLiveFrame(state({ run: { state: 'running' } as never }))).toBe(false);
    expect(isLiveFrame(state({ run: { state: 'finished' } as never }))).toBe(true);
    expect(isLiveFrame(state({ automation: { phase: 'imaging' } as never }))).toBe(false);
    expect(isLiveFrame(state({ automation: { phase: 'cancelled' } as never }))).toBe(true);
  });
});

describe('live coalescing', () => {
  let now = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
  });
  afterEach(() => vi.useRealTimers());

  const frame = (seq: number): DecodedFrame => ({ meta: meta(seq), pixels: new Uint16Array(0) });
  const advance = (ms: number) => {
    now += ms;
    vi.advanceTimersByTime(ms);
  };

  it('places the first live frame at once, then only the newest every interval', () => {
    const placed: number[] = [];
    const c = new LiveCoalescer(
      (f) => placed.push(f.meta.seq),
      () => now,
    );
    c.push(frame(1), true);
    expect(placed).toEqual([1]);
    for (let seq = 2; seq <= 5; seq++) {
      advance(30);
      c.push(frame(seq), true);
    }
    expect(placed).toEqual([1]);
    advance(LIVE_PLACE_MS - 120);
    expect(placed).toEqual([1, 5]);
    advance(LIVE_PLACE_MS * 3);
    expect(placed).toEqual([1, 5]); // nothing pending, nothing placed again
  });

  it('places every run frame on arrival, after the older pending live frame', () => {
    const placed: number[] = [];
    const c = new LiveCoalescer(
      (f) => placed.push(f.meta.seq),
      () => now,
    );
    c.push(frame(1), true);
    c.push(frame(2), true);
    c.push(frame(3), true);
    for (let seq = 4; seq <= 8; seq++) c.push(frame(seq), false);
    expect(placed).toEqual([1, 3, 4, 5, 6, 7, 8]);
    advance(LIVE_PLACE_MS * 2);
    expect(placed).toEqual([1, 3, 4, 5, 6, 7, 8]);
  });

  it('stop drops the pending frame', () => {
    const placed: number[] = [];
    const c = new LiveCoalescer(
      (f) => placed.push(f.meta.seq),
      () => now,
    );
    c.push(frame(1), true);
    c.push(frame(2), true);
    c.stop();
    advance(LIVE_PLACE_MS * 2);
    expect(placed).toEqual([1]);
  });
});
