/** ASI drivers over a real pty against their wire simulator: units, sharing, discovery, errors. */
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceError, ProtocolError, StateError } from '../../../../drivers/errors';
import { AsiWireSim, type AsiWireSimOptions } from '../../../../drivers/stages/asi/asi-wire-sim';
import { ASI_ERRORS } from '../../../../drivers/stages/asi/asi-protocol';
import { wireRig, type WireRig } from '../wire-stage-fixture';
import { rejection, waitUntil } from '../../contract/fixture';

const rigs: WireRig<AsiWireSim>[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.cleanup();
});

async function rig(driver: 'asi-ms2000' | 'asi-tiger', sim: AsiWireSimOptions, options = {}) {
  const r = await wireRig(driver, (world) => new AsiWireSim(world, sim), options);
  rigs.push(r);
  return r;
}

const lines = (r: WireRig<AsiWireSim>) => r.running.sim.received.map((c) => c.line);

describe('asi-ms2000 driver', () => {
  it('opens one port for XY and Z, identifies once, and moves in 1/10 µm', async () => {
    const r = await rig('asi-ms2000', { variant: 'ms2000' });
    const [idXy, idZ] = await Promise.all([r.stage.connect(), r.focus.connect()]);
    expect(idXy).toEqual(idZ);
    expect(idXy).toMatchObject({
      vendor: 'ASI',
      model: 'MS-2000 (MS2000-XYZ)',
      firmware: 'USB-9.2p',
    });
    expect(lines(r).filter((l) => l === 'V')).toHaveLength(1);

    const at = await r.stage.moveToUm({ xUm: 100, yUm: -50.25 });
    expect(lines(r)).toContain('M X=1000 Y=-502.5');
    expect(at.xUm).toBeCloseTo(100, 6);
    expect(at.yUm).toBeCloseTo(-50.25, 6);
    expect(r.world.stage.positionUm()[1]).toBeCloseTo(-50.25, 6);

    expect(await r.focus.moveToUm(-7.5)).toBeCloseTo(-7.5, 6);
    expect(lines(r)).toContain('M Z=-75');
    expect(r.world.focus.positionUm()[0]).toBeCloseTo(-7.5, 6);

    // The port stays open while one device still uses it.
    await r.stage.disconnect();
    expect(await r.focus.getPositionUm()).toBeCloseTo(-7.5, 6);
  });

  it.each(Object.entries(ASI_ERRORS).filter(([code]) => code !== '21'))(
    ':N-%s becomes a DeviceError meaning "%s", and the next command works',
    async (code, meaning) => {
      const r = await rig('asi-ms2000', { variant: 'ms2000' });
      await r.stage.connect();
      r.running.sim.injectError(Number(code));
      const err = await rejection(r.stage.getPositionUm());
      expect(err).toBeInstanceOf(DeviceError);
      expect((err as DeviceError).details).toMatchObject({ vendorCode: Number(code), meaning });
      expect(err.message).toContain(meaning);
      expect(await r.stage.getPositionUm()).toEqual({ xUm: 0, yUm: 0 });
    },
  );

  it(':N-21 (halted by HALT) in answer to a stop counts as stopped', async () => {
    const r = await rig('asi-ms2000', { variant: 'ms2000' });
    await r.stage.connect();
    r.running.sim.injectError(21);
    await expect(r.stage.stop()).resolves.toBeUndefined();
    expect(lines(r).at(-1)).toBe('\\');
  });

  it('a garbled reply to a query is retried (queries are idempotent)', async () => {
    const r = await rig('asi-ms2000', { variant: 'ms2000' });
    await r.stage.connect();
    r.running.sim.injectFault({ kind: 'garbage' });
    expect(await r.stage.getPositionUm()).toEqual({ xUm: 0, yUm: 0 });
    expect(lines(r).slice(-2)).toEqual(['W X Y', 'W X Y']);
  });

  it('a garbled reply to a move is not retried: ProtocolError with the raw bytes, the move sent once', async () => {
    /** Acts on moves but answers them with noise. */
    class GarblingSim extends AsiWireSim {
      protected override handle(line: string) {
        const reply = super.handle(line);
        return line.startsWith('M ') ? { raw: '#%garbage\r\n' } : reply;
      }
    }
    const r = await wireRig('asi-ms2000', (world) => new GarblingSim(world, { variant: 'ms2000' }));
    rigs.push(r);
    await r.stage.connect();
    const err = await rejection(r.stage.moveToUm({ xUm: 10, yUm: 0 }));
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).details).toMatchObject({ raw: '#%garbage' });
    expect(lines(r).filter((l) => l.startsWith('M '))).toEqual(['M X=100 Y=0']);
    await waitUntil(async () => !(await r.stage.isBusy()), 2_000, 'the move to end');
    expect(await r.stage.getPositionUm()).toEqual({ xUm: 10, yUm: 0 });
  });
});

