/** Contract every Laser implementation passes. */
import { describe, expect, it } from 'vitest';
import type { Laser } from '../../../drivers/devices';
import { rejection, useDevice, withTimeout, type MakeDevice } from './fixture';

export interface LaserContractOptions {
  /** Allowed difference between set and read-back power, mW (default 1 % of max). */
  powerToleranceMw?: number;
  timeoutMs?: number;
}

export function laserContract(
  name: string,
  make: MakeDevice<Laser>,
  options: LaserContractOptions = {},
): void {
  const timeoutMs = options.timeoutMs ?? 10_000;

  describe(`Laser contract: ${name}`, () => {
    const laser = useDevice(make);
    const connected = async () => {
      const l = laser();
      await withTimeout(l.connect(), timeoutMs, 'connect');
      return l;
    };
    const tolOf = (l: Laser) => options.powerToleranceMw ?? l.maxPowerMw * 0.01;

    it('connects with identity, wavelength and maximum power', async () => {
      const l = laser();
      const id = await withTimeout(l.connect(), timeoutMs, 'connect');
      expect(l.kind).toBe('laser');
      expect(id.model.length).toBeGreaterThan(0);
      expect(id.serial.length).toBeGreaterThan(0);
      expect(l.wavelengthNm).toBeGreaterThan(200);
      expect(l.wavelengthNm).toBeLessThan(2_000);
      expect(l.maxPowerMw).toBeGreaterThan(0);
      expect(Number.isFinite(l.maxPowerMw)).toBe(true);
    });

    it('has emission off after connect', async () => {
      const l = await connected();
      expect(await withTimeout(l.getEmission(), timeoutMs, 'getEmission')).toBe(false);
    });

    it('is switched off by a re-connect, whatever it was doing before', async () => {
      const l = await connected();
      await withTimeout(l.setEmission(true), timeoutMs, 'setEmission(true)');
      await l.disconnect();
      await withTimeout(l.connect(), timeoutMs, 're-connect');
      expect(await withTimeout(l.getEmission(), timeoutMs, 'getEmission')).toBe(false);
    });

    it('reports its interlock as closed, open or unknown', async () => {
      const l = await connected();
      expect(['closed', 'open', 'unknown']).toContain(
        await withTimeout(l.getInterlock(), timeoutMs, 'getInterlock'),
      );
    });

    it('round-trips emission on and off', async () => {
      const l = await connected();
      await withTimeout(l.setEmission(true), timeoutMs, 'setEmission(true)');
      expect(await l.getEmission()).toBe(true);
      await withTimeout(l.setEmission(false), timeoutMs, 'setEmission(false)');
      expect(await l.getEmission()).toBe(false);
    });

    it('round-trips power across its range', async () => {
      const l = await connected();
      for (const f of [0.5, 0, 1, 0.1]) {
        const p = l.maxPowerMw * f;
        await withTimeout(l.setPowerMw(p), timeoutMs, `setPowerMw(${p})`);
        expect(Math.abs((await l.getPowerMw()) - p)).toBeLessThanOrEqual(tolOf(l));
      }
    });

    it('refuses power beyond its maximum or below zero with E_LIMIT, keeping the setpoint', async () => {
      const l = await connected();
      const p = l.maxPowerMw * 0.25;
      await l.setPowerMw(p);
      const over = await rejection(l.setPowerMw(l.maxPowerMw * 1.5 + 1));
      expect(over.code).toBe('E_LIMIT');
      expect(over.message).toMatch(/mW/);
      expect((await rejection(l.setPowerMw(-1))).code).toBe('E_LIMIT');
      expect(Math.abs((await l.getPowerMw()) - p)).toBeLessThanOrEqual(tolOf(l));
    });
  });
}
