import { describe, expect, it } from 'vitest';
import type { RawFrame } from '../../../drivers/devices';
import { LiveRun, type LiveSource } from '../../../drivers/sim/live-run';

/** A source whose renders finish only when the test says so. */
function manualSource(capacity: number) {
  const pending: Array<{
    seq: number;
    resolve: (px: Uint16Array) => void;
    reject: (e: Error) => void;
  }> = [];
  const lost: number[] = [];
  let seq = 0;
  const source: LiveSource = {
    exposureMs: () => 1,
    readoutMs: () => 0,
    capacity: () => capacity,
    capture: () => {
      const s = seq++;
      const pixels = new Promise<Uint16Array>((resolve, reject) =>
        pending.push({ seq: s, resolve, reject }),
      );
      const meta = {
        seq: s,
        widthPx: 1,
        heightPx: 1,
        timestampMs: Date.now(),
        exposureMs: 1,
        binning: 1,
      };
      return { meta, pixels };
    },
    onLost: (s) => lost.push(s),
  };
  const waitPending = async (n: number) => {
    const deadline = Date.now() + 2_000;
    while (pending.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    expect(pending.length).toBeGreaterThanOrEqual(n);
  };
  return { source, pending, lost, waitPending };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('LiveRun', () => {
  it('delivers in seq order when renders finish out of order, and turns failures into gaps', async () => {
    const m = manualSource(3);
    const got: RawFrame[] = [];
    const run = new LiveRun(m.source, (f) => got.push(f));
    run.start();
    await m.waitPending(3);
    const [f0, f1, f2] = m.pending;
    f2?.resolve(new Uint16Array([2]));
    f1?.reject(new Error('boom'));
    await tick();
    expect(got).toHaveLength(0); // frame 0 still rendering
    f0?.resolve(new Uint16Array([0]));
    await tick();
    expect(got.map((f) => f.seq)).toEqual([0, 2]);
    expect(m.lost).toEqual([1]);
    const stopping = run.stop(1_000);
    for (const p of m.pending.slice(3)) p.resolve(new Uint16Array([p.seq]));
    await stopping;
    expect(run.running).toBe(false);
  });

  it('does not start more exposures than it can render at once', async () => {
    const m = manualSource(2);
    const run = new LiveRun(m.source, () => {});
    run.start();
    await m.waitPending(2);
    await new Promise((r) => setTimeout(r, 30));
    expect(m.pending).toHaveLength(2);
    const stopping = run.stop(1_000);
    for (const p of m.pending) p.resolve(new Uint16Array(1));
    await stopping;
  });

  it('stop waits for exposed frames, but gives up after its timeout and never delivers late', async () => {
    const m = manualSource(1);
    const got: number[] = [];
    const run = new LiveRun(m.source, (f) => got.push(f.seq));
    run.start();
    await m.waitPending(1);
    const t0 = Date.now();
    await run.stop(50);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    expect(m.lost).toEqual([0]);
    m.pending[0]?.resolve(new Uint16Array(1));
    await tick();
    expect(got).toEqual([]);
  });
});
