import { describe, expect, it } from 'vitest';
import { FastClock, sleepOn } from '../../../drivers/sim/sim-clock';

describe('FastClock', () => {
  it('skips a wait nothing works through, in timer order, and counts it', async () => {
    const c = new FastClock();
    const t0 = c.now();
    const real0 = performance.now();
    const fired: string[] = [];
    const a = sleepOn(c, 60_000).then(() => fired.push('a'));
    const b = sleepOn(c, 10_000).then(() => fired.push('b'));
    const cancelled = c.after(5_000, () => fired.push('cancelled'));
    cancelled();
    await Promise.all([a, b]);
    expect(fired).toEqual(['b', 'a']);
    expect(c.now() - t0).toBeGreaterThanOrEqual(60_000);
    expect(c.now() - t0).toBeLessThan(60_000 + (performance.now() - real0) + 1);
    expect(performance.now() - real0).toBeLessThan(1_000);
    expect(c.skippedMs).toBeGreaterThan(59_000);
  });

  it('a chain of waits adds up, as sequential device waits do', async () => {
    const c = new FastClock();
    const t0 = c.now();
    for (let i = 0; i < 100; i++) await sleepOn(c, 1_000);
    expect(c.now() - t0).toBeGreaterThanOrEqual(100_000);
    expect(c.now() - t0).toBeLessThan(101_000);
  });

  it('does not skip past work under way (`hold`): the wait then runs in real time', async () => {
    const c = new FastClock();
    let finish!: () => void;
    c.hold(new Promise<void>((r) => (finish = r)));
    const t0 = c.now();
    let done = false;
    void sleepOn(c, 40).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 15));
    expect(done).toBe(false);
    expect(c.skippedMs).toBe(0);
    // the work ends: the rest of the wait is skipped
    finish();
    await sleepOn(c, 0);
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(true);
    expect(c.now() - t0).toBeGreaterThanOrEqual(40);
  });

  it('gives epoch times on the same skipped timeline', async () => {
    const c = new FastClock();
    const e0 = c.epochMs();
    await sleepOn(c, 3_600_000);
    expect(c.epochMs() - e0).toBeGreaterThanOrEqual(3_600_000 - 1); // Date.now: whole ms
    expect(Math.abs(c.epochMs(c.now()) - c.epochMs())).toBeLessThan(50);
  });
});
