/** Prior ProScan III driver over a real pty against its wire simulator. */
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceError } from '../../../../drivers/errors';
import { PRIOR_ERRORS } from '../../../../drivers/stages/prior/prior-protocol';
import {
  PriorWireSim,
  type PriorWireSimOptions,
} from '../../../../drivers/stages/prior/prior-wire-sim';
import { rejection, waitUntil } from '../../contract/fixture';
import { wireRig, type WireRig } from '../wire-stage-fixture';

const rigs: WireRig<PriorWireSim>[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) {
    r.running.sim.close();
    await r.cleanup();
  }
});

async function rig(sim: PriorWireSimOptions = {}, options = {}) {
  const r = await wireRig('prior-proscan', (world) => new PriorWireSim(world, sim), options);
  rigs.push(r);
  return r;
}

const lines = (r: WireRig<PriorWireSim>) => r.running.sim.received.map((c) => c.line);

describe('prior-proscan driver', () => {
  it('selects standard mode first, identifies, and shares one port between XY and Z', async () => {
    const r = await rig();
    const [id] = await Promise.all([r.stage.connect(), r.focus.connect()]);
    expect(lines(r)[0]).toBe('COMP 0');
    expect(r.running.sim.compatibilityMode).toBe(false);
    expect(id).toEqual({
      vendor: 'Prior Scientific',
      model: 'ProScan III (stage H101/2)',
      serial: '70631',
      firmware: '119',
    });
    expect(lines(r).filter((l) => l === 'COMP 0')).toHaveLength(1);
  });

  it('scales by a non-default resolution (RES,s 0.1 µm, RES,Z 0.05 µm)', async () => {
    const r = await rig({ umPerUnitXy: 0.1, umPerUnitZ: 0.05 });
    await Promise.all([r.stage.connect(), r.focus.connect()]);
    const at = await r.stage.moveToUm({ xUm: 12.3, yUm: -4.5 });
    expect(lines(r)).toContain('G,123,-45');
    expect(at.xUm).toBeCloseTo(12.3, 9);
    expect(at.yUm).toBeCloseTo(-4.5, 9);
    expect(r.world.stage.positionUm()[0]).toBeCloseTo(12.3, 9);
    expect(await r.focus.moveToUm(1.25)).toBeCloseTo(1.25, 9);
    expect(lines(r)).toContain('V,25');
  });

  it('a move resolves on its late R, while queries still go through during the move', async () => {
    const r = await rig();
    await r.stage.connect();
    const t0 = performance.now();
    let done = false;
    const move = r.stage.moveToUm({ xUm: 1_500, yUm: 0 }).then((p) => ((done = true), p));
    await waitUntil(() => r.world.stage.isBusy(), 2_000, 'the move to start');
    const mid = await r.stage.getPositionUm();
    expect(done).toBe(false);
    expect(mid.xUm).toBeGreaterThanOrEqual(0);
    expect(mid.xUm).toBeLessThan(1_500);
    expect((await move).xUm).toBe(1_500);
    // 1500 µm at the simulated 5000 µm/s takes 300 ms.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(await r.stage.isBusy()).toBe(false);
  });

  it.each(
    Object.entries(PRIOR_ERRORS).concat([
      ['21', 'undocumented error code (see the ProScan III manual error table)'],
    ]),
  )('E,%s in answer to a query becomes a DeviceError meaning "%s"', async (code, meaning) => {
    const r = await rig();
    await r.stage.connect();
    r.running.sim.injectError(Number(code));
    const err = await rejection(r.stage.getPositionUm());
    expect(err).toBeInstanceOf(DeviceError);
    expect((err as DeviceError).details).toMatchObject({ vendorCode: Number(code), meaning });
    expect(await r.stage.getPositionUm()).toEqual({ xUm: 0, yUm: 0 });
  });

  it('a move the controller refuses (E,8) rejects with a DeviceError instead of waiting', async () => {
    /** Refuses every absolute Z move as out of range. */
    class RefusingSim extends PriorWireSim {
      protected override handle(line: string) {
        return line.startsWith('V,') ? 'E,8' : super.handle(line);
      }
    }
    const r = await wireRig('prior-proscan', (world) => new RefusingSim(world, {}));
    rigs.push(r);
    await r.focus.connect();
    const t0 = performance.now();
    const err = await rejection(r.focus.moveToUm(40));
    expect(err).toBeInstanceOf(DeviceError);
    expect((err as DeviceError).details).toMatchObject({
      vendorCode: 8,
      meaning: 'value out of range',
    });
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(lines(r)).toContain('V,40');
    expect(await r.focus.isBusy()).toBe(false);
  });

  it('XY and Z moves sent together queue in the controller and each ends at its own R', async () => {
    const r = await rig();
    await Promise.all([r.stage.connect(), r.focus.connect()]);
    const [xy, z] = await Promise.all([
      r.stage.moveToUm({ xUm: 1_000, yUm: 500 }),
      r.focus.moveToUm(60),
    ]);
    expect(xy).toEqual({ xUm: 1_000, yUm: 500 });
    expect(z).toBe(60);
    expect(r.world.focus.positionUm()).toEqual([60]);
  });

  it('stop sends K and the stopped move resolves where the stage halted', async () => {
    const r = await rig();
    await r.stage.connect();
    const move = r.stage.moveToUm({ xUm: 5_000, yUm: 5_000 });
    await waitUntil(() => r.world.stage.isBusy(), 2_000, 'the move to start');
    await r.stage.stop();
    const end = await move;
    expect(lines(r)).toContain('K');
    expect(end.xUm).toBeLessThan(5_000);
    expect(await r.stage.getPositionUm()).toEqual(end);
  });

  it('fails a move that outlasts its move-length timeout with a TimeoutError', async () => {
    const r = await rig({}, { xySpeedUmPerS: 1_000_000, pollMs: 50, moveMarginMs: 300 });
    r.world.stage.speedUmPerS = 50; // far slower than the driver was told
    await r.stage.connect();
    const err = await rejection(r.stage.moveToUm({ xUm: 500, yUm: 0 }));
    expect(err).toMatchObject({ code: 'E_TIMEOUT' });
    expect(err.message).toMatch(/G,500,0.*did not finish within 301 ms/);
    await r.stage.stop();
  });
});
