import { describe, expect, it } from 'vitest';
import {
  addPositionDrafts,
  buildPlan,
  datasetNameError,
  emptyPlanForm,
  nextPositionName,
  syncPresets,
  type PlanForm,
} from '../../../renderer/ui/plan-builder';

function form(edit: (f: PlanForm) => void): PlanForm {
  const f = emptyPlanForm(['DAPI', 'GFP']);
  f.channels[1]!.enabled = true;
  edit(f);
  return f;
}

describe('buildPlan', () => {
  it('one channel, nothing else: only axis_order and channels', () => {
    expect(buildPlan(form(() => undefined))).toEqual({
      ok: true,
      plan: { axis_order: 'tpgcz', channels: [{ config: 'GFP' }] },
    });
  });

  it('channels keep preset order; an exposure override is a number', () => {
    const r = buildPlan(
      form((f) => {
        f.channels[0]!.enabled = true;
        f.channels[0]!.exposureMs = ' 12.5 ';
      }),
    );
    expect(r).toEqual({
      ok: true,
      plan: {
        axis_order: 'tpgcz',
        channels: [{ config: 'DAPI', exposure: 12.5 }, { config: 'GFP' }],
      },
    });
  });

  it('z range around focus → ZRangeAround; top/bottom → ZTopBottom', () => {
    const around = buildPlan(
      form((f) => {
        f.z = { ...f.z, mode: 'range', rangeUm: '4', stepUm: '0.5' };
      }),
    );
    expect(around.ok && around.plan.z_plan).toEqual({ range: 4, step: 0.5 });
    const edges = buildPlan(
      form((f) => {
        f.z = { ...f.z, mode: 'top-bottom', topUm: '12', bottomUm: '-3', stepUm: '1.5' };
      }),
    );
    expect(edges.ok && edges.plan.z_plan).toEqual({ top: 12, bottom: -3, step: 1.5 });
  });

  it('time-lapse → TIntervalLoops in seconds; off → no time_plan', () => {
    const on = buildPlan(form((f) => (f.time = { enabled: true, loops: '12', intervalS: '10' })));
    expect(on.ok && on.plan.time_plan).toEqual({ interval: 10, loops: 12 });
    const off = buildPlan(form((f) => (f.time = { enabled: false, loops: '12', intervalS: '10' })));
    expect(off.ok && 'time_plan' in off.plan).toBe(false);
  });

  it('positions → stage_positions with x, y, z (when known) and name', () => {
    const r = buildPlan(
      form((f) => {
        f.positions = [
          { name: 'pos1', xUm: 100, yUm: -50, zUm: 2 },
          { name: 'pos2', xUm: -300.25, yUm: 250, zUm: null },
        ];
      }),
    );
    expect(r.ok && r.plan.stage_positions).toEqual([
      { x: 100, y: -50, z: 2, name: 'pos1' },
      { x: -300.25, y: 250, name: 'pos2' },
    ]);
  });

  it('grid → GridRowsColumns with overlap in %', () => {
    const r = buildPlan(
      form((f) => (f.grid = { enabled: true, rows: '2', columns: '3', overlapPct: '10' })),
    );
    expect(r.ok && r.plan.grid_plan).toEqual({ rows: 2, columns: 3, overlap: 10 });
  });

  it('every option at once: the exact MDASequence JSON', () => {
    const r = buildPlan(
      form((f) => {
        f.channels[1]!.exposureMs = '20';
        f.z = { ...f.z, mode: 'range', rangeUm: '2', stepUm: '1' };
        f.time = { enabled: true, loops: '2', intervalS: '0' };
        f.positions = [{ name: 'A1', xUm: 1, yUm: 2, zUm: 3 }];
        f.grid = { enabled: true, rows: '1', columns: '2', overlapPct: '0' };
      }),
    );
    expect(r).toEqual({
      ok: true,
      plan: {
        axis_order: 'tpgcz',
        channels: [{ config: 'GFP', exposure: 20 }],
        z_plan: { range: 2, step: 1 },
        time_plan: { interval: 0, loops: 2 },
        stage_positions: [{ x: 1, y: 2, z: 3, name: 'A1' }],
        grid_plan: { rows: 1, columns: 2, overlap: 0 },
      },
    });
  });

  it('reports every bad field by name', () => {
    const r = buildPlan(
      form((f) => {
        f.channels[1]!.enabled = false;
        f.channels[0]!.exposureMs = 'fast';
        f.z = { ...f.z, mode: 'range', rangeUm: '-1', stepUm: '0' };
        f.time = { enabled: true, loops: '2.5', intervalS: '-1' };
        f.grid = { enabled: true, rows: '0', columns: 'x', overlapPct: '100' };
      }),
    );
    expect(r).toEqual({
      ok: false,
      errors: [
        'channels: choose at least one channel',
        'z range: -1 µm is below the minimum of 0 µm',
        'z step: must be more than 0 µm',
        'time interval: -1 s is below the minimum of 0 s',
        'time points: 2.5 is not a whole number',
        'grid rows: 0 is below the minimum of 1',
        'grid columns: "x" is not a number',
        'grid overlap: 100 must be below 100 %',
      ],
    });
  });

  it('checks a disabled channel’s exposure only when the channel is chosen', () => {
    const r = buildPlan(
      form((f) => {
        f.channels[0]!.exposureMs = 'fast';
        f.channels[0]!.enabled = true;
      }),
    );
    expect(r).toEqual({ ok: false, errors: ['DAPI exposure: "fast" is not a number'] });
  });
});

