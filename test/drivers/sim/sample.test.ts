import { describe, expect, it } from 'vitest';
import { DYES, excitationEfficiency } from '../../../drivers/sim/optics';
import {
  EMITTER_STRIDE,
  VirtualSample,
  type ExposureInput,
  type FieldOfView,
} from '../../../drivers/sim/sample';

const options = { seed: 11, cellCount: 300, slideHalfWidthUm: 1_500 };

function fovAt(sample: VirtualSample, cell = 0, dxUm = 0): FieldOfView {
  const c = sample.cellCentreUm(cell);
  if (!c) throw new Error('no cell');
  return {
    centreXUm: c.xUm + dxUm,
    centreYUm: c.yUm,
    pixelUm: 0.2,
    sensorWidthPx: 256,
    sensorHeightPx: 256,
    roi: { xPx: 0, yPx: 0, widthPx: 256, heightPx: 256 },
  };
}

function exposure(fov: FieldOfView, over: Partial<ExposureInput> = {}): ExposureInput {
  return {
    fov,
    focusUm: 0,
    atMs: 0,
    exposureMs: 10,
    powerByNm: new Map([[488, 10]]),
    bleach: false,
    ...over,
  };
}

const field = (em: Float32Array, k: number) =>
  Array.from({ length: em.length / EMITTER_STRIDE }, (_, i) => em[i * EMITTER_STRIDE + k] ?? 0);
const total = (em: Float32Array) => field(em, 3).reduce((a, b) => a + b, 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

describe('VirtualSample', () => {
  it('is deterministic from the seed', () => {
    const a = new VirtualSample(options);
    const b = new VirtualSample(options);
    const c = new VirtualSample({ ...options, seed: 12 });
    expect(a.cellCentreUm(5)).toEqual(b.cellCentreUm(5));
    expect(a.cellCentreUm(5)).not.toEqual(c.cellCentreUm(5));
    const ea = a.expose(exposure(fovAt(a)));
    expect(ea.length).toBeGreaterThan(50 * EMITTER_STRIDE);
    expect(Array.from(b.expose(exposure(fovAt(b))))).toEqual(Array.from(ea));
  });

  it('places cellCount cells within the slide half-width', () => {
    const s = new VirtualSample(options);
    for (let i = 0; i < options.cellCount; i++) {
      const c = s.cellCentreUm(i);
      expect(Math.abs(c?.xUm ?? Infinity)).toBeLessThanOrEqual(options.slideHalfWidthUm);
      expect(Math.abs(c?.yUm ?? Infinity)).toBeLessThanOrEqual(options.slideHalfWidthUm);
    }
    expect(s.cellCentreUm(options.cellCount)).toBeUndefined();
    expect(s.cellsIn(-1_500, -1_500, 1_500, 1_500)).toHaveLength(options.cellCount);
  });

  it('has a tilted focal surface that drifts with time', () => {
    const s = new VirtualSample(options);
    expect(s.focalSurfaceUm(0, 0, 0)).toBe(0);
    const tiltPerMm =
      Math.abs(s.focalSurfaceUm(1_000, 0, 0)) + Math.abs(s.focalSurfaceUm(0, 1_000, 0));
    expect(tiltPerMm).toBeGreaterThan(0);
    expect(tiltPerMm).toBeLessThanOrEqual(2);
    const after30Min = Math.abs(s.focalSurfaceUm(0, 0, 30 * 60_000));
    expect(after30Min).toBeGreaterThan(0.8);
    expect(after30Min).toBeLessThan(4);
  });

  it('widens spots as focus leaves the focal surface', () => {
    const s = new VirtualSample(options);
    const fov = fovAt(s);
    const c = s.cellCentreUm(0);
    const inFocus = s.focalSurfaceUm(c?.xUm ?? 0, c?.yUm ?? 0, 0);
    const sigma = (dz: number) =>
      median(field(s.expose(exposure(fov, { focusUm: inFocus + dz })), 2));
    expect(sigma(4)).toBeGreaterThan(2 * sigma(0));
    expect(sigma(-4)).toBeGreaterThan(2 * sigma(0));
    expect(sigma(8)).toBeGreaterThan(sigma(4));
  });

  it('gives signal proportional to laser power and exposure, and none without light', () => {
    const s = new VirtualSample(options);
    const fov = fovAt(s);
    const at = (mw: number) => total(s.expose(exposure(fov, { powerByNm: new Map([[488, mw]]) })));
    expect(at(20) / at(10)).toBeCloseTo(2, 5);
    const during = (ms: number) => total(s.expose(exposure(fov, { exposureMs: ms })));
    expect(during(30) / during(10)).toBeCloseTo(3, 5);
    expect(s.expose(exposure(fov, { powerByNm: new Map() }))).toHaveLength(0);
  });

  it('bleaches with dose, and bleached emitters stay dark', () => {
    const s = new VirtualSample(options);
    const fov = fovAt(s);
    const strong = { powerByNm: new Map([[488, 1_000]]), exposureMs: 100, bleach: true };
    const first = total(s.expose(exposure(fov, strong)));
    for (let i = 0; i < 8; i++) s.expose(exposure(fov, strong));
    const later = total(s.expose(exposure(fov, strong)));
    expect(later).toBeLessThan(0.4 * first);
    // A look without dose (bleach: false) neither recovers nor bleaches further.
    const probe = exposure(fov, { ...strong, bleach: false });
    const rested = total(s.expose(probe));
    expect(rested).toBeLessThanOrEqual(later);
    expect(total(s.expose(probe))).toBe(rested);
    expect(s.cellDoseMwMs(0)).toBeGreaterThan(0);
  });

  it('maps a stage move of +x to content moving toward −x in the image', () => {
    const s = new VirtualSample(options);
    const a = s.expose(exposure(fovAt(s, 0, 0)));
    const b = s.expose(exposure(fovAt(s, 0, 4))); // 4 µm = 20 px at 0.2 µm/px
    const mx = (em: Float32Array) => field(em, 0).reduce((p, q) => p + q, 0) / (em.length / 5);
    expect(mx(b) - mx(a)).toBeCloseTo(-20, 0);
    const my = (em: Float32Array) => field(em, 1).reduce((p, q) => p + q, 0) / (em.length / 5);
    expect(my(b)).toBeCloseTo(my(a), 3);
  });
});

describe('dyes', () => {
  it('are excited mainly by their own line, with weak cross-excitation', () => {
    const [dapi, gfp, mcherry, cy5] = DYES;
    if (!dapi || !gfp || !mcherry || !cy5) throw new Error('four dyes expected');
    expect(excitationEfficiency(dapi, 405)).toBe(1);
    expect(excitationEfficiency(gfp, 488)).toBe(1);
    expect(excitationEfficiency(mcherry, 561)).toBe(1);
    expect(excitationEfficiency(cy5, 640)).toBe(1);
    expect(excitationEfficiency(gfp, 405)).toBeGreaterThan(0);
    expect(excitationEfficiency(gfp, 405)).toBeLessThan(0.2);
    expect(excitationEfficiency(dapi, 640)).toBe(0);
  });
});
