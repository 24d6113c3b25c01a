import { describe, expect, it } from 'vitest';
import type { MdaEvent } from '../../../electron/plans/events';
import { axisSizes, runPosition } from '../../../electron/runner/run-position';

const events: MdaEvent[] = [
  {
    index: { t: 0, p: 0, c: 0, z: 0 },
    channel: { config: 'GFP', group: 'Channel' },
    x_pos: 1,
    y_pos: 2,
    z_pos: -1,
    pos_name: 'A1',
  },
  {
    index: { t: 0, p: 0, c: 0, z: 1 },
    channel: { config: 'GFP', group: 'Channel' },
    x_pos: 1,
    y_pos: 2,
    z_pos: 0,
    pos_name: 'A1',
  },
  { index: { t: 1, p: 1, c: 1, z: 0 }, channel: { config: 'Cy5', group: 'Channel' } },
];

describe('run position', () => {
  it('the event being acquired, clamped to the last once the run is past it', () => {
    expect(runPosition(events, 1)).toEqual({
      index: { t: 0, p: 0, c: 0, z: 1 },
      channel: 'GFP',
      position: 'A1',
      xUm: 1,
      yUm: 2,
      zUm: 0,
    });
    expect(runPosition(events, 3)).toEqual({
      index: { t: 1, p: 1, c: 1, z: 0 },
      channel: 'Cy5',
      position: null,
      xUm: null,
      yUm: null,
      zUm: null,
    });
    expect(runPosition([], 0)).toBeNull();
  });

  it('axis sizes are 1 + the largest index seen', () => {
    expect(axisSizes(events)).toEqual({ t: 2, p: 2, c: 2, z: 2 });
  });
});
