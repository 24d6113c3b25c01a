/** Contract every ZDrive (focus) implementation passes; targets relative to the start. */
import { describe, expect, it } from 'vitest';
import type { DeviceEvent, ZDrive } from '../../../drivers/devices';
import { rejection, sleep, useDevice, waitUntil, withTimeout, type MakeDevice } from './fixture';

export interface ZDriveContractOptions {
  /** Offset of a short move, µm. */
  shortMoveUm?: number;
  /** Offset of a move that lasts ≥ ~150 ms, µm. */
  longMoveUm?: number;
  /** An absolute target beyond the travel (refused with E_LIMIT); omit to skip. */
  outOfRangeUm?: number;
  toleranceUm?: number;
  timeoutMs?: number;
}

export function zDriveContract(
  name: string,
  make: MakeDevice<ZDrive>,
  options: ZDriveContractOptions = {},
): void {
  const shortMove = options.shortMoveUm ?? 12.5;
  const longMove = options.longMoveUm ?? 150;
  const tol = options.toleranceUm ?? 0.05;
  const timeoutMs = options.timeoutMs ?? 10_000;

  describe(`ZDrive contract: ${name}`, () => {
    const drive = useDevice(make);
    const connected = async () => {
      const d = drive();
      await withTimeout(d.connect(), timeoutMs, 'connect');
      return d;
    };

    it('connects, reports identity and announces the connection', async () => {
      const d = drive();
      const events: DeviceEvent[] = [];
      d.subscribe((e) => events.push(e));
      const id = await withTimeout(d.connect(), timeoutMs, 'connect');
      expect(d.kind).toBe('z-drive');
      for (const field of ['vendor', 'model', 'serial', 'firmware'] as const) {
        expect(id[field].length).toBeGreaterThan(0);
      }
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'connection', state: 'connected' }),
      );
    });

    it('moves to a target, resolving there, and reports the same position', async () => {
      const d = await connected();
      const start = await d.getPositionUm();
      const end = await withTimeout(d.moveToUm(start + shortMove), timeoutMs, 'moveToUm');
      expect(Math.abs(end - (start + shortMove))).toBeLessThanOrEqual(tol);
      expect(Math.abs((await d.getPositionUm()) - (start + shortMove))).toBeLessThanOrEqual(tol);
      const back = await withTimeout(d.moveToUm(start), timeoutMs, 'moveToUm back');
      expect(Math.abs(back - start)).toBeLessThanOrEqual(tol);
    });

    it('is busy while moving and idle once the move resolves', async () => {
      const d = await connected();
      expect(await d.isBusy()).toBe(false);
      const move = d.moveToUm((await d.getPositionUm()) + longMove);
      await waitUntil(() => d.isBusy(), timeoutMs, 'isBusy() to report the move');
      await withTimeout(move, timeoutMs, 'long move');
      expect(await d.isBusy()).toBe(false);
    });

    it('stop halts a move short of its target, and the move resolves where it stopped', async () => {
      const d = await connected();
      const target = (await d.getPositionUm()) + longMove;
      const move = d.moveToUm(target);
      await waitUntil(() => d.isBusy(), timeoutMs, 'the move to start');
      await withTimeout(d.stop(), timeoutMs, 'stop');
      const end = await withTimeout(move, timeoutMs, 'the stopped move');
      expect(Math.abs(target - end)).toBeGreaterThan(tol);
      await sleep(100);
      expect(await d.isBusy()).toBe(false);
      expect(Math.abs((await d.getPositionUm()) - end)).toBeLessThanOrEqual(tol);
    });

    if (options.outOfRangeUm !== undefined) {
      const outside = options.outOfRangeUm;
      it('refuses a target beyond its travel with E_LIMIT and does not move', async () => {
        const d = await connected();
        const before = await d.getPositionUm();
        const err = await rejection(withTimeout(d.moveToUm(outside), timeoutMs, 'moveToUm'));
        expect(err.code).toBe('E_LIMIT');
        expect(await d.isBusy()).toBe(false);
        expect(Math.abs((await d.getPositionUm()) - before)).toBeLessThanOrEqual(tol);
      });
    }

    it('refuses commands after disconnect with E_DISCONNECTED', async () => {
      const d = await connected();
      await d.disconnect();
      const err = await rejection(withTimeout(d.getPositionUm(), timeoutMs, 'getPositionUm'));
      expect(err.code).toBe('E_DISCONNECTED');
    });
  });
}
