/**
 * Autofocus benchmark section: autofocus() against a bounded Brent search (Micro-Manager
 * OughtaFocus: Brent's minimiser on −score over [z − R, z + R] with the same absolute
 * tolerance), from the same random starts on the same simulated fields, judged by
 * world.truth.focusZUm. Beads (a thin sample: the goal) and sparse cells (emitters spread
 * ±2 µm in z: reported only). Starts lie within ±20 µm of focus; both search ±25 µm, so
 * the focus is inside the range from every start.
 * Goal: fewer images than Brent, mean |z error| no worse than Brent's, every |z error| ≤
 * depthOfField / 3. Alone: npx tsx test/bench/automation/autofocus.ts [--starts=N]
 */
import path from 'node:path';
import { autofocus, type FocusTarget } from '../../../electron/automation/autofocus';
import type { FocusMeasureName } from '../../../electron/automation/kernels/focus-measures';
import { uniform } from '../../../drivers/sim/rng';
import type { SimSampleType } from '../../../drivers/sim/world';
import { simFocusRig, type SimFocusRig } from '../../electron/automation/autofocus-sim-target';
import { mean, percentile, table, type SectionReport } from './report';

const RANGE_UM = 25;
const START_WITHIN_UM = 20;
const TOLERANCE_UM = 0.1;
const MEASURE: FocusMeasureName = 'normalized-variance';

