import { describe, expect, it } from 'vitest';
import { SimFocusSensor } from '../../../drivers/sim/focus-sensor';
import { SimWorld, type SimWorldOptions } from '../../../drivers/sim/world';
import { createDevice } from '../../../drivers/registry';

const coverslip = {
  tiltXUmPerMm: 3,
  tiltYUmPerMm: 0,
  curvatureUmPerMm2: 0,
  offsetUm: 10,
  holes: [{ xUm: 2_000, yUm: 0, radiusUm: 200 }],
};
const still = { zUmPerMin: 0, zStepProbPerMin: 0, zStepUm: 0, xyUmPerMin: 0 };

async function rig(
  sensorOptions: Record<string, unknown> = {},
  world: Partial<SimWorldOptions> = {},
) {
  let now = 0;
  const w = new SimWorld({
    seed: 2,
    cellCount: 10,
    slideHalfWidthUm: 1_000,
    coverslip,
    drift: still,
    clock: () => now,
    ...world,
  });
  const sensor = new SimFocusSensor('pfs', w, sensorOptions);
  await sensor.connect();
  const at = (xUm: number, zUm: number) => {
    w.stage.setPositionUm([xUm, 0]);
    w.focus.setPositionUm([zUm]);
  };
  /** Mean of n readings (null if any is null). */
  const mean = async (n = 20) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const r = await sensor.read();
      if (r.positionPx === null) return null;
      sum += r.positionPx;
    }
    return sum / n;
  };
  return { w, sensor, at, mean, advanceMin: (m: number) => (now += m * 60_000) };
}

describe('SimFocusSensor', () => {
  it('moves the spot by pxPerUm per µm of objective–coverslip distance, centred in focus', async () => {
    const r = await rig({ pxPerUm: 25, noisePx: 0.2 });
    r.at(0, 10);
    expect(await r.mean()).toBeCloseTo(r.sensor.rangePx.max / 2 + 0.5, 0);
    r.at(0, 11);
    const up = (await r.mean()) ?? NaN;
    r.at(0, 9);
    const down = (await r.mean()) ?? NaN;
    expect((up - down) / 2).toBeGreaterThan(24.5);
    expect((up - down) / 2).toBeLessThan(25.5);
  });

  it('follows the coverslip under the objective (tilt) and the thermal drift (world clock)', async () => {
    const r = await rig({}, { drift: { ...still, zUmPerMin: 0.2 } });
    r.at(0, 10);
    const here = (await r.mean()) ?? NaN;
    r.at(500, 10); // coverslip 1.5 µm higher: the objective is 1.5 µm closer
    expect(((await r.mean()) ?? NaN) - here).toBeCloseTo(-1.5 * 40, -1);
    r.at(0, 10);
    r.advanceMin(10);
    const drift = r.w.truth.focusZUm(0, 0) - 10;
    expect(Math.abs(drift)).toBeGreaterThan(0.5);
    expect(((await r.mean()) ?? NaN) - here).toBeCloseTo(-drift * 40, -1);
  });

  it('has no usable reading beyond its capture range, over a hole, or when blocked', async () => {
    const r = await rig({ pxPerUm: 40, sensorPx: 1024 }); // ±12.8 µm
    r.at(0, 10 + 14);
    expect((await r.sensor.read()).positionPx).toBeNull();
    r.at(0, 10 - 14);
    expect((await r.sensor.read()).positionPx).toBeNull();
    r.at(0, 10 + 12);
    expect((await r.sensor.read()).positionPx).not.toBeNull();
    r.at(2_000, r.w.truth.focusZUm(2_000, 0));
    const overHole = await r.sensor.read();
    expect(overHole.positionPx).toBeNull();
    expect(overHole.signal).toBeLessThan(0.05);
    r.at(0, 10);
    r.sensor.blocked = true;
    expect((await r.sensor.read()).positionPx).toBeNull();
    r.sensor.blocked = false;
    expect((await r.sensor.read()).positionPx).not.toBeNull();
  });

  it('is created by the registry as the sim driver and validates its options', () => {
    const world = new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 10 });
    const ctx = { simWorld: () => world, log: () => undefined };
    const spec = { id: 'pfs', kind: 'focus-sensor' as const, driver: 'sim', options: {} };
    expect(createDevice(spec, ctx).kind).toBe('focus-sensor');
    expect(() => createDevice({ ...spec, options: { pxPerUm: 0 } }, ctx)).toThrow(
      /device "pfs" options.*pxPerUm.*must not be 0/s,
    );
    expect(() => createDevice({ ...spec, options: { sensorPx: 'big' } }, ctx)).toThrow(/sensorPx/);
  });
});
