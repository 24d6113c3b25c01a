/**
 * ROI-finding benchmark section, on the simulated microscope (sparse cells, 2048² frames,
 * 488 nm: the GFP-like cytoplasm): F1 against world.truth at three signal levels (matching
 * by centroid distance < half the cell radius, see roi-truth.ts), and CPU ms per 2048² field
 * (findRois on this thread; CPU time, as the machine is shared) against a baseline measured
 * on the same frames: the textbook full-resolution pipeline — a direct separable Gaussian
 * (±3σ taps) then the same background, threshold and labelling steps.
 * Goal: ≤ 100 ms per field (with the options used and with the library defaults); F1 ≥ 0.95
 * at the middle level.
 * Alone: npx tsx test/bench/automation/rois.ts [--fields=N]
 */
import path from 'node:path';
import { subtractBackground } from '../../../electron/automation/kernels/background';
import { labelComponents } from '../../../electron/automation/kernels/components';
import { findRois, type RoiFindOptions } from '../../../electron/automation/kernels/roi-find';
import {
  backgroundStats,
  histogram,
  otsuThreshold,
} from '../../../electron/automation/kernels/thresholds';
import { uniform } from '../../../drivers/sim/rng';
import {
  fieldWithCells,
  f1,
  scoreRois,
  type RoiScore,
} from '../../electron/automation/kernels/roi-truth';
import { PIXEL_UM, simFrames } from '../../electron/automation/kernels/sim-camera-rig';
import { cpuClock, mean, table, type SectionReport } from './report';

/** Cells are 6–12 µm (55–110 px) in radius, their emitters ~2 µm apart: wide smoothing. */
const OPTIONS: RoiFindOptions = {
  smoothSigmaPx: 24,
  backgroundRadiusPx: 300,
  threshold: 'otsu',
  hysteresis: 0.5,
  minAreaPx: 5_000,
};
/** Signal levels: exposure at 1 mW of 488 nm, ms (photoelectrons per emitter ≈ 8 × mW·ms). */
const LEVELS = [
  { name: 'low', exposureMs: 1.5 },
  { name: 'middle', exposureMs: 3 },
  { name: 'high', exposureMs: 10 },
];
const GOAL_MS = 100;
const GOAL_F1 = 0.95;

function directGaussian(src: Uint16Array, w: number, h: number, sigma: number): Float32Array {
  const r = Math.ceil(3 * sigma);
  const k = Float32Array.from({ length: 2 * r + 1 }, (_, i) =>
    Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)),
  );
  const norm = k.reduce((a, b) => a + b, 0);
  for (let i = 0; i < k.length; i++) k[i] = (k[i] as number) / norm;
  const tmp = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let j = -r; j <= r; j++)
        s += (k[j + r] as number) * (src[y * w + Math.min(w - 1, Math.max(0, x + j))] as number);
      tmp[y * w + x] = s;
    }
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let j = -r; j <= r; j++) {
      const kj = k[j + r] as number;
      const row = Math.min(h - 1, Math.max(0, y + j)) * w;
      for (let x = 0; x < w; x++)
        out[y * w + x] = (out[y * w + x] as number) + kj * (tmp[row + x] as number);
    }
  }
  return out;
}

/** The baseline pipeline up to labelled components (no binning, direct Gaussian). */
function baseline(p: Uint16Array, w: number, h: number): number {
  const img = directGaussian(p, w, h, OPTIONS.smoothSigmaPx ?? 2);
  subtractBackground(img, w, h, OPTIONS.backgroundRadiusPx ?? 64);
  const bg = backgroundStats(img);
  for (let i = 0; i < img.length; i++) img[i] = (img[i] as number) - bg.level;
  const t = Math.max(4 * bg.sigma, otsuThreshold(histogram(img)));
  return labelComponents(img, w, h, t * (OPTIONS.hysteresis ?? 1)).filter((c) => c.peak > t).length;
}

export async function benchRois(o: { fields?: number } = {}): Promise<SectionReport> {
  const fields = o.fields ?? 12;
  const sim = await simFrames({ sample: 'sparse-cells', seed: 9 });
  const rand = uniform(31);
  const positions = Array.from({ length: fields }, () =>
    fieldWithCells(sim.world, sim.sidePx, PIXEL_UM, rand),
  );
  const rows: string[][] = [
    ['level', 'e⁻/emitter', 'cells', 'TP', 'FP', 'FN', 'F1', 'CPU ms/field'],
  ];
  const figures: Record<string, number> = {};
  const allMs: number[] = [];
  let baselineMs = NaN;
  const defaultMs: number[] = [];
  let middleF1 = 0;
  try {
    for (const level of LEVELS) {
      await sim.light(level.exposureMs, 1);
      const total: RoiScore = { tp: 0, fp: 0, fn: 0 };
      const ms: number[] = [];
      for (const [i, pos] of positions.entries()) {
        const pixels = await sim.snapAt(pos.xUm, pos.yUm);
        let t = cpuClock();
        const rois = findRois(pixels, sim.sidePx, sim.sidePx, OPTIONS);
        ms.push(t.stop());
        if (level.name === 'middle') {
          t = cpuClock();
          findRois(pixels, sim.sidePx, sim.sidePx);
          defaultMs.push(t.stop());
        }
        if (level.name === 'middle' && i === 0) {
          t = cpuClock();
          baseline(pixels, sim.sidePx, sim.sidePx);
          baselineMs = t.stop();
        }
        const s = scoreRois(sim.world, sim.geometry(pos.xUm, pos.yUm), sim.sidePx, rois);
        total.tp += s.tp;
        total.fp += s.fp;
        total.fn += s.fn;
      }
      const score = f1(total);
      if (level.name === 'middle') middleF1 = score;
      allMs.push(...ms);
      figures[`f1${level.name[0]?.toUpperCase()}${level.name.slice(1)}`] = score;
      rows.push([
        level.name,
        (8 * level.exposureMs).toFixed(0),
        String(total.tp + total.fn),
        String(total.tp),
        String(total.fp),
        String(total.fn),
        score.toFixed(3),
        mean(ms).toFixed(1),
      ]);
    }
  } finally {
    await sim.close();
  }
  const msPerField = mean(allMs);
  Object.assign(figures, {
    msPerField,
    msPerFieldDefaults: mean(defaultMs),
    baselineMs,
    speedRatio: msPerField / baselineMs,
    fields,
  });
  const goalMet = msPerField <= GOAL_MS && mean(defaultMs) <= GOAL_MS && middleF1 >= GOAL_F1;
  const lines = [
    `ROI finding — sparse cells, ${fields} fields of 2048² × ${PIXEL_UM} µm per level, options ${JSON.stringify(OPTIONS)}`,
    ...table(rows),
    `  ${msPerField.toFixed(1)} CPU ms per field (one thread) vs ${baselineMs.toFixed(0)} CPU ms for the textbook full-resolution pipeline: ratio ${(msPerField / baselineMs).toFixed(3)}`,
    `  with the library defaults (smoothing 2 px: 2× binning, the most work per field) ${mean(defaultMs).toFixed(1)} CPU ms per field`,
    `  goal ≤ ${GOAL_MS} ms and F1 ≥ ${GOAL_F1} at the middle level: ${goalMet ? 'met' : 'NOT met'}`,
  ];
  return { section: 'rois', lines, figures, goalMet };
}

export const run = () => benchRois();

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const fields = Number(/--fields=(\d+)/.exec(process.argv.join(' '))?.[1] ?? 12);
  console.log((await benchRois({ fields })).lines.join('\n'));
}
