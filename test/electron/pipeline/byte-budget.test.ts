import { describe, expect, it } from 'vitest';
import { ByteBudget } from '../../../electron/pipeline/byte-budget';

describe('ByteBudget', () => {
  it('makes acquirers wait in order until bytes are released', async () => {
    const b = new ByteBudget(100);
    await b.acquire(60);
    const order: string[] = [];
    const second = b.acquire(60).then(() => order.push('second'));
    const third = b.acquire(10).then(() => order.push('third'));
    await Promise.resolve();
    expect(order).toEqual([]);
    expect(b.tryAcquire(10)).toBe(false); // FIFO: no overtaking queued waiters
    b.release(60);
    await Promise.all([second, third]);
    expect(order).toEqual(['second', 'third']);
    expect(b.heldBytes).toBe(70);
  });

  it('admits one oversized item when empty so it cannot deadlock', async () => {
    const b = new ByteBudget(10);
    await b.acquire(50);
    expect(b.tryAcquire(1)).toBe(false);
    b.release(50);
    expect(b.tryAcquire(1)).toBe(true);
  });

  it('rejects waiters and later acquires with the failure', async () => {
    const b = new ByteBudget(10);
    await b.acquire(10);
    const waiting = b.acquire(5);
    b.fail(new Error('disk full'));
    await expect(waiting).rejects.toThrow('disk full');
    await expect(b.acquire(1)).rejects.toThrow('disk full');
    expect(() => b.tryAcquire(1)).toThrow('disk full');
  });
});
