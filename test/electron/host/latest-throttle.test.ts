import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LatestThrottle } from '../../../electron/host/latest-throttle';

describe('LatestThrottle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at most once per interval, and always after the last poke', () => {
    let value = 0;
    const seen: number[] = [];
    const t = new LatestThrottle(
      100,
      () => seen.push(value),
      () => Date.now(),
    );
    // 50 pokes a second for 2 s, the value changing each time.
    for (let i = 1; i <= 100; i++) {
      value = i;
      t.poke();
      vi.advanceTimersByTime(20);
    }
    vi.advanceTimersByTime(100);
    expect(seen.length).toBeLessThanOrEqual(2_000 / 100 + 1);
    expect(seen.length).toBeGreaterThanOrEqual(2_000 / 100 - 1);
    expect(seen.at(-1)).toBe(100);
    expect(seen[0]).toBe(1); // the first poke after a quiet spell is not delayed
  });

  it('close() delivers a pending poke at once', () => {
    const seen: number[] = [];
    const t = new LatestThrottle(
      1_000,
      () => seen.push(Date.now()),
      () => Date.now(),
    );
    t.poke();
    t.poke();
    expect(seen).toHaveLength(1);
    t.close();
    expect(seen).toHaveLength(2);
    vi.advanceTimersByTime(5_000);
    expect(seen).toHaveLength(2);
    expect(() => new LatestThrottle(0, () => {})).toThrow(/> 0 ms, got 0/);
  });
});
