/** ROI datasets opened ahead: how many, which ones a take uses, and that unused ones are removed. */
import { describe, expect, it } from 'vitest';
import type { JournalRoi } from '../../../../electron/automation/flimp/journal';
import { parseFlimpPlan } from '../../../../electron/automation/flimp/plan-schema';
import { OPEN_AHEAD, RoiDatasets } from '../../../../electron/automation/flimp/roi-datasets';
import { tempDir } from '../../../support/temp-dir';
import { fakeDeps, FakeScope, SIZE } from './fake-scope';
import { IDENTITY_ORIENTATION } from '../../../../electron/config/stage-orientation';

const plan = parseFlimpPlan({
  kind: 'flimp',
  name: 'test',
  scan: { centreUm: { xUm: 0, yUm: 0 }, columns: 1, rows: 1 },
  tileIllumination: { laserId: 'l488', powerMw: 1, exposureMs: 5 },
  maxRois: 5,
  roi: { programme: [{ laserId: 'l488', powerMw: 2, exposureMs: 10 }], maxFrames: 3 },
});

const roi = (id: number): JournalRoi => ({
  id,
  tile: 0,
  xUm: id,
  yUm: 0,
  xPx: 0,
  yPx: 0,
  areaPx: 25,
  meanIntensity: 1,
  score: 1,
});

function setup() {
  const fx = fakeDeps(new FakeScope([]), tempDir('aquila-roi-datasets-'));
  const fov = { widthPx: SIZE, heightPx: SIZE, pixelUm: 1, orientation: IDENTITY_ORIENTATION };
  return { ...fx, sets: new RoiDatasets(fx.deps, plan, 'run', fov, null) };
}

const names = (ds: { spec: { name: string } }[]) => ds.map((d) => d.spec.name);

describe('RoiDatasets', () => {
  it(`keeps the next ${OPEN_AHEAD} ROIs' datasets opening, and a take uses the one opened for it`, async () => {
    const s = setup();
    s.sets.openAhead([roi(0), roi(1), roi(2)]);
    await Promise.resolve();
    expect(names(s.datasets)).toEqual(['run-roi-000', 'run-roi-001']);
    const d0 = await s.sets.take(roi(0));
    expect(d0.dir).toBe(s.datasets[0]!.dir);
    s.sets.openAhead([roi(1), roi(2), roi(3)]);
    await Promise.resolve();
    expect(names(s.datasets)).toEqual(['run-roi-000', 'run-roi-001', 'run-roi-002']);
    expect((await s.sets.take(roi(1))).dir).toBe(s.datasets[1]!.dir);
    expect(s.discarded).toEqual([]);
  });

  it('removes the datasets opened for ROIs passed over, and all of them at the end', async () => {
    const s = setup();
    s.sets.openAhead([roi(0), roi(1)]);
    const d1 = await s.sets.take(roi(1));
    expect(s.discarded).toEqual(['run-roi-000']);
    expect(d1.dir).toContain('run-roi-001');
    s.sets.openAhead([roi(2), roi(3)]);
    const d4 = await s.sets.take(roi(4)); // not opened ahead: both removed, a new one opened
    expect(s.discarded).toEqual(['run-roi-000', 'run-roi-002', 'run-roi-003']);
    expect(d4.dir).toContain('run-roi-004');
    s.sets.openAhead([roi(5)]);
    await s.sets.dropAhead();
    expect(s.discarded).toContain('run-roi-005');
    expect(names(s.datasets)).toEqual(['run-roi-001', 'run-roi-004']);
  });
});
