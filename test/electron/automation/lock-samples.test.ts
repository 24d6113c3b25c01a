import { describe, expect, it } from 'vitest';
import { LockSamples } from '../../../electron/automation/lock-samples';

describe('LockSamples', () => {
  it('keeps the newest samples, oldest first, no-signal samples as null', () => {
    const r = new LockSamples(3);
    expect(r.since(Number.NEGATIVE_INFINITY)).toEqual([]);
    expect(r.rmsUm(0)).toBeNull();
    for (const [tMs, errorUm] of [
      [1, 0.1],
      [2, null],
      [3, -0.3],
      [4, 0.4],
    ] as const)
      r.push({ tMs, errorUm });
    expect(r.length).toBe(3);
    expect(r.since(Number.NEGATIVE_INFINITY)).toEqual([
      { tMs: 2, errorUm: null },
      { tMs: 3, errorUm: -0.3 },
      { tMs: 4, errorUm: 0.4 },
    ]);
    expect(r.since(3)).toEqual([{ tMs: 4, errorUm: 0.4 }]);
    expect(r.since(Number.NEGATIVE_INFINITY, 1)).toEqual([{ tMs: 4, errorUm: 0.4 }]);
    // RMS of the usable errors after the given time (0.3 and 0.4: 0.3536).
    expect(r.rmsUm(1)).toBeCloseTo(Math.sqrt((0.09 + 0.16) / 2), 12);
    expect(r.rmsUm(4)).toBeNull();
    expect(() => new LockSamples(0)).toThrow(/positive integer, got 0/);
  });
});
