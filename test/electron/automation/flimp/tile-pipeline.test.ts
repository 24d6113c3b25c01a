import { describe, expect, it } from 'vitest';
import type { JournalRoi } from '../../../../electron/automation/flimp/journal';
import {
  TILES_IN_ANALYSIS,
  TilePipeline,
  type TileRecord,
  type TileSteps,
} from '../../../../electron/automation/flimp/tile-pipeline';
import type { TileSnap } from '../../../../electron/automation/flimp/tile-scan';
import type { AcquiredFrame } from '../../../../electron/runner/types';

const roi = (id: number, tile: number): JournalRoi => ({
  id,
  tile,
  xUm: 0,
  yUm: 0,
  xPx: 0,
  yPx: 0,
  areaPx: 1,
  meanIntensity: 1,
  score: 1,
});

function tileRecord(index: number, rois: JournalRoi[]): TileRecord {
  return {
    t: 'tile',
    index,
    xUm: 0,
    yUm: 0,
    widthUm: 1,
    heightUm: 1,
    focus: null,
    rois,
    duplicates: 0,
    thumbnail: null,
    atMs: 0,
  };
}

/** Steps whose analyses end only when the test releases them; each tile finds 2 ROIs numbered after `known`. */
function steps(overrides: Partial<TileSteps> = {}) {
  const snapped: number[] = [];
  const release = new Map<number, () => void>();
  const s: TileSteps = {
    resumed: () => undefined,
    snap: async (i) => {
      snapped.push(i);
      return { index: i, frame: {} as AcquiredFrame, focus: null, foundAtMs: 0 } as TileSnap;
    },
    analyse: async (snap, known) => {
      await new Promise<void>((r) => release.set(snap.index, r));
      const n = (await known).length;
      return tileRecord(snap.index, [roi(n, snap.index), roi(n + 1, snap.index)]);
    },
    failed: (index, err) => ({ t: 'tile-failed', index, reason: String(err), atMs: 0 }),
    ...overrides,
  };
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { s, snapped, release, settle };
}

describe('TilePipeline', () => {
  it('snaps ahead while analyses run, at most TILES_IN_ANALYSIS queued, records in tile order with ROIs numbered after earlier tiles', async () => {
    const { s, snapped, release, settle } = steps();
    const p = new TilePipeline(3, s);
    while (p.canStart) await p.start();
    expect(snapped).toEqual([0, 1].slice(0, TILES_IN_ANALYSIS));
    expect(p.ready).toBe(false);
    // Tile 1's analysis ends first; its record still waits for tile 0's ROIs to be numbered.
    release.get(1)!();
    await settle();
    expect(p.ready).toBe(false);
    release.get(0)!();
    await settle();
    expect(p.ready).toBe(true);
    const t0 = await p.take();
    expect(t0.index).toBe(0);
    expect(p.canStart).toBe(true);
    await p.start();
    expect(snapped).toEqual([0, 1, 2]);
    release.get(2)!();
    const t1 = await p.take();
    const t2 = await p.take();
    const ids = [t0, t1, t2].flatMap((t) => (t.t === 'tile' ? t.rois.map((r) => r.id) : []));
    expect(ids).toEqual([0, 1, 2, 3, 4, 5]);
    expect(p.idle).toBe(true);
    expect(p.canStart).toBe(false);
  });

  it('a failed snap or analysis becomes the tile-failed record and later tiles still number after the tiles that succeeded', async () => {
    const { s, release, settle } = steps();
    const p = new TilePipeline(3, {
      ...s,
      resumed: (i) => (i === 0 ? tileRecord(0, [roi(0, 0)]) : undefined),
      snap: async (i) => {
        if (i === 1) throw new Error('stage jammed');
        return s.snap(i);
      },
    });
    await p.start();
    await p.start();
    expect(await p.take()).toMatchObject({ t: 'tile', index: 0 });
    expect(await p.take()).toMatchObject({
      t: 'tile-failed',
      index: 1,
      reason: 'Error: stage jammed',
    });
    await p.start();
    await settle();
    release.get(2)!();
    const t2 = await p.take();
    expect(t2.t === 'tile' && t2.rois.map((r) => r.id)).toEqual([1, 2]);
  });

  it('rejects start or take with an error that ends the run (failed rethrows), and drain waits for queued analyses', async () => {
    const stop = new Error('cancelled');
    const { s, release, settle } = steps({
      failed: () => {
        throw stop;
      },
    });
    const p = new TilePipeline(2, {
      ...s,
      snap: async (i) => {
        if (i === 1) throw new Error('e-stop');
        return s.snap(i);
      },
    });
    await p.start();
    await expect(p.start()).rejects.toBe(stop);
    let drained = false;
    const d = p.drain().then(() => (drained = true));
    await settle();
    expect(drained).toBe(false);
    release.get(0)!();
    await d;
    expect(p.idle).toBe(true);
  });
});
