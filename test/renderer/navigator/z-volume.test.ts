import { describe, expect, it } from 'vitest';
import { loadDatasetVolume, type PlaneReader } from '../../../renderer/navigator/dataset-volume';
import { cameraOrientationOf } from '../../../renderer/navigator/frame-placement';
import { ZSliceStack } from '../../../renderer/navigator/z-slices';
import {
  downsampleMean,
  framePlane,
  stackVolume,
  VOLUME_XY,
} from '../../../renderer/navigator/z-volume';

describe('z volume', () => {
  it('downsamples by block mean, not by picking a pixel', () => {
    // 4×2 → 2×2: blocks of 2×1 pixels.
    const px = Uint16Array.from([1, 3, 2, 4, 5, 7, 6, 100]);
    expect([...downsampleMean(px, 4, 2, 2)]).toEqual([2, 3, 6, 53]);
    // A single bright pixel in a 64×64 block shows as its share of the block.
    const big = new Uint16Array(256 * 256);
    big[10 * 256 + 10] = 4096;
    const small = downsampleMean(big, 256, 256, 64);
    expect(small[2 * 64 + 2]).toBe(4096 / 16);
    expect(small.reduce((a, b) => a + b, 0)).toBe(4096 / 16);
    expect(() => downsampleMean(new Uint16Array(3), 2, 2, 1)).toThrow(/3 pixels for a 2×2/);
  });

  it('lays a frame into stage axes: a bright corner goes where its orientation puts it', () => {
    const w = 128;
    const px = new Uint16Array(w * w);
    for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) px[r * w + c] = 1000; // image top-left
    const g = { widthPx: w, heightPx: w, umPerPx: 1, centerXUm: 0, centerYUm: 0 };
    const at = (o: Parameters<typeof framePlane>[2]) => {
      const v = framePlane(px, g, o, 16);
      const i = v.indexOf(1000);
      return [i % 16, Math.floor(i / 16)];
    };
    expect(at(cameraOrientationOf(undefined))).toEqual([0, 0]);
    expect(at(cameraOrientationOf({ flipX: true, flipY: false, rotate90: false }))).toEqual([
      15, 0,
    ]);
    expect(at(cameraOrientationOf({ flipX: false, flipY: true, rotate90: false }))).toEqual([
      0, 15,
    ]);
  });

  it('stacks planes lowest z first with the box z = planes × spacing', () => {
    const n = 2;
    const plane = (v: number) => new Uint16Array(n * n).fill(v);
    const vol = stackVolume(
      [
        { zUm: 4, voxels: plane(3) },
        { zUm: 0, voxels: plane(1) },
        { zUm: 2, voxels: plane(2) },
      ],
      { x: 50, y: 40 },
      'test',
      null,
      n,
    );
    expect(vol.depth).toBe(3);
    expect([...vol.data]).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
    expect(vol.extent).toEqual({ x: 50, y: 40, z: 6 });
    expect(vol.zRange).toEqual([0, 4]);
    expect(() => stackVolume([], { x: 1, y: 1 }, 'x')).toThrow(/no planes/);
    expect(() =>
      stackVolume([{ zUm: 0, voxels: new Uint16Array(3) }], { x: 1, y: 1 }, 'x', null, n),
    ).toThrow(/3 voxels, not 4/);
  });

  it('the live z-stack gives a volume from two planes on, the same object until it changes', () => {
    const s = new ZSliceStack();
    const g = { widthPx: 64, heightPx: 64, umPerPx: 1, centerXUm: 0, centerYUm: 0 };
    const o = cameraOrientationOf(undefined);
    s.add(new Uint16Array(64 * 64).fill(7), g, o, 0);
    expect(s.volume()).toBeNull();
    s.add(new Uint16Array(64 * 64).fill(9), g, o, 1);
    const v = s.volume()!;
    expect(v).toBe(s.volume());
    expect(v.size).toBe(VOLUME_XY);
    expect(v.data[0]).toBe(7);
    expect(v.data[VOLUME_XY * VOLUME_XY]).toBe(9);
    expect(v.extent.x).toBe(64);
    s.add(new Uint16Array(64 * 64).fill(5), g, o, 2);
    expect(s.volume()).not.toBe(v);
  });

  it('a saved stack: every z plane of the chosen p, t, c read, downsampled, calibrated in µm', async () => {
    const reads: { p: number; t: number; c: number; z: number }[] = [];
    const plane = (z: number, c: number, sizes = { p: 2, t: 3, c: 2, z: 3 }) => {
      const px = new Uint16Array(128 * 64).fill(100 + 10 * c + z);
      return {
        widthPx: 128,
        heightPx: 64,
        bitDepth: 16,
        channel: ['GFP', 'mCherry'][c]!,
        sizes,
        channels: ['GFP', 'mCherry'],
        pixelSizeUm: 0.65,
        zStepUm: 2.5,
        pixelsBase64: Buffer.from(px.buffer).toString('base64'),
      };
    };
    const read: PlaneReader = async (at) => {
      reads.push(at);
      return plane(at.z, at.c);
    };
    const {
      volume: v,
      sizes,
      channels,
    } = await loadDatasetVolume('stack', read, {
      p: 1,
      t: 2,
      c: 1,
    });
    expect(reads).toEqual([0, 1, 2].map((z) => ({ p: 1, t: 2, c: 1, z })));
    expect(sizes).toEqual({ p: 2, t: 3, c: 2, z: 3 });
    expect(channels).toEqual(['GFP', 'mCherry']);
    expect(v.depth).toBe(3);
    expect(v.channel).toBe('mCherry');
    expect(v.source).toBe('stack (p 1, t 2, mCherry, 3 planes)');
    // 128 × 64 px of 0.65 µm; 3 planes 2.5 µm apart, each a 2.5 µm slab.
    expect(v.extent.x).toBeCloseTo(83.2, 9);
    expect(v.extent.y).toBeCloseTo(41.6, 9);
    expect(v.extent.z).toBeCloseTo(7.5, 9);
    expect(v.zRange).toEqual([0, 5]);
    expect(v.data[2 * VOLUME_XY * VOLUME_XY]).toBe(112);

    // One plane: a slab of one z step; the caption leaves out axes of size 1.
    const single = await loadDatasetVolume('flat', async ({ z, c }) =>
      plane(z, c, { p: 1, t: 1, c: 2, z: 1 }),
    );
    expect(single.volume.extent.z).toBe(2.5);
    expect(single.volume.source).toBe('flat (GFP, 1 plane)');

    const failing: PlaneReader = async (at) => {
      if (at.z === 1) throw new Error('plane t 0, c 0, z 1 was not written');
      return read(at);
    };
    await expect(loadDatasetVolume('stack', failing)).rejects.toThrow(/z 1 was not written/);
  });
});
