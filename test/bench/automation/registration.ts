/**
 * Registration benchmark section, on the simulated microscope (dense tissue, 2048² frames,
 * 488 nm): pairs of frames whose stage positions differ by known sub-pixel amounts
 * (independent noise in each), registered by registerPhaseCorrelation; the expected shift
 * of the content is −Δstage / pixel (the camera's orientation, drivers/sim/sample.ts).
 * Baseline in the same run: textbook phase correlation on the same pairs (same window and
 * FFT, whitened cross-power, integer peak + 3-point parabola in x and y).
 * Goal: every error ≤ 0.1 px. Alone: npx tsx test/bench/automation/registration.ts [--pairs=N]
 */
import path from 'node:path';
import { fft2d } from '../../../electron/automation/kernels/fft';
import { registerPhaseCorrelation } from '../../../electron/automation/kernels/phase-correlation';
import { uniform } from '../../../drivers/sim/rng';
import { PIXEL_UM, simFrames } from '../../electron/automation/kernels/sim-camera-rig';
import { cpuClock, mean, table, type SectionReport } from './report';

const GOAL_PX = 0.1;
const MAX_SHIFT_PX = 8;

/** Textbook phase correlation (power-of-two square frames), for the baseline. */
function textbook(a: Uint16Array, b: Uint16Array, n: number): { dxPx: number; dyPx: number } {
  const win = (i: number) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / n);
  const prep = (p: Uint16Array) => {
    const m = p.reduce((s, v) => s + v, 0) / p.length;
    const re = new Float64Array(n * n);
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) re[y * n + x] = ((p[y * n + x] as number) - m) * win(x) * win(y);
    const im = new Float64Array(n * n);
    fft2d(re, im, n, n, false);
    return { re, im };
  };
  const A = prep(a);
  const B = prep(b);
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < re.length; i++) {
    const cr =
      (B.re[i] as number) * (A.re[i] as number) + (B.im[i] as number) * (A.im[i] as number);
    const ci =
      (B.im[i] as number) * (A.re[i] as number) - (B.re[i] as number) * (A.im[i] as number);
    const mag = Math.hypot(cr, ci) || 1;
    re[i] = cr / mag;
    im[i] = ci / mag;
  }
  fft2d(re, im, n, n, true);
  let best = 0;
  for (let i = 1; i < re.length; i++) if ((re[i] as number) > (re[best] as number)) best = i;
  const px = best % n;
  const py = Math.floor(best / n);
  const at = (x: number, y: number) => re[((y + n) % n) * n + ((x + n) % n)] as number;
  const sub = (l: number, c: number, r: number) => {
    const d = l - 2 * c + r;
    return d < 0 ? (l - r) / (2 * d) : 0;
  };
  const fx = sub(at(px - 1, py), at(px, py), at(px + 1, py));
  const fy = sub(at(px, py - 1), at(px, py), at(px, py + 1));
  const wrap = (v: number) => (v >= n / 2 ? v - n : v);
  return { dxPx: wrap(px) + fx, dyPx: wrap(py) + fy };
}

export async function benchRegistration(o: { pairs?: number } = {}): Promise<SectionReport> {
  const pairs = o.pairs ?? 6;
  const sim = await simFrames({ sample: 'dense-tissue', seed: 4 });
  const rand = uniform(77);
  const ours: number[] = [];
  const base: number[] = [];
  const oursMs: number[] = [];
  const baseMs: number[] = [];
  const conf: number[] = [];
  const rows: string[][] = [['pair', 'true dx', 'true dy', 'error px', 'textbook error px']];
  try {
    await sim.light(10, 1);
    for (let i = 0; i < pairs; i++) {
      const x = (rand() * 2 - 1) * 1_000;
      const y = (rand() * 2 - 1) * 1_000;
      const dx = (rand() * 2 - 1) * MAX_SHIFT_PX;
      const dy = (rand() * 2 - 1) * MAX_SHIFT_PX;
      const reference = await sim.snapAt(x, y);
      // Content moves opposite to the stage.
      const moving = await sim.snapAt(x - dx * PIXEL_UM, y - dy * PIXEL_UM);
      let t = cpuClock();
      const r = registerPhaseCorrelation(reference, moving, sim.sidePx, sim.sidePx);
      oursMs.push(t.stop());
      t = cpuClock();
      const b = textbook(reference, moving, sim.sidePx);
      baseMs.push(t.stop());
      const e = Math.hypot(r.dxPx - dx, r.dyPx - dy);
      const eb = Math.hypot(b.dxPx - dx, b.dyPx - dy);
      ours.push(e);
      base.push(eb);
      conf.push(r.confidence);
      rows.push([String(i + 1), dx.toFixed(3), dy.toFixed(3), e.toFixed(3), eb.toFixed(3)]);
    }
  } finally {
    await sim.close();
  }
  const figures = {
    meanErrPx: mean(ours),
    maxErrPx: Math.max(...ours),
    textbookMeanErrPx: mean(base),
    textbookMaxErrPx: Math.max(...base),
    msPerPair: mean(oursMs),
    textbookMsPerPair: mean(baseMs),
    meanConfidence: mean(conf),
    pairs,
  };
  const goalMet = figures.maxErrPx <= GOAL_PX;
  const lines = [
    `Registration — dense tissue, ${pairs} pairs of 2048² frames, stage shifts up to ±${MAX_SHIFT_PX} px (sub-pixel), independent noise`,
    ...table(rows),
    `  error: mean ${figures.meanErrPx.toFixed(3)} px, max ${figures.maxErrPx.toFixed(3)} px (textbook phase correlation: mean ${figures.textbookMeanErrPx.toFixed(3)}, max ${figures.textbookMaxErrPx.toFixed(3)} px); mean confidence ${figures.meanConfidence.toFixed(3)}`,
    `  ${figures.msPerPair.toFixed(0)} CPU ms per 2048² pair vs ${figures.textbookMsPerPair.toFixed(0)} CPU ms textbook: ratio ${(figures.msPerPair / figures.textbookMsPerPair).toFixed(3)}`,
    `  goal every error ≤ ${GOAL_PX} px: ${goalMet ? 'met' : 'NOT met'}`,
  ];
  return { section: 'registration', lines, figures, goalMet };
}

export const run = () => benchRegistration();

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const pairs = Number(/--pairs=(\d+)/.exec(process.argv.join(' '))?.[1] ?? 6);
  console.log((await benchRegistration({ pairs })).lines.join('\n'));
}