describe('form helpers', () => {
  it('syncPresets adds new presets and keeps choices', () => {
    const f = emptyPlanForm(['GFP']);
    f.channels[0]!.enabled = true;
    const g = syncPresets(f, ['GFP', 'mCherry']);
    expect(g.channels).toEqual([
      { name: 'GFP', enabled: true, exposureMs: '' },
      { name: 'mCherry', enabled: false, exposureMs: '' },
    ]);
    expect(syncPresets(g, ['GFP'])).toBe(g);
  });

  it('datasetNameError follows the host rule', () => {
    expect(datasetNameError('')).toBeNull();
    expect(datasetNameError('run_01.a-b')).toBeNull();
    expect(datasetNameError('my run')).toBe(
      'dataset name: " " is not allowed (letters, digits, ".", "-", "_")',
    );
    expect(datasetNameError('x'.repeat(129))).toBe('dataset name: 129 characters, at most 128');
    // Issue #18 §8: a name already in the datasets folder is caught in the form.
    expect(datasetNameError('zstack', ['a', 'zstack'])).toBe(
      'dataset name: "zstack" is already taken in the datasets folder; choose another',
    );
    expect(datasetNameError('zstack2', ['a', 'zstack'])).toBeNull();
  });

  it('nextPositionName skips names in use', () => {
    expect(nextPositionName([])).toBe('pos1');
    const p = { xUm: 0, yUm: 0, zUm: null };
    expect(nextPositionName([{ ...p, name: 'pos2' }])).toBe('pos3');
    expect(nextPositionName([{ ...p, name: 'a' }])).toBe('pos2');
  });

  it('addPositionDrafts appends positions without z, renaming names already used', () => {
    const f = form((x) => {
      x.positions = [{ name: 'roi1', xUm: 1, yUm: 2, zUm: 3 }];
    });
    const out = addPositionDrafts(f, [
      { name: 'roi1', xUm: 10, yUm: 20 },
      { name: 'roi4', xUm: -5, yUm: 0 },
      { name: 'roi1', xUm: 7, yUm: 7 },
    ]);
    expect(out.positions).toEqual([
      { name: 'roi1', xUm: 1, yUm: 2, zUm: 3 },
      { name: 'roi1-2', xUm: 10, yUm: 20, zUm: null },
      { name: 'roi4', xUm: -5, yUm: 0, zUm: null },
      { name: 'roi1-3', xUm: 7, yUm: 7, zUm: null },
    ]);
    expect(f.positions).toHaveLength(1); // the form given is not changed
    const built = buildPlan(out);
    expect(built.ok && built.plan.stage_positions).toEqual([
      { name: 'roi1', x: 1, y: 2, z: 3 },
      { name: 'roi1-2', x: 10, y: 20 },
      { name: 'roi4', x: -5, y: 0 },
      { name: 'roi1-3', x: 7, y: 7 },
    ]);
  });
});
