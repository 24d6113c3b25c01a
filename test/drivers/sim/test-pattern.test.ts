import { describe, expect, it } from 'vitest';
import { readCounter, stampCounter, TestPatternSource } from '../../../drivers/sim/test-pattern';

describe('TestPatternSource', () => {
  it('fills the whole frame, including a partial last band, and stamps the counter', () => {
    const src = new TestPatternSource();
    const f = src.frame(70_000, 50, 150); // 150 rows = 2 full bands of 64 + 22
    expect(f).toHaveLength(50 * 150);
    expect(readCounter(f)).toBe(70_000);
    const last = f[149 * 50 + 49] ?? 0;
    expect(last).toBe(((49 + (149 % 64) + (70_000 % 4) * 97) * 16) & 0xffff);
  });

  it('makes consecutive frames differ and hands out a fresh buffer each time', () => {
    const src = new TestPatternSource();
    const a = src.frame(1, 32, 32);
    const b = src.frame(2, 32, 32);
    expect(a.buffer).not.toBe(b.buffer);
    let differing = 0;
    for (let i = 4; i < a.length; i++) if (a[i] !== b[i]) differing++;
    expect(differing).toBe(a.length - 4);
  });

  it('round-trips counters up to 2^53 − 1', () => {
    const px = new Uint16Array(4);
    for (const n of [0, 1, 65_535, 65_536, 2 ** 40 + 12_345, Number.MAX_SAFE_INTEGER]) {
      stampCounter(px, n);
      expect(readCounter(px)).toBe(n);
    }
  });
});
