/**
 * Drift correction in FLImP runs on the simulated microscope with XY drift: ROIs imaged with
 * correction are where the sample really is, without it they lag by the drift. Every figure
 * is measured against the simulator's ground truth, read by this test only.
 */
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SimWorld } from '../../../drivers/sim/world';
import { readJournal, type FlimpRecord } from '../../../electron/automation/flimp/journal';
import { parseConfig } from '../../../electron/config/load';
import { basePlan, colony, CTX, STILL, truthOf } from '../../support/automation-rig';
import { smallSimConfig, startTestHost, type HostFixture } from '../../support/host-fixture';
import { tempDir } from '../../support/temp-dir';

let fx: HostFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

/** 30 µm/min: ~0.5 µm/s, several µm over a run of a few ROIs. */
const DRIFT_UM_PER_MIN = 30;

type RoiEnd = Extract<FlimpRecord, { t: 'roi-end' }>;

async function driftRun(correct: boolean, over: Record<string, unknown> = {}) {
  const root = tempDir('aquila-drift-');
  const sim = {
    ...STILL,
    cellCount: 400,
    drift: { ...STILL.drift, xyUmPerMin: DRIFT_UM_PER_MIN },
  };
  const config = smallSimConfig({ storage: { datasetsRoot: root }, sim, ...over });
  fx = await startTestHost(config);
  const h = fx.host;
  // Ground truth at any time: the same world, its clock set by the test. The host's world
  // clock is performance.now(); journal times are wall-clock ms.
  let atPerfMs = 0;
  const truth = new SimWorld({
    ...parseConfig(JSON.stringify(config), 'truth').sim,
    clock: () => atPerfMs,
  }).truth;
  const at = (wallMs: number) => {
    atPerfMs = wallMs - performance.timeOrigin;
    return truth;
  };
  const { c } = colony(truthOf(config));
  const plan = {
    ...basePlan,
    scan: { ...basePlan.scan, centreUm: { xUm: c.xUm, yUm: c.yUm } },
    maxRois: 6,
    roi: {
      ...basePlan.roi,
      programme: [{ laserId: 'laser488', powerMw: 10, exposureMs: 40, name: 'GFP' }],
      stopFraction: 0,
      minFrames: 15,
      maxFrames: 15,
    },
    ...(correct ? { driftCorrection: { xy: true, maxStepUm: 20 } } : {}),
  };
  const started = await h.call('automation.start', { plan, name: 'drift' }, CTX);
  expect(started.ok).toBe(true);
  await h.automation.whenIdle();
  expect(h.store.state.automation).toMatchObject({ phase: 'finished' });
  const journal = await readJournal(path.join(root, 'drift'));
  const tiles = new Map(journal.flatMap((r) => (r.t === 'tile' ? [[r.index, r] as const] : [])));
  const found = new Map(
    [...tiles.values()].flatMap((t) => t.rois.map((r) => [r.id, { roi: r, tile: t }] as const)),
  );
  const ends = journal.filter((r): r is RoiEnd => r.t === 'roi-end' && r.outcome === 'imaged');
  // The simulator's drift is linear in time: its true velocity, µm/s.
  const now = Date.now();
  const [a, b] = [at(now).xyDriftUm(), at(now + 1_000).xyDriftUm()];
  const trueUmPerS = { xUm: b.xUm - a.xUm, yUm: b.yUm - a.yUm };
  return ends.map((e) => {
    const { roi, tile } = found.get(e.id)!;
    expect(tile.foundAtMs).toBeGreaterThan(0);
    const d0 = at(tile.foundAtMs!).xyDriftUm();
    const d1 = at(e.startedAtMs).xyDriftUm();
    // Where the ROI really is when it is imaged: found position + the true drift since.
    const trueUm = { xUm: roi.xUm + d1.xUm - d0.xUm, yUm: roi.yUm + d1.yUm - d0.yUm };
    return {
      id: e.id,
      corrected: Math.hypot(e.correctionUm!.xUm, e.correctionUm!.yUm) > 0,
      lagS: (e.startedAtMs - tile.foundAtMs!) / 1000,
      /** Imaged position vs where the found ROI really is then, µm. */
      errorUm: Math.hypot(e.stageUm!.xUm - trueUm.xUm, e.stageUm!.yUm - trueUm.yUm),
      /** The velocity this ROI's series measured vs the truth, µm/s. */
      measured: {
        xUm: (e.driftUm!.xUm / e.driftSpanMs!) * 1000,
        yUm: (e.driftUm!.yUm / e.driftSpanMs!) * 1000,
      },
      trueUmPerS,
    };
  });
}

it('with driftCorrection the ROIs are imaged where the drifting sample is; without, they lag', async () => {
  const corrected = await driftRun(true);
  await fx?.close();
  fx = undefined;
  const plain = await driftRun(false);
  const summary = (rs: typeof plain) =>
    rs
      .map(
        (r) =>
          `#${r.id} lag ${r.lagS.toFixed(1)} s error ${r.errorUm.toFixed(2)} µm${r.corrected ? ' (corrected)' : ''}`,
      )
      .join('; ');
  console.log(`with correction: ${summary(corrected)}\nwithout: ${summary(plain)}`);
  for (const rs of [corrected, plain]) {
    expect(rs.length).toBeGreaterThanOrEqual(5);
    // Each series measures the sample's true drift velocity (sign and size).
    for (const r of rs) {
      const v = r.trueUmPerS;
      expect(Math.hypot(v.xUm, v.yUm)).toBeCloseTo(DRIFT_UM_PER_MIN / 60, 6);
      expect(Math.hypot(r.measured.xUm - v.xUm, r.measured.yUm - v.yUm)).toBeLessThan(
        0.25 * Math.hypot(v.xUm, v.yUm),
      );
    }
  }
  const speed = DRIFT_UM_PER_MIN / 60;
  // Without correction the ROIs lag by the drift since they were found.
  expect(plain.some((r) => r.corrected)).toBe(false);
  for (const r of plain) expect(r.errorUm).toBeCloseTo(speed * r.lagS, 0);
  const plainWorst = Math.max(...plain.map((r) => r.errorUm));
  expect(plainWorst).toBeGreaterThan(2);
  // With it, every ROI after the first measured series is imaged within 0.5 µm of the truth.
  const after = corrected.filter((r) => r.corrected);
  expect(after.length).toBeGreaterThanOrEqual(3);
  for (const r of after) expect(r.errorUm).toBeLessThan(0.5);
}, 120_000);

it('with a turned, mirrored camera (stageOrientation) the correction follows the sample, not against it', async () => {
  const turned = await driftRun(true, {
    stageOrientation: { flipX: true, flipY: true, rotate90: true },
  });
  expect(turned.length).toBeGreaterThanOrEqual(5);
  for (const r of turned) {
    const v = r.trueUmPerS;
    expect(Math.hypot(r.measured.xUm - v.xUm, r.measured.yUm - v.yUm)).toBeLessThan(
      0.25 * Math.hypot(v.xUm, v.yUm),
    );
  }
  const after = turned.filter((r) => r.corrected);
  expect(after.length).toBeGreaterThanOrEqual(3);
  for (const r of after) expect(r.errorUm).toBeLessThan(0.5);
}, 120_000);
