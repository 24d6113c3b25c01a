/** The laser wire drivers as the host creates them: from a config entry, through the driver registry. */
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyDevice } from '../../../drivers/devices';
import { ValidationError } from '../../../drivers/errors';
import { createDevice, type DriverContext } from '../../../drivers/registry';
import { SimWorld } from '../../../drivers/sim/world';

describe('laser drivers in the registry', () => {
  const devices: AnyDevice[] = [];
  afterEach(async () => {
    for (const d of devices.splice(0)) await d.disconnect();
  });

  const world = new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 1_000 });
  const logs: string[] = [];
  const ctx: DriverContext = { simWorld: () => world, log: (l, m) => logs.push(`${l} ${m}`) };

  it.each([
    ['obis', { port: 'sim:obis', cdrhDelay: 'off', wavelengthNm: 561, maxPowerMw: 100 }],
    ['cobolt', { port: 'sim:cobolt', wavelengthNm: 640, maxPowerMw: 120 }],
  ] as const)('%s with a sim: port drives the shared world', async (driver, options) => {
    const id = `${driver}-laser`;
    const d = createDevice({ id, kind: 'laser', driver, options: { ...options } }, ctx);
    devices.push(d);
    if (d.kind !== 'laser') throw new Error('expected a laser');
    await d.connect();
    await d.setPowerMw(10);
    await d.setEmission(true);
    expect(world.lasers.get(id)).toMatchObject({
      wavelengthNm: options.wavelengthNm,
      emission: true,
      powerMw: 10,
    });
    expect(world.emittedPowerByWavelength().get(options.wavelengthNm)).toBeCloseTo(10, 6);
    await d.setEmission(false);
    expect(logs.some((l) => l.startsWith(`debug [${id}] tx`))).toBe(true);
  });

  it('refuses a laser driver as another device kind', () => {
    expect(() =>
      createDevice({ id: 's', kind: 'xy-stage', driver: 'obis', options: { port: '/dev/x' } }, ctx),
    ).toThrow(ValidationError);
  });
});
