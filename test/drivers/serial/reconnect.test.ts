import { describe, expect, it } from 'vitest';
import { Reconnector, backoffDelays } from '../../../drivers/serial/reconnect';

describe('Reconnector', () => {
  it('doubles the delay up to the cap', () => {
    expect(backoffDelays({ initialDelayMs: 100, maxDelayMs: 500 }, 5)).toEqual([
      100, 200, 400, 500, 500,
    ]);
  });

  it('retries until the open succeeds', async () => {
    let calls = 0;
    const r = new Reconnector(
      async () => {
        calls++;
        if (calls < 3) throw new Error('not yet');
      },
      { initialDelayMs: 5, maxDelayMs: 10 },
    );
    await r.run(1_000);
    expect(calls).toBe(3);
  });

  it('gives up after maxWaitMs with the last error', async () => {
    let calls = 0;
    const r = new Reconnector(
      async () => {
        calls++;
        throw new Error(`missing ${calls}`);
      },
      { initialDelayMs: 10, maxDelayMs: 20 },
    );
    const t0 = performance.now();
    await expect(r.run(60)).rejects.toThrow(/missing/);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('a bounded run joining an unbounded poll loop still gives up in time', async () => {
    const r = new Reconnector(
      async () => {
        throw new Error('gone');
      },
      { initialDelayMs: 20, maxDelayMs: 20 },
    );
    const background = r.run();
    background.catch(() => undefined);
    const t0 = performance.now();
    await expect(r.run(100)).rejects.toThrow(/did not return within 100 ms/);
    expect(performance.now() - t0).toBeLessThan(1_000);
    r.cancel();
    await expect(background).rejects.toThrow(/cancelled/);
  });

  it('stops polling when cancelled', async () => {
    const r = new Reconnector(
      async () => {
        throw new Error('gone');
      },
      { initialDelayMs: 1_000, maxDelayMs: 1_000 },
    );
    const p = r.run();
    setTimeout(() => r.cancel(), 20);
    await expect(p).rejects.toThrow(/cancelled/);
  });
});
