import { describe, expect, it } from 'vitest';
import type { Laser, XYPositionUm } from '../../../drivers/devices';
import { DeviceEvents } from '../../../drivers/device-events';
import {
  type AquilaError,
  EstopLatchedError,
  LimitError,
  MoveInterruptedError,
  PositionUntrustedError,
} from '../../../drivers/errors';
import { SimLaser, SimXYStage, SimZDrive } from '../../../drivers/sim/sim-devices';
import { SimWorld } from '../../../drivers/sim/world';
import { silentLogger } from '../../../electron/host/logger';
import { SafetyLayer, type SafetyReports } from '../../../electron/safety/safety-layer';
import { rejection } from '../../drivers/contract/fixture';

const failure = async (p: Promise<unknown>) => (await rejection(p)) as AquilaError;

const limits = {
  xUm: { min: -1000, max: 1000 },
  yUm: { min: -1000, max: 1000 },
  zUm: { min: -50, max: 50 },
};

async function rig(extraLasers: Laser[] = [], reports?: SafetyReports) {
  const world = new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 100 });
  const stage = new SimXYStage('stage', world, { speedUmPerS: 100_000 });
  const focus = new SimZDrive('focus', world, { speedUmPerS: 100_000 });
  const l1 = new SimLaser('l488', world, { wavelengthNm: 488, maxPowerMw: 100 });
  const l2 = new SimLaser('l561', world, { wavelengthNm: 561, maxPowerMw: 50 });
  for (const d of [l1, l2]) await d.connect();
  const lasers = new Map<string, Laser>([
    ['l488', l1],
    ['l561', l2],
    ...extraLasers.map((l) => [l.id, l] as [string, Laser]),
  ]);
  const safety = new SafetyLayer(
    limits,
    { stage, focus, lasers, camera: undefined, ...(reports ? { reports } : {}) },
    silentLogger,
  );
  // Connected after the layer watches them, as the host does.
  for (const d of [stage, focus]) await d.connect();
  return { world, stage, focus, l1, l2, safety };
}

/** A laser whose emission-off never answers (a hung driver). */
function hungLaser(id: string): Laser {
  const events = new DeviceEvents();
  return {
    id,
    kind: 'laser',
    wavelengthNm: 640,
    maxPowerMw: 10,
    connect: async () => ({ vendor: '', model: '', serial: '', firmware: '' }),
    disconnect: async () => undefined,
    subscribe: (l) => events.subscribe(l),
    setEmission: () => new Promise(() => undefined),
    getEmission: async () => true,
    setPowerMw: async () => undefined,
    getPowerMw: async () => 0,
    getInterlock: async () => 'unknown',
  };
}

