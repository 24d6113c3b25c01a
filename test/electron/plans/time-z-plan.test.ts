/** Time and z plan values; expectations follow useq's timedelta (µs) and numpy arange arithmetic. */
import { describe, expect, it } from 'vitest';
import { timePointsS } from '../../../electron/plans/time-plan';
import { timePlanSchema, zPlanSchema } from '../../../electron/plans/schema';
import { arange, zIterate, zNumPositions } from '../../../electron/plans/z-plan';

const times = (plan: unknown) => timePointsS(timePlanSchema.parse(plan));
const zs = (plan: unknown) => zIterate(zPlanSchema.parse(plan));

describe('time plans', () => {
  it('TIntervalLoops, TDurationLoops, TIntervalDuration in whole microseconds', () => {
    expect(times({ interval: 0.1, loops: 4 })).toEqual([0, 0.1, 0.2, 0.3]);
    expect(times({ duration: 1, loops: 3 })).toEqual([0, 0.5, 1]);
    // 1 s / 3 rounds to 333333 µs, as timedelta division does.
    expect(times({ duration: 1, loops: 4 })).toEqual([0, 0.333333, 0.666666, 0.999999]);
    expect(times({ interval: 0.3, duration: 1 })).toEqual([0, 0.3, 0.6, 0.9]);
    expect(times({ duration: 5, loops: 1 })).toEqual([0]);
  });

  it('MultiPhaseTimePlan chains phases without repeating their first timepoint', () => {
    const phases = [
      { interval: 1, loops: 3 },
      { interval: 5, loops: 2 },
    ];
    expect(times({ phases })).toEqual([0, 1, 2, 7]);
    expect(times(phases)).toEqual([0, 1, 2, 7]); // a bare list is a multi-phase plan
  });

  it('accepts seconds, ISO 8601, clock strings and timedelta dicts', () => {
    expect(times({ interval: 'PT1M30S', loops: 2 })).toEqual([0, 90]);
    expect(times({ interval: '0:00:00.100000', loops: 2 })).toEqual([0, 0.1]);
    expect(times({ interval: { minutes: 1, seconds: 2 }, loops: 2 })).toEqual([0, 62]);
    expect(times({ interval: '1d,01:02:03', loops: 2 })).toEqual([0, 86400 + 3723]);
    expect(times({ interval: '2 days, 0:00:01', loops: 2 })).toEqual([0, 172801]);
  });

  it('names the bad field', () => {
    const bad = (plan: unknown) =>
      timePlanSchema.safeParse(plan).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(bad({ interval: 'soon', loops: 2 })).toEqual([
      expect.stringMatching(/^interval: "soon" is not a duration/),
    ]);
    expect(bad({ interval: -1, loops: 2 })).toEqual(['interval: a duration must not be negative']);
    expect(bad({ interval: 1, loops: 0 })).toEqual(['loops: Too small: expected number to be >=1']);
    expect(bad({ interval: 0, duration: 1 })).toEqual([
      'interval: interval must be greater than 0',
    ]);
    expect(bad({ loops: 3 })?.[0]).toMatch(/not a known time plan/);
  });
});

describe('z plans', () => {
  it('ranges follow numpy arange element for element', () => {
    expect(arange(-2.5, 2.55, 0.1).slice(0, 5)).toEqual([
      -2.5, -2.4, -2.3, -2.1999999999999997, -2.0999999999999996,
    ]);
    expect(zs({ range: 4, step: 1 })).toEqual([-2, -1, 0, 1, 2]);
    expect(zs({ range: 1, step: 0.4 })).toEqual([-0.5, -0.09999999999999998, 0.30000000000000004]);
    expect(zs({ top: 1, bottom: 3, step: 1 })).toEqual([]); // bottom above top: nothing, as in useq
    expect(zs({ range: 4, step: 0 })).toEqual([-2]);
    expect(zs({ above: 1, below: 2, step: 1, go_up: false })).toEqual([1, 0, -1, -2]);
    expect(zs({ relative: [3, 1, 2] })).toEqual([3, 1, 2]);
  });

  it("num_positions is useq's own count (used for do_stack's middle plane)", () => {
    expect(zNumPositions(zPlanSchema.parse({ range: 4, step: 3 }))).toBe(3);
    expect(zNumPositions(zPlanSchema.parse({ range: 4, step: 1 }))).toBe(5);
    expect(zNumPositions(zPlanSchema.parse({ absolute: [1, 2] }))).toBe(2);
  });
});
