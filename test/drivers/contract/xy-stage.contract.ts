/**
 * Contract every XYStage implementation passes (simulator and wire drivers alike).
 * Targets are relative to where the stage is after connect, so a driver may start anywhere.
 */
import { describe, expect, it } from 'vitest';
import type { DeviceEvent, XYPositionUm, XYStage } from '../../../drivers/devices';
import { rejection, sleep, useDevice, waitUntil, withTimeout, type MakeDevice } from './fixture';

export interface XYStageContractOptions {
  /** Offset of a short move from the start position, µm. */
  shortMoveUm?: XYPositionUm;
  /** Offset of a move that lasts ≥ ~150 ms, for busy/stop tests, µm. */
  longMoveUm?: XYPositionUm;
  /** An absolute target beyond the mechanical travel (refused with E_LIMIT); omit to skip. */
  outOfRangeUm?: XYPositionUm;
  toleranceUm?: number;
  /** Bound on any one command or move, ms. */
  timeoutMs?: number;
}

const dist = (a: XYPositionUm, b: XYPositionUm) => Math.hypot(a.xUm - b.xUm, a.yUm - b.yUm);
const plus = (a: XYPositionUm, b: XYPositionUm) => ({ xUm: a.xUm + b.xUm, yUm: a.yUm + b.yUm });

export function xyStageContract(
  name: string,
  make: MakeDevice<XYStage>,
  options: XYStageContractOptions = {},
): void {
  const shortMove = options.shortMoveUm ?? { xUm: 120, yUm: -80 };
  const longMove = options.longMoveUm ?? { xUm: 1_500, yUm: 1_000 };
  const tol = options.toleranceUm ?? 0.5;
  const timeoutMs = options.timeoutMs ?? 10_000;

  describe(`XYStage contract: ${name}`, () => {
    const stage = useDevice(make);
    const connected = async () => {
      const s = stage();
      await withTimeout(s.connect(), timeoutMs, 'connect');
      return s;
    };

    it('connects, reports identity and announces the connection', async () => {
      const s = stage();
      const events: DeviceEvent[] = [];
      s.subscribe((e) => events.push(e));
      const id = await withTimeout(s.connect(), timeoutMs, 'connect');
      expect(s.kind).toBe('xy-stage');
      for (const field of ['vendor', 'model', 'serial', 'firmware'] as const) {
        expect(typeof id[field]).toBe('string');
        expect(id[field].length).toBeGreaterThan(0);
      }
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'connection', state: 'connected' }),
      );
    });

    it('moves to a target, resolving there, and reports the same position', async () => {
      const s = await connected();
      const start = await s.getPositionUm();
      const target = plus(start, shortMove);
      const end = await withTimeout(s.moveToUm(target), timeoutMs, 'moveToUm');
      expect(dist(end, target)).toBeLessThanOrEqual(tol);
      expect(dist(await s.getPositionUm(), target)).toBeLessThanOrEqual(tol);
      const back = await withTimeout(s.moveToUm(start), timeoutMs, 'moveToUm back');
      expect(dist(back, start)).toBeLessThanOrEqual(tol);
    });

    it('is busy while moving and idle once the move resolves', async () => {
      const s = await connected();
      expect(await s.isBusy()).toBe(false);
      const start = await s.getPositionUm();
      const move = s.moveToUm(plus(start, longMove));
      await waitUntil(() => s.isBusy(), timeoutMs, 'isBusy() to report the move');
      await withTimeout(move, timeoutMs, 'long move');
      expect(await s.isBusy()).toBe(false);
    });

    it('stop halts a move short of its target, and the move resolves where it stopped', async () => {
      const s = await connected();
      const start = await s.getPositionUm();
      const target = plus(start, longMove);
      const move = s.moveToUm(target);
      await waitUntil(() => s.isBusy(), timeoutMs, 'the move to start');
      await withTimeout(s.stop(), timeoutMs, 'stop');
      const end = await withTimeout(move, timeoutMs, 'the stopped move');
      expect(dist(end, target)).toBeGreaterThan(tol);
      await sleep(100);
      expect(await s.isBusy()).toBe(false);
      expect(dist(await s.getPositionUm(), end)).toBeLessThanOrEqual(tol);
    });

    if (options.outOfRangeUm) {
      const outside = options.outOfRangeUm;
      it('refuses a target beyond its travel with E_LIMIT and does not move', async () => {
        const s = await connected();
        const before = await s.getPositionUm();
        const err = await rejection(withTimeout(s.moveToUm(outside), timeoutMs, 'moveToUm'));
        expect(err.code).toBe('E_LIMIT');
        expect(err.message).toMatch(/travel|limit|range/i);
        expect(await s.isBusy()).toBe(false);
        expect(dist(await s.getPositionUm(), before)).toBeLessThanOrEqual(tol);
      });
    }

    it('refuses commands after disconnect with E_DISCONNECTED', async () => {
      const s = await connected();
      await s.disconnect();
      const err = await rejection(withTimeout(s.getPositionUm(), timeoutMs, 'getPositionUm'));
      expect(err.code).toBe('E_DISCONNECTED');
    });
  });
}