describe('SafetyLayer', () => {
  it('moves inside the envelope and refuses outside it without sending the move', async () => {
    const { safety, stage, world } = await rig();
    await expect(safety.moveStageTo({ xUm: 500, yUm: -500 })).resolves.toEqual({
      xUm: 500,
      yUm: -500,
    });
    await expect(safety.moveStageTo({ xUm: 1500, yUm: 0 })).rejects.toThrow(LimitError);
    await expect(safety.moveStageBy(600, 0)).rejects.toThrow(/Stage jog refused: x = 1100 µm/);
    expect(await stage.getPositionUm()).toEqual({ xUm: 500, yUm: -500 });
    expect(world.stage.isBusy()).toBe(false);
  });

  it('protects the objective: Z above the maximum is refused, relative or absolute', async () => {
    const { safety, focus } = await rig();
    await safety.moveFocusTo(40);
    await expect(safety.moveFocusBy(11)).rejects.toThrow(/protects the objective/);
    await expect(safety.moveFocusTo(50.5)).rejects.toThrow(LimitError);
    expect(await focus.getPositionUm()).toBe(40);
  });

  it('refuses laser power beyond the line maximum', async () => {
    const { safety, l2 } = await rig();
    await expect(safety.setLaserPower('l561', 51)).rejects.toThrow(/0\.\.50 mW/);
    await expect(safety.setLaserPower('nope', 1)).rejects.toThrow(/Unknown laser "nope"/);
    expect(await l2.getPowerMw()).toBe(0);
  });

  it('e-stop halts motion, switches every laser off and latches until reset', async () => {
    const { safety, world, l1, l2, stage } = await rig();
    await safety.setLaserEmission('l488', true);
    await safety.setLaserEmission('l561', true);
    world.stage.speedUmPerS = 100; // slow, so the move is still running at e-stop
    const move = failure(safety.moveStageTo({ xUm: 900, yUm: 0 }));
    await new Promise((r) => setTimeout(r, 30));
    const report = await safety.estop('test');
    const interrupted = await move;
    expect(interrupted).toBeInstanceOf(MoveInterruptedError);
    expect(interrupted.code).toBe('E_ESTOP');
    const stoppedAt = interrupted.details?.positionUm as XYPositionUm;
    expect(stoppedAt.xUm).toBeGreaterThan(0);
    expect(stoppedAt.xUm).toBeLessThan(900);
    expect(stoppedAt).toEqual(await stage.getPositionUm());
    expect(report.lasersOff.sort()).toEqual(['l488', 'l561']);
    expect(report.lines).toEqual([
      { laserId: 'l488', outcome: 'confirmed-off' },
      { laserId: 'l561', outcome: 'confirmed-off' },
    ]);
    expect(await l1.getEmission()).toBe(false);
    expect(await l2.getEmission()).toBe(false);
    expect((await stage.getPositionUm()).xUm).toBeLessThan(900);
    expect(safety.estopLatched).toBe(true);
    await expect(safety.setLaserEmission('l488', true)).rejects.toThrow(EstopLatchedError);
    await expect(safety.moveStageTo({ xUm: 0, yUm: 0 })).rejects.toThrow(EstopLatchedError);
    await expect(safety.setLaserEmission('l488', false)).resolves.toBeUndefined(); // off is always allowed
    safety.reset();
    await expect(safety.setLaserEmission('l488', true)).resolves.toBeUndefined();
  });

  it('a hung laser driver does not keep the others on', async () => {
    const { safety, l1 } = await rig([hungLaser('l640')]);
    await safety.setLaserEmission('l488', true);
    const started = Date.now();
    const report = await safety.allLasersOff('test');
    expect(Date.now() - started).toBeLessThan(1_900);
    expect(await l1.getEmission()).toBe(false);
    expect(report.lasersOff).toEqual(['l488', 'l561']);
    expect(report.lines[2]).toEqual({
      laserId: 'l640',
      outcome: 'unreachable',
      reason: expect.stringMatching(/did not finish within/),
    });
  });

  it('reports a line whose emission still reads on after the off command as unconfirmed', async () => {
    const stuck = { ...hungLaser('l640'), setEmission: async () => undefined };
    const { safety } = await rig([stuck]);
    const report = await safety.allLasersOff('test');
    expect(report.lines[2]).toEqual({
      laserId: 'l640',
      outcome: 'unconfirmed',
      reason: expect.stringMatching(/still reads ON/),
    });
    expect(report.lasersOff).not.toContain('l640');
  });

  it('an e-stop while a jog reads the position wins: the jog is not sent', async () => {
    const { safety, stage, world } = await rig();
    const read = stage.getPositionUm.bind(stage);
    stage.getPositionUm = async () => {
      await new Promise((r) => setTimeout(r, 30));
      return read();
    };
    const jog = failure(safety.moveStageBy(100, 0));
    await new Promise((r) => setTimeout(r, 5));
    await safety.estop('test');
    expect(await jog).toBeInstanceOf(EstopLatchedError);
    await new Promise((r) => setTimeout(r, 20));
    expect(world.stage.isBusy()).toBe(false);
    expect(await read()).toEqual({ xUm: 0, yUm: 0 });
  });

  it('a stop from any caller fails the moves in flight with E_ABORTED and the position', async () => {
    const { safety, world } = await rig();
    world.focus.speedUmPerS = 50;
    const move = failure(safety.moveFocusTo(40));
    await new Promise((r) => setTimeout(r, 30));
    await safety.stopFocus();
    const err = await move;
    expect(err).toMatchObject({ code: 'E_ABORTED', details: { cause: 'stop' } });
    const z = err.details?.positionUm as number;
    expect(z).toBeGreaterThan(0);
    expect(z).toBeLessThan(40);
    // Not latched: the next move is allowed and resolves normally.
    await expect(safety.moveFocusTo(1)).resolves.toBe(1);
  });

  it('after a reconnect refuses moves with E_POSITION_UNTRUSTED until confirmed', async () => {
    const trust: [string, boolean][] = [];
    const { safety, stage, focus } = await rig([], {
      laserOff: () => undefined,
      positionTrust: (id, trusted) => trust.push([id, trusted]),
    });
    await safety.moveStageTo({ xUm: 10, yUm: 0 });
    await stage.disconnect();
    await stage.connect();
    const err = await failure(safety.moveStageTo({ xUm: 20, yUm: 0 }));
    expect(err).toBeInstanceOf(PositionUntrustedError);
    expect(err.message).toMatch(/stage\.confirmPosition/);
    expect((await failure(safety.moveStageBy(1, 0))).code).toBe('E_POSITION_UNTRUSTED');
    await expect(safety.moveFocusTo(1)).resolves.toBe(1); // the Z drive did not reconnect
    expect(trust).toEqual([['stage', false]]);
    expect(await safety.confirmStagePosition()).toEqual({ xUm: 10, yUm: 0 });
    expect(trust).toEqual([
      ['stage', false],
      ['stage', true],
    ]);
    await expect(safety.moveStageTo({ xUm: 20, yUm: 0 })).resolves.toEqual({ xUm: 20, yUm: 0 });
    await focus.disconnect();
    await focus.connect();
    expect((await failure(safety.moveFocusBy(1))).code).toBe('E_POSITION_UNTRUSTED');
  });
});

describe('guarded devices', () => {
  it('route motion and emission through the safety layer', async () => {
    const { guardDevices } = await import('../../../electron/safety/guarded-devices');
    const { safety, stage, focus, l1, l2 } = await rig();
    const g = guardDevices(
      {
        stage,
        focus,
        lasers: new Map([
          ['l488', l1],
          ['l561', l2],
        ]),
        camera: undefined,
      },
      safety,
    );
    await expect(g.stage!.moveToUm({ xUm: 5000, yUm: 0 })).rejects.toThrow(LimitError);
    await expect(g.focus!.moveToUm(51)).rejects.toThrow(/protects the objective/);
    await expect(g.lasers[1]!.setPowerMw(60)).rejects.toThrow(LimitError);
    await safety.estop('test');
    await expect(g.lasers[0]!.setEmission(true)).rejects.toThrow(EstopLatchedError);
    await expect(g.stage!.connect()).rejects.toThrow(/managed by the host/);
    safety.reset();
    await expect(g.stage!.moveToUm({ xUm: 10, yUm: 10 })).resolves.toEqual({ xUm: 10, yUm: 10 });
    expect(await g.stage!.getPositionUm()).toEqual({ xUm: 10, yUm: 10 });
  });
});