describe('asi-tiger driver', () => {
  it('discovers cards with BU X and reads non-default unit multipliers (UM)', async () => {
    const r = await rig('asi-tiger', {
      variant: 'tiger',
      unitsPerMm: { X: 1_000, Y: 20_000, Z: 5_000 },
    });
    const id = await r.stage.connect();
    await r.focus.connect();
    expect(id).toMatchObject({
      vendor: 'ASI',
      model: 'Tiger TG-1000 (TIGER_COMM)',
      firmware: 'USB-3.30',
    });
    expect(lines(r)).toEqual(expect.arrayContaining(['BU X', 'UM X?', 'UM Y?', 'UM Z?']));

    await r.stage.moveToUm({ xUm: 100, yUm: 200 });
    expect(lines(r)).toContain('M X=100 Y=4000');
    expect(r.world.stage.positionUm()).toEqual([100, 200]);
    expect(await r.stage.getPositionUm()).toEqual({ xUm: 100, yUm: 200 });

    expect(await r.focus.moveToUm(10)).toBe(10);
    expect(lines(r)).toContain('M Z=50');
    expect(lines(r)).toContain('RS Z?');
  });

  it('stops Z with a card-addressed HALT that leaves XY moving', async () => {
    const r = await rig('asi-tiger', { variant: 'tiger' });
    await Promise.all([r.stage.connect(), r.focus.connect()]);
    const xy = r.stage.moveToUm({ xUm: 2_000, yUm: 0 });
    const z = r.focus.moveToUm(200);
    await new Promise((res) => setTimeout(res, 50));
    await r.focus.stop();
    expect(lines(r)).toContain('2HALT');
    expect(await z).toBeLessThan(200);
    expect(await r.stage.isBusy()).toBe(true);
    expect((await xy).xUm).toBeCloseTo(2_000, 6);
  });

  it('refuses to connect when a configured axis is not on the controller', async () => {
    const r = await rig('asi-tiger', { variant: 'tiger' }, { axes: { z: 'F' } });
    const err = await rejection(r.focus.connect());
    expect(err).toBeInstanceOf(StateError);
    expect(err.message).toMatch(/no axis F.*X Y Z/);
  });
});

describe('asi controller soft limits read at connect', () => {
  it('warns about limits with lower ≥ upper, naming them, and leaves moves to the envelope', async () => {
    const r = await rig('asi-ms2000', { variant: 'ms2000' });
    r.running.sim.respond('SL X=5');
    r.running.sim.respond('SU X=-5');
    await r.stage.connect();
    expect(r.ctx.logs).toContainEqual(
      expect.stringMatching(
        /^warn stage\S*: the controller's soft limits of X make no sense \(SL X = 5 mm is not below SU X = -5 mm\); they are ignored/,
      ),
    );
    // Not refused by the driver: the move reaches the controller.
    await r.stage.moveToUm({ xUm: 100, yUm: 0 });
    expect(lines(r)).toContain('M X=1000 Y=0');
  });

  it('still refuses a target beyond sensible controller limits', async () => {
    const r = await rig('asi-ms2000', { variant: 'ms2000' });
    r.running.sim.respond('SU X=0.05');
    await r.stage.connect();
    expect(r.ctx.logs.filter((l) => l.includes('make no sense'))).toEqual([]);
    expect((await rejection(r.stage.moveToUm({ xUm: 100, yUm: 0 }))).code).toBe('E_LIMIT');
  });
});
