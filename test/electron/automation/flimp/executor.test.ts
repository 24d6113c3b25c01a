/** The FLImP executor on a fake microscope: tiles, ROIs, stop rule, journal, resume, pause, failures. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EstopLatchedError, AquilaError } from '../../../../drivers/errors';
import { FlimpRun } from '../../../../electron/automation/flimp/executor';
import { journalState, readJournal } from '../../../../electron/automation/flimp/journal';
import {
  parseFlimpPlan,
  type FlimpPlanInput,
} from '../../../../electron/automation/flimp/plan-schema';
import { tempDir } from '../../../support/temp-dir';
import { until } from '../../../support/wait';
import type { RoiEnd } from '../../../../electron/automation/flimp/run-view';
import { fakeDeps, FakeScope } from './fake-scope';

// Two tiles (64 µm fields, 10 % overlap: centres at x = ∓28.8); the cell at (0, 0) is in both.
const CELLS = [
  { xUm: -40, yUm: -10 },
  { xUm: -20, yUm: 15 },
  { xUm: -50, yUm: 20 },
  { xUm: 0, yUm: 0 },
  { xUm: 30, yUm: -20 },
  { xUm: 45, yUm: 10 },
];

function plan(over: Partial<FlimpPlanInput> = {}): FlimpPlanInput {
  return {
    kind: 'flimp',
    name: 'test',
    scan: { centreUm: { xUm: 0, yUm: 0 }, columns: 2, rows: 1, overlap: 0.1 },
    tileIllumination: { laserId: 'l488', powerMw: 1, exposureMs: 5 },
    maxRois: 5,
    rois: { minAreaPx: 10 },
    roi: {
      programme: [{ laserId: 'l561', powerMw: 2, exposureMs: 10, name: 'red' }],
      stopFraction: 0.2,
      maxFrames: 50,
    },
    uploadTarget: 'archive',
    ...over,
  };
}

function setup(p: FlimpPlanInput = plan()) {
  const root = tempDir('aquila-flimp-');
  const runDir = path.join(root, 'run');
  mkdirSync(runDir);
  const scope = new FakeScope(CELLS);
  const fx = fakeDeps(scope, root);
  const parsed = parseFlimpPlan(p);
  const make = (resume: ReturnType<typeof journalState> | null = null) =>
    new FlimpRun(fx.deps, { name: 'test', runDir, plan: parsed, planJson: p, resume });
  return { root, runDir, scope, ...fx, make };
}

describe('FlimpRun', () => {
  it('scans tiles, images up to maxRois ROIs until bleached, drops overlap duplicates, journals and reports', async () => {
    const s = setup();
    const view = await s.make().run();
    expect(view.phase).toBe('finished');
    expect(view.failure).toBeNull();
    // Tile 0 finds 4 cells (one in the overlap); tile 1 finds that one again plus 2 new.
    expect(view.found).toBe(6);
    expect(view.imaged).toBe(5);
    expect(view.skipped).toBe(1);
    expect(view.rois.find((r) => r.state === 'skipped')!.reason).toMatch(/maxRois/);
    // Each imaged ROI: 1000 → ×0.7 per frame; below 20 % after 6 frames.
    expect(s.datasets).toHaveLength(5);
    for (const d of s.datasets) {
      expect(d.frames.map((f) => f.t)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(d.frames.every((f) => f.channel === 'red')).toBe(true);
      expect(d.end).toEqual({ outcome: 'complete' });
      expect(d.spec).toMatchObject({ timePoints: 50, widthPx: 64, heightPx: 64 });
    }
    expect(s.uploads.map((u) => u.target)).toEqual(Array(5).fill('archive'));
    // Each next ROI's dataset was opened ahead and used; none beyond maxRois.
    expect(s.discarded).toEqual([]);
    // Every imaged cell was centred: it bleached 6 times (plus at most the tile snap).
    const imagedCells = s.scope.exposuresOn.filter((n) => n >= 6);
    expect(imagedCells).toHaveLength(5);
    expect(s.scope.anyLaserOn()).toBe(false);
    expect(s.scope.log.at(-1)).toBe('lasersOff');
    expect(s.scope.log).toContain('restore');

    const st = journalState(await readJournal(s.runDir));
    expect(st.tiles.size).toBe(2);
    expect([...st.finished.values()].filter((r) => r.outcome === 'imaged')).toHaveLength(5);
    expect(st.ended?.phase).toBe('finished');
    const report = JSON.parse(readFileSync(path.join(s.runDir, 'report.json'), 'utf8'));
    expect(report.counts).toEqual({ tiles: 2, found: 6, imaged: 5, skipped: 1, interrupted: 0 });
    expect(report.tiles[1].duplicates).toBe(1);
    expect(report.exposureMsTotal).toBe(5 * 6 * 10);
    expect(report.runMs).toBeGreaterThan(0);
    const r0 = report.rois[0];
    expect(r0.frames).toBe(6);
    expect(r0.finalFraction).toBeCloseTo(0.7 ** 5, 2);
    expect(r0.driftNm).toBeCloseTo(500, 6); // 0.5 px × 1 µm
    const html = readFileSync(path.join(s.runDir, 'report.html'), 'utf8');
    expect(html).toContain('data:image/png;base64,');
    expect(html).toContain('<svg');
    expect(html).toMatch(/maxRois/);
    expect(existsSync(path.join(s.runDir, 'thumbs', 'tile-001.png'))).toBe(true);
  });

  it('resumes from the journal: scanned tiles keep their ROIs, finished ROIs are not imaged again', async () => {
    const s = setup();
    const first = s.make();
    // Cancel during ROI 2 (2 tile snaps — both tiles are scanned ahead for a budget of 5 —
    // + 2 ROIs × 6 frames + 2 frames of the third).
    s.scope.onAcquire = (n) => {
      if (n === 2 + 12 + 2) first.control.cancel();
    };
    const v1 = await first.run();
    expect(v1.phase).toBe('cancelled');
    expect(v1.imaged).toBe(2);
    expect(s.datasets[2]!.end?.outcome).toBe('cancelled');
    // ROIs 3 and 4's datasets, opened ahead, were removed unused.
    expect(s.discarded).toEqual(['test-roi-003', 'test-roi-004']);
    expect(existsSync(path.join(s.root, 'test-roi-003'))).toBe(false);
    expect(existsSync(path.join(s.root, 'test-roi-004'))).toBe(false);
    expect(s.scope.anyLaserOn()).toBe(false);
    const interrupted = JSON.parse(readFileSync(path.join(s.runDir, 'report.json'), 'utf8'));
    expect(interrupted.counts).toMatchObject({ imaged: 2, interrupted: 1 });

    s.scope.onAcquire = () => undefined;
    const findsBefore = s.findCalls.length;
    const datasetsBefore = s.datasets.length;
    const v2 = await s.make(journalState(await readJournal(s.runDir))).run();
    expect(v2.phase).toBe('finished');
    expect(v2.imaged).toBe(5);
    // No tile was scanned again; ROIs 0 and 1 got no new dataset; ROI 2 a second attempt.
    expect(s.findCalls.length - findsBefore).toBe(0);
    const again = s.datasets.slice(datasetsBefore).map((d) => path.basename(d.dir));
    expect(again).toEqual(['test-roi-002-a2', 'test-roi-003', 'test-roi-004']);
    const report = JSON.parse(readFileSync(path.join(s.runDir, 'report.json'), 'utf8'));
    expect(report.resumes).toBe(1);
    expect(report.counts).toMatchObject({ imaged: 5, interrupted: 0 });
  });

  it('publishes the ROI being imaged while the previous one closes', async () => {
    const s = setup(plan({ maxRois: 3 }));
    const run = s.make();
    const seen: (number | null)[] = [];
    run.subscribe((v) => {
      if (v.phase === 'imaging' && seen.at(-1) !== v.currentRoi) seen.push(v.currentRoi);
    });
    // Closing ROI 0's dataset takes a while: ROI 1 starts meanwhile.
    s.deps.openDataset = ((open) => async (spec) => {
      const ds = await open(spec);
      return {
        ...ds,
        close: async (end) => {
          await new Promise((r) => setTimeout(r, 50));
          return ds.close(end);
        },
      };
    })(s.deps.openDataset);
    const v = await run.run();
    expect(v.imaged).toBe(3);
    expect(seen.slice(0, 3)).toEqual([0, 1, 2]); // then null once the last one has closed
  });

  it('images ROIs at their tile position when the plan does not centre them', async () => {
    const s = setup(plan({ roi: { ...plan().roi!, centre: false, minFrames: 2, maxFrames: 2 } }));
    const v = await s.make().run();
    expect(v.imaged).toBe(5);
    const tileX = [-28.8, 28.8];
    for (const d of s.datasets) {
      const roi = v.rois.find((r) => r.dataset === d.dir)!;
      for (const f of d.frames) {
        expect(f.xUm).toBeCloseTo(tileX[roi.tile]!, 6);
        expect(f.yUm).toBeCloseTo(0, 6);
      }
    }
    // ROIs of both tiles: tile 1 was scanned last, so tile 0's ROIs needed the move back.
    expect(new Set(v.rois.filter((r) => r.state === 'imaged').map((r) => r.tile))).toEqual(
      new Set([0, 1]),
    );
  });

  it("images the first tile's ROIs while the next tile's ROIs are still being found, journaling tiles before their ROIs", async () => {
    const s = setup();
    const find = s.deps.analysis.findRois;
    let calls = 0;
    let releaseTile1!: () => void;
    const tile1Held = new Promise<void>((r) => (releaseTile1 = r));
    s.deps.analysis.findRois = async (...args) => {
      const call = calls++;
      const found = await find(...args);
      if (call === 1) await tile1Held; // tile 1's ROI finding ends only when released
      return found;
    };
    let roiFramesBeforeTile1 = 0;
    let tile1Found = false;
    s.scope.onAcquire = () => {
      if (s.scope.activeLaser !== 'l561') return;
      if (!tile1Found) roiFramesBeforeTile1++;
      // Released once ROI 0 has exposed a few frames: the run went on without tile 1.
      if (roiFramesBeforeTile1 === 3 && !tile1Found) {
        tile1Found = true;
        releaseTile1();
      }
    };
    const v = await s.make().run();
    expect(v.phase).toBe('finished');
    expect(roiFramesBeforeTile1).toBe(3);
    expect(v.found).toBe(6);
    expect(v.imaged).toBe(5);
    const kinds = (await readJournal(s.runDir)).map((r) =>
      r.t === 'tile' ? `tile ${r.index}` : r.t === 'roi-start' ? `roi ${r.id}` : null,
    );
    const order = kinds.filter((k) => k !== null);
    // Tile 1's record comes before any of its ROIs (ids 4, 5 follow tile 0's 0–3).
    expect(order.indexOf('tile 1')).toBeLessThan(order.indexOf('roi 4'));
    expect(order.indexOf('tile 0')).toBeLessThan(order.indexOf('roi 0'));
  });

  it('drift correction: later ROIs are imaged at their position + the measured drift, bounded by maxStepUm', async () => {
    const run = async (
      confidence: number,
      driftCorrection?: { xy: boolean; maxStepUm: number },
    ) => {
      const s = setup(
        plan({
          roi: { ...plan().roi!, minFrames: 3, maxFrames: 3 },
          ...(driftCorrection ? { driftCorrection } : {}),
        }),
      );
      // Every series "measures" 40 px of +x drift within a few ms: far beyond the bound.
      s.deps.analysis.register = async () => ({ dxPx: 40, dyPx: 0, confidence });
      const v = await s.make().run();
      expect(v.imaged).toBe(5);
      const ends = (await readJournal(s.runDir)).filter(
        (r): r is RoiEnd => r.t === 'roi-end' && r.outcome === 'imaged',
      );
      const rows = ends.map((e) => {
        const roi = v.rois.find((r) => r.id === e.id)!;
        const frames = s.datasets.find((d) => d.dir === e.dataset)!.frames;
        return { e, roi, frames };
      });
      return Object.assign(rows, { runDir: s.runDir });
    };
    const corrected = await run(0.9, { xy: true, maxStepUm: 3 });
    for (const { e } of corrected) {
      expect(e.driftUm).toEqual({ xUm: 40, yUm: 0 }); // 40 px × 1 µm/px, sign kept
      expect(e.driftSpanMs).toBeGreaterThanOrEqual(0);
    }
    const moved = corrected.filter(({ e }) => e.correctionUm!.xUm !== 0);
    // The first ROI is imaged before any drift is known; the later ones are corrected.
    expect(corrected[0]!.e.correctionUm).toEqual({ xUm: 0, yUm: 0 });
    expect(moved.length).toBeGreaterThanOrEqual(3);
    const html = readFileSync(path.join(corrected.runDir, 'report.html'), 'utf8');
    expect(html).toContain('(40.00, 0.00) µm');
    expect(html).toContain('stage corrected by (3.00, 0.00) µm');
    for (const { e, roi, frames } of moved) {
      expect(e.correctionUm!.xUm).toBeCloseTo(3, 9);
      expect(e.correctionUm!.yUm).toBeCloseTo(0, 9);
      expect(e.stageUm).toEqual({ xUm: roi.xUm + e.correctionUm!.xUm, yUm: roi.yUm });
      for (const f of frames) expect(f.xUm).toBeCloseTo(roi.xUm + 3, 9);
    }
    // Untrusted registrations and plans without the option leave positions alone.
    for (const rs of [await run(0.1, { xy: true, maxStepUm: 3 }), await run(0.9)])
      for (const { e, roi, frames } of rs) {
        expect(e.correctionUm).toEqual({ xUm: 0, yUm: 0 });
        for (const f of frames) expect(f.xUm).toBeCloseTo(roi.xUm, 9);
      }
  });

  it('pauses at a frame boundary with lasers off and carries on after resume', async () => {
    const s = setup(plan({ maxRois: 1 }));
    const run = s.make();
    s.scope.onAcquire = (n) => {
      if (n === 3) run.control.pause();
    };
    const done = run.run();
    await until('paused', () => run.status().phase === 'paused', 5_000);
    expect(s.scope.anyLaserOn()).toBe(false);
    const framesAtPause = s.scope.acquisitions;
    await new Promise((r) => setTimeout(r, 50));
    expect(s.scope.acquisitions).toBe(framesAtPause);
    run.control.resume();
    const v = await done;
    expect(v.phase).toBe('finished');
    expect(s.datasets[0]!.frames).toHaveLength(6);
  });

  it('skips an ROI whose focus fails, with the reason, and goes on', async () => {
    const s = setup(plan({ roi: { ...plan().roi!, focus: { mode: 'software', rangeUm: 5 } } }));
    let calls = 0;
    s.deps.analysis.autofocus = async () => {
      if (calls++ === 1) throw new AquilaError('E_AUTOFOCUS', 'no focus found in ±5 µm');
      return { zUm: 0, startZUm: 0, images: 3, curve: [], peakScore: 1, noiseScore: 0 };
    };
    const v = await s.make().run();
    expect(v.phase).toBe('finished');
    const failed = v.rois.find((r) => r.id === 1)!;
    expect(failed).toMatchObject({ state: 'skipped', reason: 'no focus found in ±5 µm' });
    // Its dataset, opened ahead while ROI 0 exposed, was removed unused.
    expect(s.discarded).toEqual(['test-roi-001']);
    // A failed ROI counts towards maxRois: 4 imaged, 1 failed, 1 beyond the cap.
    expect(v.imaged).toBe(4);
    expect(v.skipped).toBe(2);
  });

  it('skips an ROI whose focus lock is lost while it is imaged, closing its dataset as failed', async () => {
    const s = setup(plan({ maxRois: 2, roi: { ...plan().roi!, focus: { mode: 'lock' } } }));
    let lost: string | null = null;
    s.deps.analysis.lockLost = () => lost;
    let roiFrames = 0; // frames under the ROI programme's line (l561), tile snaps use l488
    s.scope.onAcquire = () => {
      if (s.scope.activeLaser !== 'l561') return;
      roiFrames++;
      lost = roiFrames === 4 ? 'no signal (sensor blocked)' : null; // ROI 0's 4th frame
    };
    const v = await s.make().run();
    expect(v.phase).toBe('finished');
    expect(v.rois[0]).toMatchObject({
      state: 'skipped',
      reason: 'focus lock lost after 4 time points: no signal (sensor blocked)',
    });
    expect(s.datasets[0]!.end).toMatchObject({ outcome: 'failed' });
    expect(v.rois[1]!.state).toBe('imaged');
    expect(s.scope.anyLaserOn()).toBe(false);
  });

  it('fails at once on an e-stop: lasers off, no restore move, the report says why', async () => {
    const s = setup();
    s.scope.onAcquire = (n) => {
      if (n === 4) throw new EstopLatchedError();
    };
    const v = await s.make().run();
    expect(v.phase).toBe('failed');
    expect(v.failure?.message).toMatch(/Emergency stop/);
    expect(s.scope.anyLaserOn()).toBe(false);
    expect(s.scope.log).not.toContain('restore');
    expect(s.datasets).toHaveLength(1);
    expect(s.datasets[0]!.end?.outcome).toBe('failed');
    const report = JSON.parse(readFileSync(path.join(s.runDir, 'report.json'), 'utf8'));
    expect(report.phase).toBe('failed');
    expect(report.endReason).toMatch(/Emergency stop/);
  });

  it('rejects an invalid plan naming each bad field', () => {
    expect(() =>
      parseFlimpPlan({ ...plan(), maxRois: 0, roi: { programme: [], maxFrames: 5 } }),
    ).toThrow(/maxRois: .*\n.*roi\.programme/s);
  });
});
