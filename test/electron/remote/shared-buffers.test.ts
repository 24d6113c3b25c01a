import { describe, expect, it } from 'vitest';
import { SharedBufferPool } from '../../../electron/remote/shared-buffers';

describe('SharedBufferPool', () => {
  it('hands a buffer given back out again for the same size, each once', () => {
    const pool = new SharedBufferPool();
    const a = pool.take(64);
    const b = pool.take(32);
    expect(a.byteLength).toBe(64);
    pool.give(a);
    pool.give(a); // given twice, still handed out once
    pool.give(b);
    expect(pool.take(64)).toBe(a);
    expect(pool.take(64)).not.toBe(a);
    expect(pool.take(32)).toBe(b);
  });

  it('keeps a bounded number of buffers: sizes no longer asked for drop out', () => {
    const pool = new SharedBufferPool(4);
    const old = pool.take(8);
    pool.give(old);
    // An ROI change: frames of other sizes from now on.
    for (const size of [16, 24, 32, 40]) pool.give(pool.take(size));
    expect(pool.take(8)).not.toBe(old);
    const kept = pool.take(40);
    pool.give(kept);
    expect(pool.take(40)).toBe(kept);
  });
});
