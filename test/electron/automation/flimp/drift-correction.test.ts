import { describe, expect, it } from 'vitest';
import {
  DriftEstimate,
  driftFromShift,
  MIN_DRIFT_CONFIDENCE,
} from '../../../../electron/automation/flimp/drift-correction';
import { parseFlimpPlan } from '../../../../electron/automation/flimp/plan-schema';
import { basePlan } from '../../../support/automation-rig';
import { IDENTITY_ORIENTATION } from '../../../../electron/config/stage-orientation';

describe('drift correction', () => {
  it('a registration shift of +dx px is a sample drift of +dx × pixel size µm', () => {
    expect(driftFromShift({ dxPx: 4, dyPx: -2 }, 0.25, IDENTITY_ORIENTATION)).toEqual({
      xUm: 1,
      yUm: -0.5,
    });
  });

  it('estimates the velocity as total drift over total duration, ignoring untrusted series', () => {
    const d = new DriftEstimate(100);
    expect(d.velocityUmPerMs()).toBeNull();
    expect(d.correctionUm(0, 10_000)).toEqual({ xUm: 0, yUm: 0 });
    expect(d.add({ xUm: 1, yUm: 0 }, 1_000, 0.9)).toBe(true);
    expect(d.add({ xUm: 3, yUm: 2 }, 1_000, 0.9)).toBe(true);
    expect(d.add({ xUm: 50, yUm: 50 }, 1_000, MIN_DRIFT_CONFIDENCE / 2)).toBe(false);
    expect(d.add({ xUm: 1, yUm: 1 }, 0, 1)).toBe(false);
    expect(d.add({ xUm: Number.NaN, yUm: 1 }, 1_000, 1)).toBe(false);
    expect(d.samples).toBe(2);
    expect(d.velocityUmPerMs()).toEqual({ xUm: 0.002, yUm: 0.001 });
    // Found at 1 s, imaged at 6 s: 5 s of drift.
    const c = d.correctionUm(1_000, 6_000);
    expect(c.xUm).toBeCloseTo(10, 9);
    expect(c.yUm).toBeCloseTo(5, 9);
    // Never backwards in time.
    expect(d.correctionUm(6_000, 1_000)).toEqual({ xUm: 0, yUm: 0 });
  });

  it('bounds the correction to maxStepUm, keeping its direction', () => {
    const d = new DriftEstimate(5);
    d.add({ xUm: 3, yUm: 4 }, 1_000, 1);
    const c = d.correctionUm(0, 60_000); // 300 µm unbounded
    expect(Math.hypot(c.xUm, c.yUm)).toBeCloseTo(5, 9);
    expect(c.xUm / c.yUm).toBeCloseTo(3 / 4, 9);
  });

  it('is opt-in in the plan, with a default and a bounded maxStepUm', () => {
    expect(parseFlimpPlan({ ...basePlan, driftCorrection: undefined }).driftCorrection).toBe(
      undefined,
    );
    expect(parseFlimpPlan(basePlan).driftCorrection).toEqual({ xy: false, maxStepUm: 20 });
    expect(parseFlimpPlan({ ...basePlan, driftCorrection: { xy: true } }).driftCorrection).toEqual({
      xy: true,
      maxStepUm: 20,
    });
    expect(() =>
      parseFlimpPlan({ ...basePlan, driftCorrection: { xy: true, maxStepUm: -1 } }),
    ).toThrow(/driftCorrection\.maxStepUm/);
    expect(() => parseFlimpPlan({ ...basePlan, driftCorrection: { z: true } })).toThrow(
      /driftCorrection/,
    );
  });
});
