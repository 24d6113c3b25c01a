/**
 * A tiny fake microscope for FLImP executor tests: 64×64 frames at 1 µm/px, each "cell" a
 * 5×5 px bright square at its stage position that bleaches by `bleachPerFrame` per exposure
 * under light when within 10 µm of the field centre; fake analysis finds the squares. Every instance is independent.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { RoiFindOptions } from '../../../../electron/automation/flimp/types';
import type { FoundRoi } from '../../../../electron/automation/kernels/roi-find';
import type {
  FlimpDeps,
  RoiDataset,
  RoiDatasetSpec,
} from '../../../../electron/automation/flimp/types';
import type { RunEnd } from '../../../../electron/storage/layout';
import { FakeEngine } from '../../runner/fakes';
import { IDENTITY_ORIENTATION } from '../../../../electron/config/stage-orientation';

export const SIZE = 64;
const BACKGROUND = 100;

export class FakeScope extends FakeEngine {
  readonly bright: number[];
  readonly exposuresOn: number[];
  private lastEndMs = -Infinity;
  constructor(
    readonly cells: { xUm: number; yUm: number }[],
    readonly bleachPerFrame = 0.7,
  ) {
    super();
    this.bright = cells.map(() => 1000);
    this.exposuresOn = cells.map(() => 0);
  }

  override async acquireFrame(into?: ArrayBuffer) {
    const f = await super.acquireFrame();
    const px =
      into?.byteLength === SIZE * SIZE * 2 ? new Uint16Array(into) : new Uint16Array(SIZE * SIZE);
    px.fill(BACKGROUND);
    const lit = this.activeLaser !== null && this.emission[this.activeLaser];
    this.cells.forEach((c, k) => {
      const i0 = Math.round(c.xUm - this.xUm + SIZE / 2 - 0.5) - 2;
      const j0 = Math.round(c.yUm - this.yUm + SIZE / 2 - 0.5) - 2;
      for (let j = j0; j < j0 + 5; j++)
        for (let i = i0; i < i0 + 5; i++)
          if (i >= 0 && j >= 0 && i < SIZE && j < SIZE)
            px[j * SIZE + i] = BACKGROUND + (lit ? Math.round(this.bright[k]!) : 0);
      // The illumination spot bleaches only cells near the field centre.
      if (lit && Math.hypot(c.xUm - this.xUm, c.yUm - this.yUm) < 10) {
        this.bright[k]! *= this.bleachPerFrame;
        this.exposuresOn[k]!++;
      }
    });
    // Exposures end at least one exposure apart, as on a camera (the fake takes no time).
    const timestampMs = Math.max(f.meta.timestampMs, this.lastEndMs + f.meta.exposureMs);
    this.lastEndMs = timestampMs;
    return {
      pixels: px,
      meta: { ...f.meta, timestampMs, widthPx: SIZE, heightPx: SIZE, pixelSizeUm: 1 },
    };
  }
}

/** 5×5 squares brighter than the background by > 50: their centres, best (brightest) first. */
export function findSquares(px: Uint16Array): FoundRoi[] {
  const out: FoundRoi[] = [];
  const on = (i: number, j: number) =>
    i >= 0 && j >= 0 && i < SIZE && j < SIZE && (px[j * SIZE + i] ?? 0) > BACKGROUND + 50;
  for (let j = 0; j < SIZE; j++)
    for (let i = 0; i < SIZE; i++) {
      if (!on(i, j) || on(i - 1, j) || on(i, j - 1)) continue;
      if (i + 4 >= SIZE || j + 4 >= SIZE || !on(i + 4, j + 4)) continue; // clipped at the edge
      const mean = px[(j + 2) * SIZE + i + 2]!;
      out.push({
        xPx: i + 2,
        yPx: j + 2,
        areaPx: 25,
        meanIntensity: mean,
        integratedIntensity: mean * 25,
        circularity: 0.8,
        bbox: { xPx: i, yPx: j, widthPx: 5, heightPx: 5 },
        score: mean,
      });
    }
  return out.sort((a, b) => b.score - a.score);
}

export interface FakeDataset extends RoiDataset {
  spec: RoiDatasetSpec;
  frames: { t: number; c: number; channel: string; xUm: number; yUm: number }[];
  end: RunEnd | null;
}

export function fakeDeps(scope: FakeScope, root: string, over: Partial<FlimpDeps> = {}) {
  const datasets: FakeDataset[] = [];
  const discarded: string[] = [];
  const uploads: { dir: string; target: string }[] = [];
  const logs: string[] = [];
  const findCalls: RoiFindOptions[] = [];
  const deps: FlimpDeps = {
    engine: scope,
    analysis: {
      autofocus: async (o) => ({
        zUm: scope.zUm,
        startZUm: scope.zUm,
        images: 5,
        curve: [-1, 0, 1].map((d) => ({ zUm: scope.zUm + d, score: 10 - d * d })),
        peakScore: 10,
        noiseScore: o.rangeUm ?? 1,
      }),
      holdLock: async () => ({ zUm: scope.zUm }),
      findRois: async (px, _w, _h, options) => {
        findCalls.push(options);
        return findSquares(px);
      },
      register: async () => ({ dxPx: 0.3, dyPx: 0.4, confidence: 0.9 }),
    },
    fieldOfView: async () => ({
      widthPx: SIZE,
      heightPx: SIZE,
      pixelUm: 1,
      orientation: IDENTITY_ORIENTATION,
    }),
    geometry: (f) => ({
      stageXUm: f.meta.stage.xUm,
      stageYUm: f.meta.stage.yUm,
      pixelSizeUm: 1,
      binning: 1,
      sensorWidthPx: SIZE,
      sensorHeightPx: SIZE,
      roi: null,
      orientation: IDENTITY_ORIENTATION,
    }),
    openDataset: async (spec) => {
      const dir = path.join(root, spec.name);
      mkdirSync(dir);
      const ds: FakeDataset = {
        spec,
        dir,
        frames: [],
        end: null,
        write: async (f, t, c, channel) => {
          ds.frames.push({ t, c, channel, xUm: f.meta.stage.xUm, yUm: f.meta.stage.yUm });
        },
        close: async (end) => {
          ds.end = end;
          return { framesWritten: ds.frames.length };
        },
        discard: async () => {
          discarded.push(spec.name);
          datasets.splice(datasets.indexOf(ds), 1);
          rmSync(dir, { recursive: true });
        },
      };
      datasets.push(ds);
      return ds;
    },
    enqueueUpload: async (dir, target) => {
      uploads.push({ dir, target });
    },
    isNameTaken: (name) => existsSync(path.join(root, name)),
    log: (_level, m) => logs.push(m),
    ...over,
  };
  return { deps, datasets, discarded, uploads, logs, findCalls };
}