/** Brent's localmin (Brent 1973, ch. 5) maximising score on [a, b]; every image counted. */
export async function brentSearch(
  target: FocusTarget,
  a: number,
  b: number,
  tol: number,
): Promise<{ zUm: number; images: number }> {
  const C = 0.381966;
  const EPS = 1.5e-8;
  let images = 0;
  const f = async (z: number) => {
    await target.moveToUm(z);
    images++;
    return -(await target.score());
  };
  let x = a + C * (b - a);
  let w = x;
  let v = x;
  let fx = await f(x);
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0;
  for (;;) {
    const m = (a + b) / 2;
    const tol1 = EPS * Math.abs(x) + tol;
    const tol2 = 2 * tol1;
    if (Math.abs(x - m) <= tol2 - (b - a) / 2) break;
    let golden = true;
    if (Math.abs(e) > tol1) {
      let r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      else q = -q;
      r = e;
      e = d;
      if (Math.abs(p) < Math.abs(0.5 * q * r) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = x < m ? tol1 : -tol1;
        golden = false;
      }
    }
    if (golden) {
      e = (x < m ? b : a) - x;
      d = C * e;
    }
    const u = x + (Math.abs(d) >= tol1 ? d : d > 0 ? tol1 : -tol1);
    const fu = await f(u);
    if (fu <= fx) {
      if (u < x) b = x;
      else a = x;
      [v, fv, w, fw, x, fx] = [w, fw, x, fx, u, fu];
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        [v, fv, w, fw] = [w, fw, u, fu];
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  await target.moveToUm(x);
  return { zUm: x, images };
}

interface Outcome {
  images: number[];
  errors: number[];
  failures: string[];
}

async function compare(
  sample: SimSampleType,
  starts: number,
  seed: number,
): Promise<{ ours: Outcome; brent: Outcome; dofUm: number }> {
  const rig: SimFocusRig = await simFocusRig({
    sample,
    cellCount: sample === 'beads' ? 20_000 : 400,
    seed,
  });
  const rand = uniform(seed * 7919);
  const ours: Outcome = { images: [], errors: [], failures: [] };
  const brent: Outcome = { images: [], errors: [], failures: [] };
  try {
    for (let i = 0; i < starts; i++) {
      let x = 0;
      let y = 0;
      do {
        x = (rand() * 2 - 1) * 800;
        y = (rand() * 2 - 1) * 800;
      } while (
        rig.world.truth.cellsIn({ xUm: x - 10, yUm: y - 10, widthUm: 20, heightUm: 20 }).length ===
        0
      );
      const truth = rig.parkAt(x, y);
      const start = truth + (rand() * 2 - 1) * START_WITHIN_UM;
      const target = rig.target(MEASURE);

      await rig.zDrive.moveToUm(start);
      try {
        const r = await autofocus(target, {
          rangeUm: RANGE_UM,
          toleranceUm: TOLERANCE_UM,
          measure: MEASURE,
        });
        ours.images.push(r.images);
        ours.errors.push(Math.abs(r.zUm - truth));
      } catch (err) {
        ours.failures.push(err instanceof Error ? err.message : String(err));
      }

      await rig.zDrive.moveToUm(start);
      const b = await brentSearch(target, start - RANGE_UM, start + RANGE_UM, TOLERANCE_UM);
      brent.images.push(b.images);
      brent.errors.push(Math.abs(b.zUm - truth));
    }
    return { ours, brent, dofUm: rig.world.truth.depthOfFieldUm };
  } finally {
    await rig.close();
  }
}

export async function benchAutofocus(
  o: { starts?: number; cellStarts?: number } = {},
): Promise<SectionReport> {
  const starts = o.starts ?? 50;
  const beads = await compare('beads', starts, 5);
  const cells = await compare('sparse-cells', o.cellStarts ?? 20, 6);
  const dof3 = beads.dofUm / 3;
  const row = (name: string, r: Outcome) => [
    name,
    mean(r.images).toFixed(2),
    String(Math.max(...r.images)),
    (mean(r.errors) * 1000).toFixed(0),
    (percentile(r.errors, 0.95) * 1000).toFixed(0),
    (Math.max(...r.errors) * 1000).toFixed(0),
    String(r.failures.length),
  ];
  const header = ['', 'images', 'max', 'mean |err| nm', 'p95 nm', 'max nm', 'failed'];
  const figures = {
    beadsImages: mean(beads.ours.images),
    beadsBrentImages: mean(beads.brent.images),
    beadsImagesRatio: mean(beads.ours.images) / mean(beads.brent.images),
    beadsMeanErrNm: mean(beads.ours.errors) * 1000,
    beadsBrentMeanErrNm: mean(beads.brent.errors) * 1000,
    beadsMaxErrNm: Math.max(...beads.ours.errors) * 1000,
    beadsBrentMaxErrNm: Math.max(...beads.brent.errors) * 1000,
    beadsFailures: beads.ours.failures.length,
    dofThirdNm: dof3 * 1000,
    cellsImages: mean(cells.ours.images),
    cellsBrentImages: mean(cells.brent.images),
    cellsMeanErrNm: mean(cells.ours.errors) * 1000,
    cellsBrentMeanErrNm: mean(cells.brent.errors) * 1000,
    cellsFailures: cells.ours.failures.length,
  };
  const goalMet =
    beads.ours.failures.length === 0 &&
    figures.beadsImages < figures.beadsBrentImages &&
    figures.beadsMeanErrNm <= figures.beadsBrentMeanErrNm &&
    figures.beadsMaxErrNm <= dof3 * 1000;
  const lines = [
    `Autofocus (${MEASURE}, tolerance ${TOLERANCE_UM} µm, search ±${RANGE_UM} µm, starts within ±${START_WITHIN_UM} µm of focus, 256² sim camera)`,
    `beads, ${starts} starts (depth of field ${beads.dofUm.toFixed(3)} µm; goal: |err| ≤ ${(dof3 * 1000).toFixed(0)} nm):`,
    ...table([header, row('  autofocus', beads.ours), row('  Brent (OughtaFocus)', beads.brent)]),
    `  images ratio autofocus / Brent ${figures.beadsImagesRatio.toFixed(3)}; goal: fewer images, mean error no worse, every error ≤ DOF/3: ${goalMet ? 'met' : 'NOT met'}`,
    `sparse cells, ${cells.ours.images.length + cells.ours.failures.length} starts (emitters span ±2 µm: error vs the coverslip plane, reported only):`,
    ...table([header, row('  autofocus', cells.ours), row('  Brent (OughtaFocus)', cells.brent)]),
    ...[...beads.ours.failures, ...cells.ours.failures].slice(0, 3).map((m) => `  failure: ${m}`),
  ];
  return { section: 'autofocus', lines, figures, goalMet };
}

export const run = () => benchAutofocus();

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const starts = Number(/--starts=(\d+)/.exec(process.argv.join(' '))?.[1] ?? 50);
  const r = await benchAutofocus({ starts, cellStarts: Math.min(20, starts) });
  console.log(r.lines.join('\n'));
}
