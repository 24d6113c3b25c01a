/** Parsing useq MDASequence JSON: defaults, coercions, ignored keys, and errors naming the field. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../drivers/errors';
import { parsePlan } from '../../../electron/plans/load';
import { mdaSequenceSchema } from '../../../electron/plans/sequence-schema';

function problems(plan: unknown): string[] {
  try {
    parsePlan(JSON.stringify(plan));
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).details!.problems as string[];
  }
  throw new Error('expected the plan to be rejected');
}

describe('MDASequence schema', () => {
  it('fills useq defaults and ignores unknown keys at every level', () => {
    const seq = mdaSequenceSchema.parse({
      shiny: 1,
      channels: ['DAPI', { config: 'GFP', extra: true }],
      stage_positions: [[1, 2], { x: 3, z: 4, colour: 'red' }],
      grid_plan: { rows: 1, columns: 1, frobnicate: 2 },
    });
    expect(seq).not.toHaveProperty('shiny');
    expect(seq.axis_order).toEqual(['t', 'p', 'g', 'c', 'z']);
    expect(seq.channels[0]).toEqual({
      config: 'DAPI',
      group: 'Channel',
      exposure: null,
      do_stack: true,
      z_offset: 0,
      acquire_every: 1,
      camera: null,
    });
    expect(seq.channels[1]).not.toHaveProperty('extra');
    expect(seq.stage_positions).toEqual([
      { x: 1, y: 2, z: null, name: null, sequence: null },
      { x: 3, y: null, z: 4, name: null, sequence: null },
    ]);
    expect(seq.grid_plan).toMatchObject({
      kind: 'rows_columns',
      overlap: [0, 0],
      mode: 'row_wise_snake',
    });
    expect(seq.grid_plan).not.toHaveProperty('frobnicate');
  });

  it('treats empty plans as absent and splits axis strings', () => {
    const seq = mdaSequenceSchema.parse({
      z_plan: {},
      time_plan: null,
      axis_order: 'TPCZ',
      keep_shutter_open_across: 'zc',
    });
    expect(seq.z_plan).toBeNull();
    expect(seq.time_plan).toBeNull();
    expect(seq.axis_order).toEqual(['t', 'p', 'c', 'z']);
    expect(seq.keep_shutter_open_across).toEqual(['z', 'c']);
  });

  it('names every bad field with its path', () => {
    expect(
      problems({
        channels: [{ config: 'GFP' }, { config: 'X', exposure: -5 }],
        z_plan: { range: 2 },
        stage_positions: [{ x: 'left' }, { sequence: { time_plan: { interval: 1, loops: 1.5 } } }],
        grid_plan: { rows: '2', columns: 2 },
        axis_order: 'tpq',
      }),
    ).toEqual([
      'axis_order: unknown axes q; use t, p, g, c, z',
      'stage_positions[0].x: Invalid input: expected number, received string',
      'stage_positions[1].sequence.time_plan.loops: Invalid input: expected int, received number',
      'grid_plan.rows: Invalid input: expected number, received string',
      'channels[1].exposure: Too small: expected number to be >0',
      'z_plan.step: Invalid input: expected number, received undefined',
    ]);
  });

  it("enforces useq's cross-field rules", () => {
    expect(
      problems({
        axis_order: 'tzpc',
        z_plan: { range: 2, step: 1 },
        stage_positions: [
          { sequence: { z_plan: { range: 1, step: 1 }, stage_positions: [[0, 0]] } },
        ],
      }),
    ).toEqual([
      'axis_order: "z" cannot precede "p" when stage_positions[0] has its own z_plan',
      'stage_positions[0].sequence.stage_positions: a position sub-sequence cannot have stage positions of its own',
    ]);
    expect(problems({ z_plan: { absolute: [1] }, autofocus_plan: { axes: ['p'] } })).toEqual([
      'autofocus_plan: absolute z positions cannot be used with an autofocus plan',
    ]);
    expect(problems({ stage_positions: { plate: '96-well' } })[0]).toMatch(
      /^stage_positions: well-plate plans are not supported/,
    );
    expect(problems({ axis_order: 'tt' })).toEqual(['axis_order: duplicate axes in "tt"']);
  });

  it('reports JSON syntax errors', () => {
    expect(() => parsePlan('{"channels": [', 'plan x.json')).toThrow(
      /^plan x\.json is not valid JSON/,
    );
  });
});
