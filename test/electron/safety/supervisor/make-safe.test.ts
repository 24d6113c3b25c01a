/**
 * What the supervisor sends once its host is gone, per vendor, on pty wire simulators (in
 * this process; supervisor.test.ts runs the real processes): off and read-back for OBIS
 * and Cobolt, halt for ASI and Prior, all ports at once; a head answering garbage is
 * unconfirmed, a missing port unreachable.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoboltSim } from '../../../../drivers/lasers/cobolt/cobolt-sim';
import { ObisSim } from '../../../../drivers/lasers/obis/obis-sim';
import { SimWorld } from '../../../../drivers/sim/world';
import { AsiWireSim } from '../../../../drivers/stages/asi/asi-wire-sim';
import { PriorWireSim } from '../../../../drivers/stages/prior/prior-wire-sim';
import { runWireSim, type RunningWireSim } from '../../../../drivers/wire-sim/run-sim';
import type { WireSimulator } from '../../../../drivers/wire-sim/sim-base';
import { makeSafe } from '../../../../electron/safety/supervisor/make-safe';
import type { SupervisedDevice } from '../../../../electron/safety/supervisor/plan';
import { until } from '../../../support/wait';

let world: SimWorld;
let sims: {
  obis: RunningWireSim<ObisSim>;
  cobolt: RunningWireSim<CoboltSim>;
  asi: RunningWireSim<AsiWireSim>;
  prior: RunningWireSim<PriorWireSim>;
};

beforeEach(async () => {
  world = new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 10 });
  sims = {
    obis: await runWireSim(new ObisSim(world, 'obis', { cdrhDelayMs: 0 })),
    cobolt: await runWireSim(new CoboltSim(world, 'cobolt')),
    asi: await runWireSim(new AsiWireSim(world, { variant: 'tiger' })),
    prior: await runWireSim(new PriorWireSim(world, {})),
  };
});

afterEach(async () => {
  for (const s of Object.values(sims)) await s.stop();
});

const lines = (s: RunningWireSim<WireSimulator>) => s.sim.received.map((r) => r.line);

function plan(): SupervisedDevice[] {
  const at = (ids: string[], port: string, baudRate = 115_200) => ({
    ids,
    port,
    baudRate,
    stopBits: 1 as const,
  });
  return [
    { role: 'laser', driver: 'obis', ...at(['l488'], sims.obis.devicePath) },
    { role: 'laser', driver: 'cobolt', ...at(['l561'], sims.cobolt.devicePath) },
    { role: 'stage', driver: 'asi-tiger', ...at(['stage', 'focus'], sims.asi.devicePath) },
    { role: 'stage', driver: 'prior-proscan', ...at(['stage2'], sims.prior.devicePath, 9600) },
  ];
}

describe('makeSafe', () => {
  it('switches both lasers (emitting from power-up) off with read-back and halts both controllers', async () => {
    sims.obis.sim.powerUp();
    sims.cobolt.sim.powerUp();
    await until(
      'both lasers to emit',
      () => sims.obis.sim.line.emission && sims.cobolt.sim.line.emission,
      2_000,
    );
    const results = await makeSafe(plan());
    expect(results.map((r) => [r.ids.join('+'), r.outcome, r.reason])).toEqual([
      ['l488', 'confirmed-off', undefined],
      ['l561', 'confirmed-off', undefined],
      ['stage+focus', 'halted', undefined],
      ['stage2', 'halted', undefined],
    ]);
    // Powered up, the OBIS has handshake off: the off command gets no OK, the read-back decides.
    expect(lines(sims.obis)).toEqual(['SOUR:AM:STAT OFF', 'SYST:COMM:HAND ON', 'SOUR:AM:STAT?']);
    expect(lines(sims.cobolt)).toEqual(['l0', 'l?']);
    expect(lines(sims.asi)).toEqual(['\\']);
    expect(lines(sims.prior)).toEqual(['K']);
    expect(sims.obis.sim.line.emission).toBe(false);
    expect(sims.cobolt.sim.line.emission).toBe(false);
  });

  it('a head answering garbage is unconfirmed, a missing port unreachable; the others are still made safe', async () => {
    sims.cobolt.sim.injectFault({ kind: 'garbage', text: '#?!' }, Infinity);
    const devices = plan();
    devices[0] = { ...devices[0]!, port: '/dev/aquila-no-such-port' };
    const results = await makeSafe(devices);
    expect(results[0]).toMatchObject({
      outcome: 'unreachable',
      reason: expect.stringMatching(/cannot open serial port \/dev\/aquila-no-such-port/),
      sentAtMs: null,
    });
    expect(results[1]).toMatchObject({
      outcome: 'unconfirmed',
      reason: expect.stringContaining('#?!'),
    });
    expect(results[1]!.sentAtMs).not.toBeNull();
    expect(lines(sims.cobolt)[0]).toBe('l0');
    expect(results.slice(2).map((r) => r.outcome)).toEqual(['halted', 'halted']);
  });
});
