/** The focus-lock trace's ring buffer and plot geometry. */
import { describe, expect, it } from 'vitest';
import {
  MIN_HALF_RANGE_UM,
  MIN_WINDOW_MS,
  traceWindowMs,
  traceHalfRangeUm,
  tracePoints,
} from '../../../../renderer/ui/automation/error-trace';
import { SampleRing } from '../../../../renderer/ui/automation/sample-ring';

function contents(r: SampleRing): [number, number][] {
  const out: [number, number][] = [];
  r.forEach((t, v) => out.push([t, v]));
  return out;
}

describe('SampleRing', () => {
  it('keeps the newest `capacity` samples, oldest first', () => {
    const r = new SampleRing(3);
    r.push(1, 0.1);
    r.push(2, 0.2);
    expect(contents(r)).toEqual([
      [1, 0.1],
      [2, 0.2],
    ]);
    r.push(3, 0.3);
    r.push(4, -0.4);
    expect(r.length).toBe(3);
    expect(contents(r)).toEqual([
      [2, 0.2],
      [3, 0.3],
      [4, -0.4],
    ]);
    expect(r.maxAbsSince(0)).toBeCloseTo(0.4);
    expect(r.maxAbsSince(3.5)).toBeCloseTo(0.4);
    expect(r.maxAbsSince(5)).toBe(0);
    r.clear();
    expect(contents(r)).toEqual([]);
    expect(() => new SampleRing(0)).toThrow(/positive integer, got 0/);
  });
});

describe('trace geometry', () => {
  it('scales symmetrically to a round half-range, never below the minimum', () => {
    const r = new SampleRing(16);
    r.push(0, 0.01);
    expect(traceHalfRangeUm(r, 0)).toBe(MIN_HALF_RANGE_UM);
    r.push(1, -0.13);
    expect(traceHalfRangeUm(r, 0)).toBeCloseTo(0.2, 9);
    r.push(2, 0.6);
    expect(traceHalfRangeUm(r, 0)).toBeCloseTo(1, 9);
    // Old excursions outside the window do not set the scale.
    expect(traceHalfRangeUm(r, 1.5)).toBeCloseTo(1, 9);
    expect(traceHalfRangeUm(r, 3)).toBe(MIN_HALF_RANGE_UM);
  });

  it('places samples in the time window: newest at the right, zero error mid-height', () => {
    const r = new SampleRing(16);
    r.push(0, 0.1); // outside the window
    r.push(500, 0);
    r.push(1000, 0.1);
    r.push(1000, -0.1);
    const { points, halfRangeUm } = tracePoints(r, 1000, 500, 100, 40);
    expect(halfRangeUm).toBeCloseTo(0.1, 9);
    expect(points).toEqual([
      { x: 0, y: 20 },
      { x: 100, y: 0 },
      { x: 100, y: 40 },
    ]);
  });

  it('the time window grows with the data up to the maximum', () => {
    const r = new SampleRing(4);
    expect(r.oldestTimeMs()).toBeNull();
    expect(traceWindowMs(r, 100_000, 60_000)).toBe(MIN_WINDOW_MS);
    r.push(80_000, 0);
    expect(traceWindowMs(r, 100_000, 60_000)).toBe(20_000);
    expect(traceWindowMs(r, 82_000, 60_000)).toBe(MIN_WINDOW_MS);
    expect(traceWindowMs(r, 200_000, 60_000)).toBe(60_000);
    for (const t of [90_000, 91_000, 92_000, 93_000]) r.push(t, 0);
    expect(r.oldestTimeMs()).toBe(90_000);
  });
});
