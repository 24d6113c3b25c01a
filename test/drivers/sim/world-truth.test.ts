import { describe, expect, it } from 'vitest';
import { EMITTER_STRIDE, sampleFor } from '../../../drivers/sim/sample';
import { SimWorld, type SimWorldOptions } from '../../../drivers/sim/world';
import { psfSigmaUm } from '../../../drivers/sim/optics';

/** A world on a test clock (ms) that only moves when the test says. */
function worldAt(options: Partial<SimWorldOptions> = {}) {
  let now = 0;
  const world = new SimWorld({
    seed: 5,
    cellCount: 200,
    slideHalfWidthUm: 1_000,
    clock: () => now,
    ...options,
  });
  return { world, advanceMin: (min: number) => (now += min * 60_000) };
}

const coverslip = { tiltXUmPerMm: 2, tiltYUmPerMm: -1, curvatureUmPerMm2: 0.5, offsetUm: 20 };
const still = { zUmPerMin: 0, zStepProbPerMin: 0, zStepUm: 0, xyUmPerMin: 0 };

/** Mean position (px) and median sigma of one cell's emitters in a 512² field at the stage position. */
function imageOfCell(world: SimWorld, cell: { xUm: number; yUm: number }, focusUm: number) {
  const em = sampleFor(world).expose({
    fov: {
      centreXUm: cell.xUm,
      centreYUm: cell.yUm,
      pixelUm: 0.2,
      sensorWidthPx: 512,
      sensorHeightPx: 512,
      roi: { xPx: 0, yPx: 0, widthPx: 512, heightPx: 512 },
    },
    focusUm,
    atMs: world.clock(),
    exposureMs: 10,
    powerByNm: new Map([[488, 10]]),
    bleach: false,
  });
  let sx = 0;
  let sy = 0;
  const sigmas: number[] = [];
  for (let k = 0; k < em.length; k += EMITTER_STRIDE) {
    sx += em[k] ?? 0;
    sy += em[k + 1] ?? 0;
    sigmas.push(em[k + 2] ?? 0);
  }
  const n = sigmas.length;
  sigmas.sort((a, b) => a - b);
  return { n, xPx: sx / n, yPx: sy / n, sigmaPx: sigmas[n >> 1] ?? NaN };
}

