import { afterEach, describe, expect, it } from 'vitest';
import { DeviceError } from '../../drivers/errors';
import { WorkerJobPool } from '../../drivers/worker-job-pool';

const pools: WorkerJobPool<{ n: number }, number>[] = [];
function pool(size: number) {
  const p = new WorkerJobPool<{ n: number }, number>({
    size,
    entry: new URL('../fixtures/job.worker.ts', import.meta.url),
    what: 'test',
    inline: (r) => {
      if (r.n < 0) throw new Error(`negative: ${r.n}`);
      return r.n * 2;
    },
    failure: (error) => new Error(`worker said ${String(error)}`),
  });
  pools.push(p);
  return p;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('WorkerJobPool', () => {
  it('runs jobs on at most `size` threads, in order of their results', async () => {
    const p = pool(2);
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => p.run({ n })));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(p.threads).toBe(2);
  });

  it("turns a worker's error reply into the caller's Error and keeps serving", async () => {
    const p = pool(1);
    await expect(p.run({ n: -4 })).rejects.toThrow('worker said negative: -4');
    expect(await p.run({ n: 21 })).toBe(42);
  });

  it('fails the job of a worker that exits, replaces the worker and runs what is queued', async () => {
    const p = pool(1);
    const dying = p.run({ n: 0 });
    const queued = p.run({ n: 7 });
    await expect(dying).rejects.toBeInstanceOf(DeviceError);
    await expect(dying).rejects.toThrow('test worker failed: exited with code 3');
    expect(await queued).toBe(14);
  });

  it('close rejects queued jobs and refuses new ones', async () => {
    const p = pool(1);
    const running = p.run({ n: 1 });
    const queued = p.run({ n: 2 });
    const closing = p.close();
    await expect(queued).rejects.toThrow('test pool closed before the job ran');
    await expect(running).rejects.toThrow('test pool closed before the job ran');
    await closing;
    await expect(p.run({ n: 3 })).rejects.toThrow('test pool is closed');
  });

  it('size 0 runs inline, errors included', async () => {
    const p = pool(0);
    expect(await p.run({ n: 5 })).toBe(10);
    await expect(p.run({ n: -1 })).rejects.toThrow('negative: -1');
    expect(p.threads).toBe(0);
    expect(p.capacity).toBe(1);
  });
});
