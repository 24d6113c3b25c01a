/** Contract every FocusSensor implementation passes (at a position where it has signal). */
import { describe, expect, it } from 'vitest';
import type { DeviceEvent, FocusSensor } from '../../../drivers/devices';
import { rejection, useDevice, withTimeout, type MakeDevice } from './fixture';

export function focusSensorContract(
  name: string,
  make: MakeDevice<FocusSensor>,
  options: { timeoutMs?: number } = {},
): void {
  const timeoutMs = options.timeoutMs ?? 10_000;

  describe(`FocusSensor contract: ${name}`, () => {
    const sensor = useDevice(make);
    const connected = async () => {
      const d = sensor();
      await withTimeout(d.connect(), timeoutMs, 'connect');
      return d;
    };

    it('connects, reports identity and announces the connection', async () => {
      const d = sensor();
      const events: DeviceEvent[] = [];
      d.subscribe((e) => events.push(e));
      const id = await withTimeout(d.connect(), timeoutMs, 'connect');
      expect(d.kind).toBe('focus-sensor');
      for (const field of ['vendor', 'model', 'serial', 'firmware'] as const) {
        expect(id[field].length).toBeGreaterThan(0);
      }
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'connection', state: 'connected' }),
      );
    });

    it('reads a spot position within its range, a signal in 0..1 and a timestamp', async () => {
      const d = await connected();
      expect(d.rangePx.max).toBeGreaterThan(d.rangePx.min);
      const r = await withTimeout(d.read(), timeoutMs, 'read');
      expect(r.positionPx).not.toBeNull();
      expect(r.positionPx ?? NaN).toBeGreaterThanOrEqual(d.rangePx.min);
      expect(r.positionPx ?? NaN).toBeLessThanOrEqual(d.rangePx.max);
      expect(r.signal).toBeGreaterThan(0);
      expect(r.signal).toBeLessThanOrEqual(1);
      expect(Number.isFinite(r.timestampMs)).toBe(true);
    });

    it('refuses reads after disconnect with E_DISCONNECTED', async () => {
      const d = await connected();
      await d.disconnect();
      const err = await rejection(withTimeout(d.read(), timeoutMs, 'read'));
      expect(err.code).toBe('E_DISCONNECTED');
    });
  });
}