describe('SimWorld ground truth', () => {
  it('puts focus on the configured coverslip: offset, tilt and curvature', () => {
    const { world } = worldAt({ coverslip, drift: still });
    expect(world.truth.focusZUm(0, 0)).toBeCloseTo(20, 9);
    expect(world.truth.focusZUm(1_000, 0)).toBeCloseTo(20 + 2 + 0.5, 9);
    expect(world.truth.focusZUm(0, -2_000)).toBeCloseTo(20 + 2 + 0.5 * 4, 9);
  });

  it('drifts in z with the world clock: deterministic per seed, rate within ±50 %', () => {
    const drift = { ...still, zUmPerMin: 0.1 };
    const a = worldAt({ coverslip, drift });
    const b = worldAt({ coverslip, drift });
    const c = worldAt({ coverslip, drift, seed: 6 });
    for (const w of [a, b, c]) w.advanceMin(30);
    const za = a.world.truth.focusZUm(0, 0) - 20;
    expect(za).toBeGreaterThan(0.1 * 30 * 0.5);
    expect(za).toBeLessThan(0.1 * 30 * 1.5);
    expect(b.world.truth.focusZUm(0, 0) - 20).toBe(za);
    expect(c.world.truth.focusZUm(0, 0) - 20).not.toBe(za);
  });

  it('adds abrupt focus steps of the configured size', () => {
    const { world, advanceMin } = worldAt({
      coverslip,
      drift: { ...still, zStepProbPerMin: 1, zStepUm: 0.5 },
    });
    let before = world.truth.focusZUm(0, 0);
    for (let m = 0; m < 10; m++) {
      advanceMin(1);
      const after = world.truth.focusZUm(0, 0);
      expect(Math.abs(after - before)).toBeCloseTo(0.5, 9);
      before = after;
    }
  });

  it('moves the sample relative to the stage: the camera sees a cell where the truth says it is', () => {
    const { world, advanceMin } = worldAt({ drift: { ...still, xyUmPerMin: 2 } });
    const [cell] = world.truth.cellsIn({
      xUm: -1_000,
      yUm: -1_000,
      widthUm: 2_000,
      heightUm: 2_000,
    });
    if (!cell) throw new Error('no cell');
    const before = imageOfCell(world, cell, world.truth.focusZUm(cell.xUm, cell.yUm));
    advanceMin(10);
    expect(Math.hypot(world.truth.xyDriftUm().xUm, world.truth.xyDriftUm().yUm)).toBeCloseTo(20, 6);
    const moved = world.truth.cellsIn({
      xUm: cell.xUm - 50,
      yUm: cell.yUm - 50,
      widthUm: 100,
      heightUm: 100,
    });
    const now = moved.find((c) => c.radiusUm === cell.radiusUm);
    if (!now) throw new Error('cell lost');
    expect(Math.hypot(now.xUm - cell.xUm, now.yUm - cell.yUm)).toBeCloseTo(20, 6);
    // Imaged at its new stage position, the cell sits where it did in the frame.
    const after = imageOfCell(world, now, world.truth.focusZUm(now.xUm, now.yUm));
    expect(after.xPx).toBeCloseTo(before.xPx, 3);
    expect(after.yPx).toBeCloseTo(before.yPx, 3);
    // At the old stage position it is 20 µm = 100 px away.
    const old = imageOfCell(world, cell, world.truth.focusZUm(cell.xUm, cell.yUm));
    expect(Math.hypot(old.xPx - before.xPx, old.yPx - before.yPx)).toBeGreaterThan(90);
  });

  it('blurs the camera image by the distance from truth.focusZUm, not from z = 0', () => {
    const { world } = worldAt({ coverslip, drift: still });
    const [cell] = world.truth.cellsIn({
      xUm: -1_000,
      yUm: -1_000,
      widthUm: 2_000,
      heightUm: 2_000,
    });
    if (!cell) throw new Error('no cell');
    const focus = world.truth.focusZUm(cell.xUm, cell.yUm);
    const sharp = imageOfCell(world, cell, focus).sigmaPx;
    expect(imageOfCell(world, cell, 0).sigmaPx).toBeGreaterThan(5 * sharp);
    expect(imageOfCell(world, cell, focus + 3).sigmaPx).toBeGreaterThan(2 * sharp);
  });

  it('quotes a depth of field consistent with the defocus model', () => {
    const { world } = worldAt();
    const dof = world.truth.depthOfFieldUm;
    expect(dof).toBeGreaterThan(0.2);
    expect(dof).toBeLessThan(1);
    const s0 = psfSigmaUm(510, 0);
    expect(psfSigmaUm(510, dof / 2)).toBeCloseTo(Math.SQRT2 * s0, 9);
  });
});

