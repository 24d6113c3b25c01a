/** Plans checked against the instrument before Start: envelope, channels, devices. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../electron/config/load';
import { checkPlan, formatProblems } from '../../../electron/plans/check';
import { parsePlan } from '../../../electron/plans/load';
import { smallSimConfig } from '../../support/host-fixture';

const limits = {
  xUm: { min: -1000, max: 1000 },
  yUm: { min: -1000, max: 1000 },
  zUm: { min: -200, max: 200 },
};
const config = (overrides: Record<string, unknown> = {}) =>
  parseConfig(JSON.stringify(smallSimConfig({ limits, ...overrides })), 'test');
const check = (plan: object, cfg = config()) => checkPlan(parsePlan(JSON.stringify(plan)), cfg);

describe('checkPlan', () => {
  it('a plan inside the envelope with known channels has no problem and is prepared', () => {
    const r = check({ channels: ['GFP'], z_plan: { range: 100, step: 50 } });
    expect(r.problems).toEqual([]);
    expect(r.prepared?.events).toHaveLength(3);
  });

  it('names z_plan.range with the worst z and the limit in words', () => {
    const r = check({ channels: ['GFP'], z_plan: { range: 1000, step: 100 } });
    expect(r.problems).toEqual([
      {
        severity: 'error',
        path: 'z_plan.range',
        message: 'z -500 µm is below the lower limit of -200 µm (3 events outside)',
      },
      {
        severity: 'error',
        path: 'z_plan.range',
        message:
          'z 500 µm is above the upper limit of 200 µm (protects the objective) (3 events outside)',
      },
    ]);
  });

  it('z plan offsets count from the position: a relative stack around z=150 leaves at the top', () => {
    const r = check({
      channels: ['GFP'],
      stage_positions: [{ x: 0, y: 0, z: 150 }],
      z_plan: { range: 200, step: 50 },
    });
    expect(r.problems).toEqual([
      {
        severity: 'error',
        path: 'z_plan.range',
        message: 'z 250 µm is above the upper limit of 200 µm (protects the objective)',
      },
    ]);
  });

  it('names the stage position whose own x or z is outside', () => {
    const r = check({
      channels: ['GFP'],
      stage_positions: [
        { x: 0, y: 0, z: 0 },
        { x: 0, y: 0, z: 0 },
        { x: 0, y: 0, z: 0 },
        { x: 1500, y: 0, z: 500 },
      ],
    });
    expect(formatProblems(r.problems)).toEqual([
      'stage_positions[3].x: x 1500 µm is above the upper limit of 1000 µm',
      'stage_positions[3].z: z 500 µm is above the upper limit of 200 µm (protects the objective)',
    ]);
  });

  it('flags an unknown channel as an error and a plan without channels as dark frames', () => {
    const unknown = check({ channels: ['GFP', 'FITC'] });
    expect(unknown.problems).toEqual([
      {
        severity: 'error',
        path: 'channels[1].config',
        message: '"FITC" is not a channel preset of this config (have: GFP)',
      },
    ]);
    expect(unknown.prepared).toBeNull();
    const dark = check({ time_plan: { interval: 1, loops: 9 } });
    expect(dark.problems).toEqual([
      {
        severity: 'warning',
        path: 'channels',
        message: '9 frames without a channel: taken with every laser off (dark frames)',
      },
    ]);
    expect(dark.prepared).not.toBeNull();
  });

  it('needs a camera, and a focus drive for a z plan', () => {
    const cfg = config({
      devices: smallSimConfig().devices.filter((d) => d.kind !== 'camera' && d.kind !== 'z-drive'),
    });
    expect(
      formatProblems(check({ channels: ['GFP'], z_plan: { range: 10, step: 5 } }, cfg).problems),
    ).toEqual([
      '(top level): this instrument has no camera: nothing can be imaged',
      'z_plan: the plan moves in Z but this instrument has no focus (Z) drive',
    ]);
  });
});
