import { afterEach, describe, expect, it } from 'vitest';
import { AnalysisPool } from '../../../electron/automation/analysis-pool';
import { focusMeasure } from '../../../electron/automation/kernels/focus-measures';
import { findRois } from '../../../electron/automation/kernels/roi-find';
import { registerPhaseCorrelation } from '../../../electron/automation/kernels/phase-correlation';
import { renderBlobs, renderDiscs, texture } from './kernels/synthetic';

const W = 256;
const H = 192;
const discs = [
  { xPx: 60, yPx: 50, radiusPx: 9, amplitude: 500 },
  { xPx: 180, yPx: 130, radiusPx: 12, amplitude: 400 },
];
const frame = () => renderDiscs(W, H, discs, { noiseSigma: 10, seed: 5 });

let pool: AnalysisPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe.each([0, 2])('AnalysisPool of size %s', (size) => {
  it('gives the kernels’ own results', async () => {
    pool = new AnalysisPool(size);
    const expectedScore = focusMeasure('tenengrad', frame(), W, H);
    const expectedRois = findRois(frame(), W, H, { backgroundRadiusPx: 40 });
    const ref = renderBlobs(W, H, texture(W, H, 400, 3), { noiseSigma: 5, seed: 1 });
    const mov = renderBlobs(W, H, texture(W, H, 400, 3, { dxPx: 1.5, dyPx: -2.25 }), {
      noiseSigma: 5,
      seed: 2,
    });
    const expectedShift = registerPhaseCorrelation(ref, mov, W, H);
    const [score, rois, shift] = await Promise.all([
      pool.focusMeasure('tenengrad', frame(), W, H),
      pool.findRois(frame(), W, H, { backgroundRadiusPx: 40 }),
      pool.register(ref.slice(), mov.slice(), W, H),
    ]);
    expect(score).toBe(expectedScore);
    expect(rois).toEqual(expectedRois);
    expect(rois).toHaveLength(2);
    expect(shift).toEqual(expectedShift);
  });

  it('keeps error codes and messages', async () => {
    pool = new AnalysisPool(size);
    await expect(pool.focusMeasure('brenner', new Uint16Array(10), 4, 4)).rejects.toMatchObject({
      code: 'E_INVALID',
      message: expect.stringMatching(/holds 10 samples/),
    });
    await expect(pool.findRois(frame(), W, H, { minCircularity: -1 })).rejects.toMatchObject({
      code: 'E_INVALID',
      name: 'ValidationError',
    });
  });
});

describe('AnalysisPool frames', () => {
  it('transfers whole buffers, shares shared ones, copies partial views', async () => {
    pool = new AnalysisPool(1);
    const owned = frame();
    await pool.focusMeasure('brenner', owned, W, H);
    expect(owned.byteLength).toBe(0); // detached: the worker took it

    const shared = new Uint16Array(new SharedArrayBuffer(W * H * 2));
    shared.set(frame());
    const score = await pool.focusMeasure('brenner', shared, W, H);
    expect(shared.byteLength).toBe(W * H * 2);
    expect(score).toBe(focusMeasure('brenner', frame(), W, H));

    const big = new Uint16Array(W * H * 2);
    big.set(frame(), W * H);
    const view = big.subarray(W * H);
    expect(await pool.focusMeasure('brenner', view, W, H)).toBe(score);
    expect(big.byteLength).toBe(W * H * 4);

    // The same frame as reference and moving: one buffer cannot be transferred twice.
    const same = renderBlobs(W, H, texture(W, H, 300, 4), { noiseSigma: 5, seed: 3 });
    const r = await pool.register(same, same, W, H);
    expect(Math.hypot(r.dxPx, r.dyPx)).toBeLessThan(0.05);
  });

  it('runs jobs on several threads and fails pending ones at close', async () => {
    pool = new AnalysisPool(2);
    const jobs = Array.from({ length: 6 }, () => pool!.findRois(frame(), W, H));
    const results = await Promise.all(jobs);
    for (const r of results) expect(r).toHaveLength(2);
    expect(pool.threads).toBe(2);
    const late = Array.from({ length: 4 }, () =>
      pool!.findRois(frame(), W, H).then(
        () => 'finished',
        (err: Error) => err.message,
      ),
    );
    await pool.close();
    for (const outcome of await Promise.all(late)) expect(outcome).toMatch(/analysis pool closed/);
    await expect(pool.focusMeasure('brenner', frame(), W, H)).rejects.toThrow(/is closed/);
  });
});
