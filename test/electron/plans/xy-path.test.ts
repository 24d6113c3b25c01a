import { describe, expect, it } from 'vitest';
import { expandSequence } from '../../../electron/plans/expand';
import { parsePlan } from '../../../electron/plans/load';
import { planXyPath } from '../../../electron/plans/xy-path';

const expand = (plan: object) =>
  expandSequence(parsePlan(JSON.stringify(plan), 'plan'), {
    fovUm: { widthUm: 100, heightUm: 100 },
  });

describe('plan XY path', () => {
  it('one visit per position in run order, channels and z-planes at a position counted once', () => {
    const path = planXyPath(
      expand({
        stage_positions: [
          { x: 10, y: 20, name: 'a' },
          { x: -5, y: 7 },
        ],
        channels: [{ config: 'GFP' }, { config: 'RFP' }],
        z_plan: { range: 2, step: 1 },
      }),
    );
    expect(path).toEqual([
      { order: 0, xUm: 10, yUm: 20, name: 'a', eventIndex: 0 },
      { order: 1, xUm: -5, yUm: 7, eventIndex: 6 },
    ]);
  });

  it('a grid expands into its tiles with the grid order; time loops revisit', () => {
    const path = planXyPath(
      expand({
        axis_order: 'tpgcz',
        stage_positions: [{ x: 0, y: 0 }],
        grid_plan: { rows: 2, columns: 2, overlap: 0 },
        time_plan: { interval: 0, loops: 2 },
      }),
    );
    expect(path).toHaveLength(8);
    expect(new Set(path.slice(0, 4).map((p) => `${p.xUm},${p.yUm}`)).size).toBe(4);
    expect(path.slice(4).map((p) => [p.xUm, p.yUm])).toEqual(
      path.slice(0, 4).map((p) => [p.xUm, p.yUm]),
    );
    expect(Math.abs(path[0]!.xUm - path[1]!.xUm) + Math.abs(path[0]!.yUm - path[1]!.yUm)).toBe(100);
  });

  it('a plan without positions has no path', () => {
    expect(planXyPath(expand({ channels: [{ config: 'GFP' }] }))).toEqual([]);
  });
});
