/**
 * Golden event lists, derived by hand from useq-schema's iteration rules
 * (src/useq/_iter_sequence.py, _z.py, _time.py, _grid.py); see docs/plans.md.
 */
import { describe, expect, it } from 'vitest';
import { eventToJson } from '../../../electron/plans/events';
import { brief, briefs, events } from './helpers';

describe('expandSequence: order, positions, grid, z', () => {
  it("reproduces useq's documented example (tpgcz, grid around a position, relative z)", () => {
    const ev = events({
      axis_order: 'tpgcz',
      time_plan: { interval: 0.1, loops: 2 },
      stage_positions: [[1, 1, 1]],
      grid_plan: { rows: 2, columns: 2 },
      z_plan: { range: 3, step: 1 },
      channels: [{ config: 'DAPI', exposure: 1 }],
    });
    expect(ev).toHaveLength(32);
    const tile = (g: number, x: number, y: number) =>
      [-0.5, 0.5, 1.5, 2.5].map(
        (z, i) =>
          `t0 p0 g${g} c0 z${i} | DAPI exp=1 x=${x} y=${y} z=${z} @0${g === 0 && i === 0 ? ' R' : ''}`,
      );
    // row_wise_snake over 2×2 tiles of 1 µm (no FOV given), centred on (1, 1).
    expect(ev.slice(0, 16).map(brief)).toEqual([
      ...tile(0, 0.5, 1.5),
      ...tile(1, 1.5, 1.5),
      ...tile(2, 1.5, 0.5),
      ...tile(3, 0.5, 0.5),
    ]);
    expect(brief(ev[16]!)).toBe('t1 p0 g0 c0 z0 | DAPI exp=1 x=0.5 y=1.5 z=-0.5 @0.1');
    expect(eventToJson(ev[1]!)).toBe(
      '{"index":{"t":0,"p":0,"g":0,"c":0,"z":1},"channel":{"config":"DAPI","group":"Channel"},' +
        '"exposure":1,"min_start_time":0,"x_pos":0.5,"y_pos":1.5,"z_pos":0.5}',
    );
  });

  it('skips channels by acquire_every and do_stack=false (middle plane), adds z_offset', () => {
    expect(
      briefs({
        time_plan: { interval: 1, loops: 3 },
        channels: [
          { config: 'DAPI', acquire_every: 2 },
          { config: 'FITC', do_stack: false, z_offset: 0.5 },
        ],
        z_plan: { range: 2, step: 1 },
      }),
    ).toEqual([
      't0 c0 z0 | DAPI z=-1 @0 R',
      't0 c0 z1 | DAPI z=0 @0',
      't0 c0 z2 | DAPI z=1 @0',
      't0 c1 z1 | FITC z=0.5 @0',
      't1 c1 z1 | FITC z=0.5 @1',
      't2 c0 z0 | DAPI z=-1 @2',
      't2 c0 z1 | DAPI z=0 @2',
      't2 c0 z2 | DAPI z=1 @2',
      't2 c1 z1 | FITC z=0.5 @2',
    ]);
  });

  it("picks do_stack's middle plane by useq's num_positions, which can exceed the planes visited", () => {
    // range 4, step 3: visits [-2, 1]; num_positions = ceil(7/3) = 3, so the middle is index 1.
    expect(
      briefs({ channels: [{ config: 'A', do_stack: false }], z_plan: { range: 4, step: 3 } }),
    ).toEqual(['c0 z1 | A z=1']);
  });

  it('adds the position z to relative z plans only; go_up=false reverses', () => {
    const pos = [{ x: 1, y: 2, z: 100 }];
    expect(
      briefs({ stage_positions: pos, z_plan: { top: 2, bottom: 0, step: 1, go_up: false } }),
    ).toEqual(['p0 z0 | x=1 y=2 z=2', 'p0 z1 | x=1 y=2 z=1', 'p0 z2 | x=1 y=2 z=0']);
    expect(briefs({ stage_positions: pos, z_plan: { relative: [-1, 1] } })).toEqual([
      'p0 z0 | x=1 y=2 z=99',
      'p0 z1 | x=1 y=2 z=101',
    ]);
    expect(briefs({ z_plan: { above: 1, below: 2, step: 1 } })).toEqual([
      'z0 | z=-2',
      'z1 | z=-1',
      'z2 | z=0',
      'z3 | z=1',
    ]);
    expect(briefs({ z_plan: { absolute: [5, 7], go_up: false } })).toEqual([
      'z0 | z=7',
      'z1 | z=5',
    ]);
  });

  it('follows axis_order (last axis fastest) while index keys stay in t,p,g,c,z order', () => {
    const ev = events({ axis_order: 'tpzc', channels: ['A', 'B'], z_plan: { relative: [-1, 1] } });
    expect(ev.map(brief)).toEqual([
      'c0 z0 | A z=-1',
      'c1 z0 | B z=-1',
      'c0 z1 | A z=1',
      'c1 z1 | B z=1',
    ]);
    expect(Object.keys(ev[1]!.index)).toEqual(['c', 'z']);
    // An axis left out of axis_order is not iterated at all.
    expect(briefs({ axis_order: 'c', channels: ['A'], z_plan: { relative: [-1, 1] } })).toEqual([
      'c0 | A',
    ]);
  });

  it('recurses into position sub-sequences: sub grid and sub z shift by the position', () => {
    expect(
      briefs({
        axis_order: 'pgcz',
        stage_positions: [
          { x: 0, y: 0, z: 0 },
          {
            x: 10,
            y: 10,
            z: 10,
            name: 'B',
            sequence: { grid_plan: { rows: 1, columns: 2 }, z_plan: { relative: [0, 1] } },
          },
        ],
        channels: ['A'],
        z_plan: { relative: [-5, 5] },
      }),
    ).toEqual([
      'p0 c0 z0 | A x=0 y=0 z=-5',
      'p0 c0 z1 | A x=0 y=0 z=5',
      'p1 c0 z0 g0 | A x=9.5 y=10 z=10 "B"',
      'p1 c0 z1 g0 | A x=9.5 y=10 z=11 "B"',
      'p1 c0 z0 g1 | A x=10.5 y=10 z=10 "B"',
      'p1 c0 z1 g1 | A x=10.5 y=10 z=11 "B"',
    ]);
  });

  it('gives each position its own time series: sub time plans reset the event timer', () => {
    expect(
      briefs({
        time_plan: { interval: 1, loops: 2 },
        stage_positions: [
          { x: 1, y: 1, sequence: { time_plan: { interval: 0.5, loops: 2 }, channels: ['B'] } },
        ],
        channels: ['A'],
      }),
    ).toEqual([
      // The sub-sequence's t replaces the parent's t in the index, as in useq.
      't0 p0 c0 | B x=1 y=1 @0 R',
      't1 p0 c0 | B x=1 y=1 @0.5',
      't0 p0 c0 | B x=1 y=1 @0 R',
      't1 p0 c0 | B x=1 y=1 @0.5',
    ]);
  });

  it('inherits the parent x/y/z in sub-sequences without grid or z plans and skips duplicate channels', () => {
    expect(
      briefs({
        stage_positions: [{ x: 3, y: 4, z: 5, sequence: { channels: ['C'] } }],
        channels: ['A', 'B'],
        z_plan: { relative: [0, 2] },
      }),
    ).toEqual(['p0 c0 z0 | C x=3 y=4 z=5', 'p0 c0 z1 | C x=3 y=4 z=7']);
  });

  it('adds relative grid offsets to each position, not absolute grids', () => {
    const grid = { rows: 1, columns: 2, fov_width: 10, fov_height: 10 };
    expect(briefs({ stage_positions: [[100, 200]], grid_plan: grid })).toEqual([
      'p0 g0 | x=95 y=200',
      'p0 g1 | x=105 y=200',
    ]);
    const edges = { top: 10, bottom: 0, left: 0, right: 10, fov_width: 10, fov_height: 10 };
    expect(briefs({ stage_positions: [[100, 200, 1]], grid_plan: edges })).toEqual([
      'p0 g0 | x=5 y=5 z=1',
    ]);
  });

  it("fills unset grid FOVs from the camera, but keeps the plan's own", () => {
    const plan = { grid_plan: { rows: 1, columns: 2 } };
    expect(briefs(plan, { fovUm: { widthUm: 200, heightUm: 100 } })).toEqual([
      'g0 | x=-100 y=0',
      'g1 | x=100 y=0',
    ]);
    const own = { grid_plan: { rows: 1, columns: 2, fov_width: 4 } };
    expect(briefs(own, { fovUm: { widthUm: 200, heightUm: 100 } })).toEqual([
      'g0 | x=-2 y=0',
      'g1 | x=2 y=0',
    ]);
  });

  it('emits autofocus events when a watched axis changes, at the home plane of a relative stack', () => {
    expect(
      briefs({
        stage_positions: [
          [0, 0, 10],
          [5, 5, 20],
        ],
        channels: ['A'],
        z_plan: { relative: [-1, 1] },
        autofocus_plan: { axes: ['p'], autofocus_motor_offset: 25 },
      }),
    ).toEqual([
      'p0 c0 z0 | AF A x=0 y=0 z=10',
      'p0 c0 z0 | A x=0 y=0 z=9',
      'p0 c0 z1 | A x=0 y=0 z=11',
      'p1 c0 z0 | AF A x=5 y=5 z=20',
      'p1 c0 z0 | A x=5 y=5 z=19',
      'p1 c0 z1 | A x=5 y=5 z=21',
    ]);
    const af = events({ stage_positions: [[0, 0]], autofocus_plan: { axes: ['p'] } })[0]!;
    expect(af.action).toEqual({
      type: 'hardware_autofocus',
      autofocus_device_name: null,
      autofocus_motor_offset: null,
    });
  });

  it('sets keep_shutter_open when only the listed axes change to the next event', () => {
    expect(
      briefs({ channels: ['A', 'B'], z_plan: { relative: [0, 1] }, keep_shutter_open_across: 'z' }),
    ).toEqual(['c0 z0 | A z=0 K', 'c0 z1 | A z=1', 'c1 z0 | B z=0 K', 'c1 z1 | B z=1']);
  });

  it('yields nothing for an empty sequence and one event per channel without other axes', () => {
    expect(briefs({})).toEqual([]);
    expect(briefs({ channels: ['A', { config: 'B', group: 'Laser', exposure: 20 }] })).toEqual([
      'c0 | A',
      'c1 | B exp=20',
    ]);
    expect(events({ channels: [{ config: 'B', group: 'Laser' }] })[0]!.channel).toEqual({
      config: 'B',
      group: 'Laser',
    });
  });
});
