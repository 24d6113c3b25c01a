import { describe, expect, it } from 'vitest';
import { LatestSlot, RateMeter, RingRecorder } from '../../../renderer/display/display-probe';

describe('display probe helpers', () => {
  it('ring keeps the last N values in a fixed array', () => {
    const r = new RingRecorder(3);
    const same = r.values;
    for (const v of [1, 2, 3, 4, 5]) r.push(v);
    expect(r.values).toBe(same);
    expect([...r.values].sort()).toEqual([3, 4, 5]);
  });

  it('rate meter counts ticks over a sliding second', () => {
    const m = new RateMeter(1000);
    for (let t = 0; t <= 1000; t += 50) m.tick(t);
    expect(m.rate(1000)).toBeCloseTo(20, 6);
    expect(m.rate(5000)).toBe(0);
  });

  it('latest slot keeps only the newest item and counts the superseded', () => {
    const s = new LatestSlot<number>();
    expect(s.take()).toBeNull();
    s.put(1);
    s.put(2);
    expect(s.take()).toBe(2);
    expect(s.take()).toBeNull();
    expect(s.superseded).toBe(1);
  });
});
