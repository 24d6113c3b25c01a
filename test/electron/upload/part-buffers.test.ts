import { describe, expect, it } from 'vitest';
import { PartBuffers } from '../../../electron/upload/part-buffers';

describe('PartBuffers', () => {
  it('hands a given-back buffer out again, sized to the request', () => {
    const pool = new PartBuffers(2);
    const a = pool.take(1024);
    expect(a.length).toBe(1024);
    expect(a.byteOffset).toBe(0);
    pool.give(a);
    const b = pool.take(1000); // a shorter last part fits in the same memory
    expect(b.buffer).toBe(a.buffer);
    expect(b.length).toBe(1000);
    const c = pool.take(1000); // none free: a new one
    expect(c.buffer).not.toBe(a.buffer);
  });

  it('keeps at most maxKept idle buffers and ignores views it cannot transfer', () => {
    const pool = new PartBuffers(1);
    const [x, y] = [pool.take(64), pool.take(64)];
    pool.give(x);
    pool.give(y); // over the limit: dropped
    expect(pool.take(64).buffer).toBe(x.buffer);
    expect(pool.take(64).buffer).not.toBe(y.buffer);
    const view = Buffer.from(new ArrayBuffer(128), 16, 64);
    pool.give(view); // not at offset 0
    expect(pool.take(64).buffer).not.toBe(view.buffer);
  });
});
