import { describe, expect, it } from 'vitest';
import { MoveFifo } from '../../../../drivers/stages/prior/move-fifo';

describe('MoveFifo', () => {
  it('ends moves in send order, one per R; an R with nothing pending is ignored', async () => {
    const q = new MoveFifo();
    q.ended();
    const a = q.add();
    const b = q.add();
    expect(q.isHead(a)).toBe(true);
    q.ended();
    expect(await a.within(0)).toBe(true);
    expect(a.outcome).toBe('ended');
    expect(await b.within(5)).toBe(false);
    expect(q.isHead(b)).toBe(true);
    q.ended();
    expect(await b.within(0)).toBe(true);
    expect(q.size).toBe(0);
  });

  it('an unasked error fails the newest move only', async () => {
    const q = new MoveFifo();
    const a = q.add();
    const b = q.add();
    q.refused(new Error('E,8'));
    await expect(b.within(0)).rejects.toThrow('E,8');
    expect(await a.within(5)).toBe(false);
    expect(q.size).toBe(1);
  });

  it('stop ends every pending move as stopped; loss fails them all', async () => {
    const q = new MoveFifo();
    const a = q.add();
    const b = q.add();
    q.stopped();
    expect([a.outcome, b.outcome]).toEqual(['stopped', 'stopped']);
    const c = q.add();
    q.lost(new Error('gone'));
    await expect(c.within(0)).rejects.toThrow('gone');
    q.ended();
    expect(c.outcome).toBeUndefined();
  });

  it('remove drops a move without settling it', async () => {
    const q = new MoveFifo();
    const a = q.add();
    const b = q.add();
    q.remove(a);
    expect(q.isHead(b)).toBe(true);
    q.ended();
    expect(b.outcome).toBe('ended');
    expect(await a.within(1)).toBe(false);
  });
});
