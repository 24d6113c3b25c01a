import { describe, expect, it } from 'vitest';
import { blockMean } from '../../../electron/api/block-mean';
import {
  FEED_CAPACITY,
  FEED_IDLE_MS,
  FEED_MAX_SIDE,
  MosaicFeed,
  type FeedMeta,
} from '../../../electron/host/mosaic-feed';

const meta = (cameraSeq: number, widthPx = 256, heightPx = 256): FeedMeta => ({
  cameraSeq,
  widthPx,
  heightPx,
  bitDepth: 16,
  binning: 1,
  pixelSizeUm: 0.2,
  exposureMs: 10,
  timestampMs: 1000 + cameraSeq,
  stage: { xUm: cameraSeq * 100, yUm: 0, zUm: 0 },
  lasersMw: {},
});

describe('block mean', () => {
  it('averages factor × factor blocks, partial blocks over the pixels they have', () => {
    // 3 × 2 by 2: blocks [1,2;4,5] and [3;6].
    const r = blockMean(Uint16Array.from([1, 2, 3, 4, 5, 6]), 3, 2, 2);
    expect(r.widthPx).toBe(2);
    expect(r.heightPx).toBe(1);
    expect([...r.pixels]).toEqual([3, 5]);
    expect(() => blockMean(new Uint16Array(4), 2, 2, 0)).toThrow(/positive integer/);
    expect(() => blockMean(new Uint16Array(3), 2, 2, 1)).toThrow(/3 pixels for a 2×2/);
  });
});

describe('mosaic feed', () => {
  it('records nothing until a page polls, then every frame downsampled, in order', () => {
    let now = 0;
    const feed = new MosaicFeed(() => now);
    feed.add(meta(1), new Uint16Array(256 * 256), null);
    expect(feed.since(0)).toEqual({ frames: [], lastSeq: 0 });
    const big = new Uint16Array(1024 * 512).fill(40);
    feed.add(meta(2, 1024, 512), big, 7);
    feed.add(meta(3), new Uint16Array(256 * 256).fill(9), null);
    const r = feed.since(0);
    expect(r.lastSeq).toBe(2);
    expect(r.frames.map((f) => [f.seq, f.busSeq, f.meta.cameraSeq])).toEqual([
      [1, 7, 2],
      [2, null, 3],
    ]);
    const first = r.frames[0]!;
    expect(first.factor).toBe(1024 / FEED_MAX_SIDE);
    expect([first.widthPx, first.heightPx]).toEqual([128, 64]);
    expect(first.pixels.every((v) => v === 40)).toBe(true);
    expect(r.frames[1]!.widthPx).toBe(128);
    expect(feed.since(1).frames.map((f) => f.seq)).toEqual([2]);
    // Idle: no page polled for FEED_IDLE_MS.
    now += FEED_IDLE_MS;
    feed.add(meta(4), new Uint16Array(256 * 256), null);
    expect(feed.since(2).frames).toEqual([]);
  });

  it('a run frame noted and then shown on the bus is one entry with its bus seq', () => {
    const feed = new MosaicFeed(() => 0);
    feed.since(0);
    feed.add(meta(5), new Uint16Array(256 * 256), null);
    feed.add(meta(5), new Uint16Array(256 * 256), 42);
    const r = feed.since(0);
    expect(r.frames).toHaveLength(1);
    expect(r.frames[0]!.busSeq).toBe(42);
  });

  it('keeps the newest FEED_CAPACITY frames', () => {
    const feed = new MosaicFeed(() => 0);
    feed.since(0);
    for (let i = 0; i < FEED_CAPACITY + 10; i++)
      feed.add(meta(i, 16, 16), new Uint16Array(256), null);
    const r = feed.since(0);
    expect(r.lastSeq).toBe(FEED_CAPACITY + 10);
    expect(r.frames[0]!.seq).toBe(11);
  });
});
