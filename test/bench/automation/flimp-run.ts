/**
 * FLImP-run benchmark section: a 20-ROI unattended run on the simulated microscope (in
 * process, sparse cells, 512² camera, datasets to a temp folder) — wall time of the whole
 * run against the sum of its exposures (tiles and ROI frames: the ideal, what the camera
 * must spend), and against exposures + the simulated camera's read-out (the camera-bound
 * ideal). Each ROI takes a fixed number of frames (stopFraction 0) so runs compare.
 * `benchFlimpRun` is called by the automation bench harness;
 * alone: npx tsx test/bench/automation/flimp-run.ts [--rois=N] [--frames=N] [--exposure-ms=N]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../../electron/config/load';
import { createHost } from '../../../electron/host/host';
import { silentLogger } from '../../../electron/host/logger';
import { readJournal } from '../../../electron/automation/flimp/journal';
import type { FlimpReport } from '../../../electron/automation/flimp/report';
import { SimWorld } from '../../../drivers/sim/world';
import { startStepTrace, stopStepTrace } from '../../../electron/automation/flimp/step-trace';
import { bareExposures } from './flimp/bare-exposures';
import { stepBreakdown } from './flimp/step-breakdown';

export interface FlimpRunBenchOptions {
  rois?: number;
  framesPerRoi?: number;
  exposureMs?: number;
}

export interface FlimpRunBenchResult {
  section: 'flimp-run';
  lines: string[];
  figures: {
    rois: number;
    frames: number;
    wallS: number;
    exposureS: number;
    readoutS: number;
    overheadPct: number;
    overheadVsCameraPct: number;
    tiles: number;
    cpuS: number;
    baselineS: number;
    overheadVsBaselinePct: number;
  };
  goalMet: boolean;
}

const GOAL_PCT = 25;
const READOUT_MS = 10;
const TILE_EXPOSURE_MS = 20;

export async function benchFlimpRun(o: FlimpRunBenchOptions = {}): Promise<FlimpRunBenchResult> {
  const rois = o.rois ?? 20;
  const frames = o.framesPerRoi ?? 20;
  const exposureMs = o.exposureMs ?? 50;
  const root = mkdtempSync(path.join(os.tmpdir(), 'aquila-bench-flimp-'));
  const config = {
    name: 'bench',
    devices: [
      { id: 'stage', kind: 'xy-stage', driver: 'sim', options: { speedUmPerS: 20_000 } },
      { id: 'focus', kind: 'z-drive', driver: 'sim', options: { speedUmPerS: 5_000 } },
      {
        id: 'laser488',
        kind: 'laser',
        driver: 'sim',
        options: { wavelengthNm: 488, maxPowerMw: 150 },
      },
      {
        id: 'camera',
        kind: 'camera',
        driver: 'sim',
        options: {
          widthPx: 512,
          heightPx: 512,
          pixelSizeUm: 0.2,
          readoutMs: READOUT_MS,
          overlap: true,
        },
      },
    ],
    limits: {
      xUm: { min: -5000, max: 5000 },
      yUm: { min: -5000, max: 5000 },
      zUm: { min: -50, max: 50 },
    },
    storage: { datasetsRoot: root },
    sim: {
      seed: 5,
      cellCount: 400,
      slideHalfWidthUm: 800,
      sample: 'sparse-cells',
      coverslip: { tiltXUmPerMm: 0, tiltYUmPerMm: 0, curvatureUmPerMm2: 0, offsetUm: 0 },
      drift: { zUmPerMin: 0, zStepProbPerMin: 0, zStepUm: 0, xyUmPerMin: 0 },
    },
  };
  const parsed = parseConfig(JSON.stringify(config), 'bench');
  // Ground truth only to place the scan over the densest corner of the sample.
  const truth = new SimWorld(parsed.sim).truth;
  const cells = truth.cellsIn({ xUm: -800, yUm: -800, widthUm: 1600, heightUm: 1600 });
  const centre = cells.reduce(
    (best, c) => {
      const n = cells.filter((d) => Math.hypot(d.xUm - c.xUm, d.yUm - c.yUm) < 250).length;
      return n > best.n ? { c, n } : best;
    },
    { c: cells[0]!, n: 0 },
  ).c;
  const host = await createHost({ path: 'bench', config: parsed }, { log: silentLogger });
  try {
    const plan = {
      kind: 'flimp',
      name: 'bench',
      scan: { centreUm: { xUm: centre.xUm, yUm: centre.yUm }, columns: 6, rows: 6, overlap: 0.05 },
      tileIllumination: { laserId: 'laser488', powerMw: 20, exposureMs: TILE_EXPOSURE_MS },
      rois: { backgroundRadiusPx: 160, minAreaPx: 150, minMeanIntensity: 20, edgeMarginPx: 4 },
      duplicateWithinUm: 8,
      maxRois: rois,
      roi: {
        programme: [{ laserId: 'laser488', powerMw: 100, exposureMs }],
        stopFraction: 0,
        minFrames: frames,
        maxFrames: frames,
      },
    };
    startStepTrace();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const started = await host.call(
      'automation.start',
      { plan, name: 'bench' },
      { clientId: 'bench', transport: 'internal' },
    );
    if (!started.ok) throw new Error(`automation.start: ${started.error.message}`);
    await host.automation.whenIdle();
    const wallS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const spans = stopStepTrace();
    const v = host.store.state.automation!;
    if (v.phase !== 'finished')
      throw new Error(`bench run ${v.phase}: ${v.failure?.message ?? ''}`);
    const report = JSON.parse(readFileSync(path.join(v.dir, 'report.json'), 'utf8')) as FlimpReport;
    const tiles = report.tiles.length;
    const roiFrames = report.rois.reduce((n, r) => n + r.frames, 0);
    const exposureS = (report.exposureMsTotal + tiles * TILE_EXPOSURE_MS) / 1000;
    const readoutS = ((roiFrames + tiles) * READOUT_MS) / 1000;
    const overheadPct = (wallS / exposureS - 1) * 100;
    const overheadVsCameraPct = (wallS / (exposureS + readoutS) - 1) * 100;
    // Overlap mode reads out while the next exposure runs: one read-out per series remains.
    const streamedS = exposureS + ((report.counts.imaged + tiles) * READOUT_MS) / 1000;
    // Where the wall time went, from the journal: up to the first ROI (first tiles, worker
    // threads starting) and from there to the end (ROIs, later tiles, teardown).
    const records = await readJournal(v.dir);
    const at = (t: string) => records.find((r) => r.t === t)?.atMs ?? NaN;
    const firstRoiS = (at('roi-start') - at('start')) / 1000;
    const imagingS = (at('end') - at('roi-start')) / 1000;
    const roiExposureS = report.exposureMsTotal / 1000;
    const cam = host.devices.camera;
    if (!cam) throw new Error('bench config has no camera');
    const bare = await bareExposures(cam, {
      tiles,
      tileExposureMs: TILE_EXPOSURE_MS,
      series: report.counts.imaged,
      frames,
      exposureMs,
    });
    const baselineS = bare.wallMs / 1000;
    const overheadVsBaselinePct = (wallS / baselineS - 1) * 100;
    const lines = [
      `FLImP run: ${report.counts.imaged} ROIs × ${frames} frames × ${exposureMs} ms, ${tiles} tiles (512², sim camera in overlap mode)`,
      `  wall ${wallS.toFixed(2)} s vs exposures ${exposureS.toFixed(2)} s: ratio ${(wallS / exposureS).toFixed(3)} (overhead ${overheadPct.toFixed(1)} %, goal ≤ ${GOAL_PCT} %)`,
      `  for reference: exposures + sim read-out (${READOUT_MS} ms/frame) ${(exposureS + readoutS).toFixed(2)} s: overhead ${overheadVsCameraPct.toFixed(1)} %; overlapped read-out (one per series) ${streamedS.toFixed(2)} s: overhead ${((wallS / streamedS - 1) * 100).toFixed(1)} %`,
      `  vs the same exposures bare through the same camera, same process (${baselineS.toFixed(2)} s, ${(bare.cpuMs / 1000).toFixed(2)} s CPU): ratio ${(wallS / baselineS).toFixed(3)} (overhead ${overheadVsBaselinePct.toFixed(1)} %); run CPU ${cpuS.toFixed(2)} s (all threads)`,
      `  breakdown: ${firstRoiS.toFixed(2)} s to the first ROI (${tiles} tiles in the run, ${((tiles * TILE_EXPOSURE_MS) / 1000).toFixed(2)} s of tile exposures), ${imagingS.toFixed(2)} s from there to the end (ROI exposures ${roiExposureS.toFixed(2)} s), ${(wallS - firstRoiS - imagingS).toFixed(2)} s outside the run (host call, report)`,
      '  per step (traced; bg = overlaps the next ROI):',
      ...stepBreakdown(spans, report.counts.imaged),
    ];
    return {
      section: 'flimp-run',
      lines,
      figures: {
        rois: report.counts.imaged,
        frames: roiFrames,
        wallS,
        exposureS,
        readoutS,
        overheadPct,
        overheadVsCameraPct,
        tiles,
        cpuS,
        baselineS,
        overheadVsBaselinePct,
      },
      goalMet: report.counts.imaged === rois && overheadPct <= GOAL_PCT,
    };
  } finally {
    stopStepTrace();
    await host.shutdown('bench end');
    rmSync(root, { recursive: true, force: true });
  }
}

/** The harness entry (test/bench/automation.ts). */
export const run = (): Promise<FlimpRunBenchResult> => benchFlimpRun();

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const a = process.argv.find((x) => x.startsWith(`--${name}=`));
    return a ? Number(a.split('=')[1]) : undefined;
  };
  const opts: FlimpRunBenchOptions = {};
  const r = arg('rois');
  const f = arg('frames');
  const e = arg('exposure-ms');
  if (r !== undefined) opts.rois = r;
  if (f !== undefined) opts.framesPerRoi = f;
  if (e !== undefined) opts.exposureMs = e;
  const result = await benchFlimpRun(opts);
  for (const l of result.lines) console.log(l);
  console.log(result.goalMet ? 'goal met' : 'goal NOT met');
}
