import { describe, expect, it } from 'vitest';
import { planView } from '../../../electron/api/frame-view';
import { reduceFrame, byteShuffle } from '../../../electron/remote/view-pyramid';
import { expandView, byteUnshuffle } from '../../../renderer/frames/view-pixels';

describe('planView', () => {
  it('picks the coarsest level whose pixels are no larger than the canvas pixels', () => {
    expect(planView(2048, 2048, { canvasWidthPx: 2048, canvasHeightPx: 2048 }).level).toBe(0);
    expect(planView(2048, 2048, { canvasWidthPx: 1024, canvasHeightPx: 1024 })).toEqual({
      level: 1,
      region: { x: 0, y: 0, width: 2048, height: 2048 },
      widthPx: 1024,
      heightPx: 1024,
    });
    // 800 px canvas: level 1 (1024 px) still covers it; level 2 (512 px) would be blurry.
    expect(planView(2048, 2048, { canvasWidthPx: 800, canvasHeightPx: 800 }).level).toBe(1);
    expect(planView(2048, 2048, { canvasWidthPx: 300, canvasHeightPx: 1000 }).level).toBe(2);
    expect(planView(2048, 2048, { canvasWidthPx: 1, canvasHeightPx: 1 }).level).toBe(6);
  });

  it('sends exact camera pixels of the visible region at 1:1 or closer', () => {
    const v = planView(2048, 2048, {
      canvasWidthPx: 1024,
      canvasHeightPx: 1024,
      region: { x: 100.5, y: 200.2, width: 300, height: 250.1 },
    });
    expect(v).toEqual({
      level: 0,
      region: { x: 100, y: 200, width: 301, height: 251 },
      widthPx: 301,
      heightPx: 251,
    });
  });

  it('aligns a zoomed region to the level and clamps it to the image', () => {
    const v = planView(2048, 2000, {
      canvasWidthPx: 256,
      canvasHeightPx: 256,
      region: { x: 1001, y: 1500, width: 1200, height: 1000 },
    });
    expect(v.level).toBe(2);
    expect(v.region).toEqual({ x: 1000, y: 1500, width: 1048, height: 500 });
    expect([v.widthPx, v.heightPx]).toEqual([262, 125]);
    const outside = planView(100, 100, {
      canvasWidthPx: 50,
      canvasHeightPx: 50,
      region: { x: -500, y: 400, width: 10, height: 10 },
    });
    expect(outside.region.width).toBeGreaterThan(0);
    expect(outside.region.x + outside.region.width).toBeLessThanOrEqual(100);
    expect(outside.region.y + outside.region.height).toBeLessThanOrEqual(100);
  });
});

describe('reduceFrame / expandView', () => {
  it('keeps an isolated single-molecule spot at its peak (max, not mean)', () => {
    const w = 16;
    const px = new Uint16Array(w * 16).fill(100);
    px[5 * w + 9] = 3000; // one bright pixel
    const view = planView(w, 16, { canvasWidthPx: 4, canvasHeightPx: 4 });
    expect(view.level).toBe(2);
    const r = reduceFrame(px, w, view);
    expect(r.length).toBe(16);
    expect(r[1 * 4 + 2]).toBe(3000); // block (2,1) holds pixel (9,5)
    expect(Array.from(r).filter((v) => v === 100).length).toBe(15);
  });

  it('reduces partial edge blocks over the pixels that exist', () => {
    const w = 5;
    const px = Uint16Array.from({ length: 15 }, (_, i) => i); // 5×3, value = index
    const view = planView(w, 3, { canvasWidthPx: 2, canvasHeightPx: 1 });
    expect(view).toMatchObject({ level: 1, widthPx: 3, heightPx: 2 });
    expect(Array.from(reduceFrame(px, w, view))).toEqual([6, 8, 9, 11, 13, 14]);
  });

  it('places the view back in image coordinates', () => {
    const w = 8;
    const px = Uint16Array.from({ length: 64 }, (_, i) => i + 1);
    const view = planView(w, 8, {
      canvasWidthPx: 2,
      canvasHeightPx: 2,
      region: { x: 4, y: 2, width: 4, height: 4 },
    });
    expect(view).toMatchObject({ level: 1, region: { x: 4, y: 2, width: 4, height: 4 } });
    const full = expandView(reduceFrame(px, w, view), view, w, 8);
    expect(full[0]).toBe(0); // outside the region
    // image pixel (4,2) lies in the block (4..5, 2..3), whose max is pixel (5,3) = 3*8+5+1
    expect(full[2 * w + 4]).toBe(30);
    expect(full[3 * w + 5]).toBe(30);
    expect(full[5 * w + 7]).toBe(5 * 8 + 7 + 1);
    expect(full[6 * w + 7]).toBe(0);
  });

  it('is the identity at level 0 over the whole image', () => {
    const px = Uint16Array.from({ length: 12 }, (_, i) => i * 5000);
    const view = planView(4, 3, { canvasWidthPx: 4, canvasHeightPx: 3 });
    expect(Array.from(expandView(reduceFrame(px, 4, view), view, 4, 3))).toEqual(Array.from(px));
  });
});

describe('byteShuffle', () => {
  it('round-trips bit-exactly, including the extreme values', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    const px = Uint16Array.from({ length: 37 * 23 }, () => rand() & 0xffff);
    px.set([0, 65535, 0, 65535, 1, 256, 255], 40);
    const back = byteUnshuffle(byteShuffle(px));
    expect(Buffer.from(back.buffer).equals(Buffer.from(px.buffer))).toBe(true);
  });

  it('puts the low bytes first, then the high bytes', () => {
    expect(Array.from(byteShuffle(Uint16Array.from([0x0102, 0x0304, 0xff00])))).toEqual([
      0x02, 0x04, 0x00, 0x01, 0x03, 0xff,
    ]);
  });

  it('refuses an odd byte count', () => {
    expect(() => byteUnshuffle(new Uint8Array(3))).toThrow(/odd byte count 3/);
  });
});
