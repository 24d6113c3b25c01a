import { describe, expect, it } from 'vitest';
import {
  autofocus,
  COARSE_POINTS,
  type AutofocusOptions,
  type FocusTarget,
} from '../../../electron/automation/autofocus';
import { normal, uniform } from '../../../drivers/sim/rng';

type Curve = (zUm: number) => number;

/** Point-like content: a Lorentzian of half-width w over a floor. */
const lorentz =
  (z0: number, w = 0.3, peak = 5, floor = 0.01): Curve =>
  (z) =>
    floor + (peak - floor) / (1 + ((z - z0) / w) ** 2);
/** A broad Gaussian top with Lorentzian-ish tails (thick content). */
const broad =
  (z0: number): Curve =>
  (z) =>
    1 + 3 * Math.exp(-(((z - z0) / 1.5) ** 2) / 2) + 0.5 / (1 + ((z - z0) / 4) ** 2);

interface Fake {
  target: FocusTarget;
  moves: number[];
  zUm: () => number;
}

function fake(
  curve: Curve,
  startUm: number,
  o: { noise?: number; seed?: number; limits?: [number, number] } = {},
): Fake {
  let z = startUm;
  const moves: number[] = [];
  const rand = uniform(o.seed ?? 1);
  const [min, max] = o.limits ?? [-200, 200];
  return {
    moves,
    zUm: () => z,
    target: {
      positionUm: async () => z,
      moveToUm: async (v) => {
        moves.push(v);
        z = v;
      },
      score: async () => {
        const s = curve(z);
        return s * (1 + (o.noise ?? 0) * normal(rand));
      },
      limitsUm: { min, max },
    },
  };
}

const opts: AutofocusOptions = { rangeUm: 20, toleranceUm: 0.1, measure: 'normalized-variance' };

describe('autofocus', () => {
  it('finds a Lorentzian peak from 60 random starts within ±20 µm, in few images', async () => {
    const rand = uniform(42);
    const images: number[] = [];
    for (let i = 0; i < 60; i++) {
      const z0 = (rand() * 2 - 1) * 50;
      const start = z0 + (rand() * 2 - 1) * 19;
      const f = fake(lorentz(z0), start, { noise: 0.003, seed: i + 1 });
      const r = await autofocus(f.target, opts);
      // The model is exact here: well inside the tolerance (a fit from one side of the
      // peak only was off by 0.044 µm here).
      expect(Math.abs(r.zUm - z0)).toBeLessThan(opts.toleranceUm / 4);
      expect(f.zUm()).toBe(r.zUm);
      expect(r.startZUm).toBe(start);
      expect(r.curve).toHaveLength(r.images);
      expect(r.peakScore).toBeGreaterThan(4);
      images.push(r.images);
    }
    const mean = images.reduce((a, b) => a + b, 0) / images.length;
    // A bounded golden-section search needs ≥ 14 images for 40 µm → 0.1 µm.
    expect(mean).toBeLessThan(11);
  });

  it('finds a broad, noisy top within tolerance', async () => {
    const rand = uniform(7);
    for (let i = 0; i < 30; i++) {
      const z0 = (rand() * 2 - 1) * 10;
      const f = fake(broad(z0), z0 + (rand() * 2 - 1) * 18, { noise: 0.002, seed: 100 + i });
      const r = await autofocus(f.target, { ...opts, toleranceUm: 0.25 });
      expect(Math.abs(r.zUm - z0)).toBeLessThan(0.25);
    }
  });

  it('never commands Z outside the limits, starting near them', async () => {
    const rand = uniform(9);
    for (let i = 0; i < 30; i++) {
      const limits: [number, number] = [-10, 10];
      const z0 = -9 + rand() * 18;
      const start = i % 2 ? limits[1] - rand() * 2 : limits[0] + rand() * 2;
      const f = fake(lorentz(z0, 0.5), start, { limits, seed: i + 1 });
      const r = await autofocus(f.target, opts);
      expect(Math.abs(r.zUm - z0)).toBeLessThan(opts.toleranceUm);
      for (const m of f.moves) {
        expect(m).toBeGreaterThanOrEqual(limits[0]);
        expect(m).toBeLessThanOrEqual(limits[1]);
      }
    }
  });

  it('fails a flat, noisy curve clearly and returns Z to the start', async () => {
    const f = fake(() => 0.01, 3, { noise: 0.002 });
    const err = await autofocus(f.target, opts).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_AUTOFOCUS' });
    expect((err as Error).message).toMatch(
      /^no focus found in ±20 µm; peak contrast \S+ vs noise \S+ .*normalized-variance, 5 images/,
    );
    expect(f.zUm()).toBe(3);
    expect(f.moves).toHaveLength(COARSE_POINTS + 1);
  });

  it('fails when the focus lies beyond the searched range, and returns to the start', async () => {
    const f = fake(lorentz(30, 2), 0, { seed: 3 });
    await expect(autofocus(f.target, opts)).rejects.toMatchObject({
      code: 'E_AUTOFOCUS',
      message: expect.stringMatching(/edge of the search range -20\.\.20 µm/),
    });
    expect(f.zUm()).toBe(0);
  });

  it('stops at maxImages with E_AUTOFOCUS', async () => {
    const f = fake(lorentz(1.234), 0, { noise: 0.2, seed: 5 });
    await expect(
      autofocus(f.target, { ...opts, toleranceUm: 0.001, maxImages: 7 }),
    ).rejects.toMatchObject({
      code: 'E_AUTOFOCUS',
      message: expect.stringMatching(/did not converge to ±0.001 µm within 7 images/),
    });
    expect(f.zUm()).toBe(0);
  });

  it('stops on abort without moving back', async () => {
    const ac = new AbortController();
    const f = fake(lorentz(2), 0);
    const score = f.target.score;
    let n = 0;
    f.target.score = async () => {
      if (++n === 3) ac.abort();
      return score();
    };
    await expect(autofocus(f.target, opts, ac.signal)).rejects.toMatchObject({
      code: 'E_CANCELLED',
    });
    expect(f.moves).toHaveLength(3);
  });

  it('rejects bad options and a start outside the limits before moving', async () => {
    const f = fake(lorentz(0), 0);
    await expect(autofocus(f.target, { ...opts, rangeUm: -1 })).rejects.toMatchObject({
      code: 'E_INVALID',
    });
    await expect(autofocus(f.target, { ...opts, toleranceUm: 30 })).rejects.toMatchObject({
      code: 'E_INVALID',
    });
    await expect(autofocus(f.target, { ...opts, measure: 'sharp' as 'brenner' })).rejects.toThrow(
      /unknown focus measure "sharp"/,
    );
    const outside = fake(lorentz(0), 250);
    await expect(autofocus(outside.target, opts)).rejects.toMatchObject({ code: 'E_LIMIT' });
    expect(f.moves).toEqual([]);
    expect(outside.moves).toEqual([]);
  });
});