describe('sample types', () => {
  const all = { xUm: -1_000, yUm: -1_000, widthUm: 2_000, heightUm: 2_000 };
  const fields = (world: SimWorld, sizeUm: number) => {
    const counts: number[] = [];
    for (let x = -1_000; x < 1_000; x += sizeUm)
      for (let y = -1_000; y < 1_000; y += sizeUm)
        counts.push(
          world.truth.cellsIn({ xUm: x, yUm: y, widthUm: sizeUm, heightUm: sizeUm }).length,
        );
    return counts;
  };

  it('keeps the original cells by default and is deterministic for every type', () => {
    for (const sample of ['cells', 'sparse-cells', 'beads', 'dense-tissue'] as const) {
      const a = worldAt({ sample, slideHalfWidthUm: 300 }).world.truth.cellsIn(all);
      const b = worldAt({ sample, slideHalfWidthUm: 300 }).world.truth.cellsIn(all);
      expect(a.length, sample).toBeGreaterThan(0);
      expect(b, sample).toEqual(a);
    }
    const byDefault = worldAt().world.truth.cellsIn(all);
    expect(worldAt({ sample: 'cells' }).world.truth.cellsIn(all)).toEqual(byDefault);
    expect(byDefault).toHaveLength(200);
  });

  it('sparse-cells: separate cells, most 100 µm fields empty', () => {
    const { world } = worldAt({ sample: 'sparse-cells' });
    const cells = world.truth.cellsIn(all);
    expect(cells).toHaveLength(200);
    for (const [i, a] of cells.entries())
      for (const b of cells.slice(i + 1))
        expect(Math.hypot(a.xUm - b.xUm, a.yUm - b.yUm)).toBeGreaterThan(a.radiusUm + b.radiusUm);
    const counts = fields(world, 100);
    expect(counts.filter((n) => n === 0).length / counts.length).toBeGreaterThan(0.6);
  });

  it('dense-tissue: packed cells in every field', () => {
    const { world } = worldAt({ sample: 'dense-tissue', slideHalfWidthUm: 500 });
    const inner = world.truth.cellsIn({ xUm: -100, yUm: -100, widthUm: 200, heightUm: 200 });
    expect(inner.length).toBeGreaterThan(150);
  });

  it('beads: one diffraction-limited point per dye', () => {
    const { world } = worldAt({ sample: 'beads', cellCount: 50, coverslip, drift: still });
    const [bead] = world.truth.cellsIn(all);
    if (!bead) throw new Error('no bead');
    const img = imageOfCell(world, bead, world.truth.focusZUm(bead.xUm, bead.yUm));
    expect(img.n).toBeGreaterThanOrEqual(1);
    expect(img.sigmaPx).toBeCloseTo(psfSigmaUm(510, 0) / 0.2, 1);
    expect(img.xPx).toBeCloseTo(256, 1);
  });

  it('empty: nothing anywhere', () => {
    const { world } = worldAt({ sample: 'empty' });
    expect(world.truth.cellsIn(all)).toEqual([]);
    expect(imageOfCell(world, { xUm: 0, yUm: 0 }, 0).n).toBe(0);
  });

  it('leaves holes in the carrier empty', () => {
    const hole = { xUm: 0, yUm: 0, radiusUm: 400 };
    const { world } = worldAt({ coverslip: { ...coverslip, holes: [hole] } });
    const cells = world.truth.cellsIn(all);
    expect(cells.length).toBeGreaterThan(100);
    for (const c of cells) expect(Math.hypot(c.xUm, c.yUm)).toBeGreaterThan(hole.radiusUm);
  });
});

describe('sample layout limits', () => {
  it('refuses a sparse-cell count that cannot fit without overlap, saying what to change', () => {
    const { world } = worldAt({ sample: 'sparse-cells', cellCount: 500, slideHalfWidthUm: 50 });
    expect(() => world.truth.cellsIn({ xUm: 0, yUm: 0, widthUm: 1, heightUm: 1 })).toThrow(
      /cannot place 500 sparse cells without overlap within ±50 µm.*raise slideHalfWidthUm/,
    );
  });
});

describe('default world', () => {
  it('matches the original simulator (values recorded from it before coverslip/drift options)', () => {
    const s = sampleFor(new SimWorld({ seed: 7, cellCount: 3000, slideHalfWidthUm: 1500 }));
    expect(s.focalSurfaceUm(1000, -700, 600_000)).toBe(0.17401910234867735);
    expect(s.cellCentreUm(42)).toEqual({
      xUm: -191.49291096255183,
      yUm: -741.0930446349084,
      radiusUm: 5.638671081978828,
    });
  });
});
