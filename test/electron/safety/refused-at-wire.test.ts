/**
 * A refused command puts nothing at all on the wire. Property test (fast-check, fixed
 * seeds) through the host API against the serial drivers on pty wire simulators (an ASI
 * MS-2000 or Prior ProScan stage + Z drive, a Cobolt and an OBIS laser): every generated
 * command is one the safety layer must refuse — moves and jogs outside the envelope,
 * over-power, unknown lines and channels, motion and emission while the e-stop is latched,
 * moves while the position is untrusted after a power cycle — and no simulator receives a
 * single byte for it, not even a position or busy poll afterwards.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  SerialLaserBase,
  SerialLaserOptions,
} from '../../../drivers/lasers/serial-laser-base';
import type { WireSimulator } from '../../../drivers/wire-sim/sim-base';
import { wireLimits } from '../../support/wire-host';
import { sleep, waitUntil } from '../../drivers/contract/fixture';
import { stageHost, type StageHostRig } from '../../drivers/stages/stage-host-rig';

type Command = { name: string; args: Record<string, unknown> };

/** Longer than the host's motion poll (50 ms): a poll a refusal started would show. */
const SETTLE_MS = 80;

let rig: StageHostRig;
let wires: () => WireSimulator[];

async function start(stageDriver: string): Promise<void> {
  rig = await stageHost(
    stageDriver,
    [
      { id: 'cobolt', kind: 'laser', driver: 'cobolt', options: { port: 'sim:cobolt' } },
      { id: 'obis', kind: 'laser', driver: 'obis', options: { port: 'sim:obis' } },
    ],
    { channels: [{ name: 'GFP', laserId: 'obis', powerMw: 5, exposureMs: 10 }] },
  );
  wires = () => [
    rig.running().sim,
    ...[...rig.host.devices.lasers.values()].map((l) => {
      const sim = (l as unknown as SerialLaserBase<SerialLaserOptions>).link.simulator?.sim;
      if (!sim) throw new Error(`${l.id}: no simulator`);
      return sim;
    }),
  ];
  // No move yet: jogs are judged against the position the host read at connect (0, 0, 0).
}

const total = () => wires().reduce((n, w) => n + w.received.length, 0);

/** Waits until no simulator received anything for 150 ms (motion polls ended). */
async function quiet(): Promise<void> {
  let last = -1;
  await waitUntil(
    async () => {
      const now = total();
      const still = now === last;
      last = now;
      if (!still) await sleep(150);
      return still;
    },
    5_000,
    'the wire to go quiet',
    0,
  );
}

async function expectRefusedSilently(c: Command, codes: string[]): Promise<void> {
  const before = wires().map((w) => w.received.length);
  const out = await rig.call(c.name, c.args);
  await sleep(SETTLE_MS);
  if (out.ok) throw new Error(`${c.name} ${JSON.stringify(c.args)} was not refused`);
  expect(codes, `${c.name} ${JSON.stringify(c.args)}: ${out.error.message}`).toContain(
    out.error.code,
  );
  const sent = wires().flatMap((w, i) => w.commandsSince(before[i]!).map((l) => `${w.name}: ${l}`));
  expect(sent, `${c.name} ${JSON.stringify(c.args)} put bytes on the wire`).toEqual([]);
}

/** A value outside `range` (µm), near or far. */
const outside = (r: { min: number; max: number }) =>
  fc.oneof(
    fc.double({ min: r.max + 0.001, max: r.max + 1e6, noNaN: true }),
    fc.double({ min: r.min - 1e6, max: r.min - 0.001, noNaN: true }),
  );
const inside = (r: { min: number; max: number }) =>
  fc.double({ min: r.min, max: r.max, noNaN: true });
const cmd = (name: string, args: fc.Arbitrary<Record<string, unknown>>) =>
  args.map((a): Command => ({ name, args: a }));
const { xUm, yUm, zUm } = wireLimits;

/** Every command the envelope and line limits refuse (from the confirmed position 0, 0, 0). */
const outOfLimits: fc.Arbitrary<Command> = fc.oneof(
  cmd('stage.moveTo', fc.record({ xUm: outside(xUm), yUm: inside(yUm) })),
  cmd('stage.moveTo', fc.record({ xUm: inside(xUm), yUm: outside(yUm) })),
  cmd('stage.moveBy', fc.record({ dxUm: outside(xUm), dyUm: fc.constant(0) })),
  cmd('stage.moveBy', fc.record({ dxUm: inside(xUm), dyUm: outside(yUm) })),
  cmd('focus.moveTo', fc.record({ zUm: outside(zUm) })),
  cmd('focus.moveBy', fc.record({ dzUm: outside(zUm) })),
  cmd(
    'laser.setPower',
    fc.record({
      laserId: fc.constantFrom('cobolt', 'obis'),
      powerMw: fc.double({ min: 100.001, max: 1e6, noNaN: true }),
    }),
  ),
  cmd('laser.setPower', fc.record({ laserId: fc.constant('nope'), powerMw: fc.constant(1) })),
  cmd('laser.setEmission', fc.record({ laserId: fc.constant('nope'), on: fc.boolean() })),
  cmd('channel.apply', fc.record({ name: fc.constant('no-such-channel') })),
);

/** Motion and light the e-stop latch refuses: every one of them is inside the limits. */
const whileLatched: fc.Arbitrary<Command> = fc.oneof(
  cmd('stage.moveTo', fc.record({ xUm: inside(xUm), yUm: inside(yUm) })),
  cmd(
    'stage.moveBy',
    fc.record({ dxUm: fc.double({ min: -1, max: 1, noNaN: true }), dyUm: fc.constant(0) }),
  ),
  cmd('focus.moveTo', fc.record({ zUm: inside(zUm) })),
  cmd('focus.moveBy', fc.record({ dzUm: fc.double({ min: -1, max: 1, noNaN: true }) })),
  cmd(
    'laser.setEmission',
    fc.record({ laserId: fc.constantFrom('cobolt', 'obis'), on: fc.constant(true) }),
  ),
  cmd('channel.apply', fc.record({ name: fc.constant('GFP') })),
);

/** Moves inside the envelope, refused while the position is not trusted. */
const whileUntrusted: fc.Arbitrary<Command> = fc.oneof(
  cmd('stage.moveTo', fc.record({ xUm: inside(xUm), yUm: inside(yUm) })),
  cmd(
    'stage.moveBy',
    fc.record({ dxUm: fc.double({ min: -1, max: 1, noNaN: true }), dyUm: fc.constant(0) }),
  ),
  cmd('focus.moveTo', fc.record({ zUm: inside(zUm) })),
  cmd('focus.moveBy', fc.record({ dzUm: fc.double({ min: -1, max: 1, noNaN: true }) })),
);

describe.each(['asi-ms2000', 'prior-proscan'])('refused commands at the wire (%s)', (driver) => {
  beforeAll(() => start(driver), 30_000);
  afterAll(() => rig?.host.shutdown('test end'));

  it('outside the envelope or a line maximum: nothing on the wire', async () => {
    await quiet();
    await fc.assert(
      fc.asyncProperty(outOfLimits, (c) => expectRefusedSilently(c, ['E_LIMIT', 'E_INVALID'])),
      { numRuns: 40, seed: 20261206, endOnFailure: true },
    );
  }, 60_000);

  it('while the e-stop is latched: nothing on the wire', async () => {
    await rig.call('estop');
    await quiet();
    await fc.assert(
      fc.asyncProperty(whileLatched, (c) => expectRefusedSilently(c, ['E_ESTOP'])),
      { numRuns: 30, seed: 20261207, endOnFailure: true },
    );
    await rig.call('safety.reset');
  }, 60_000);

  it('while the position is untrusted after a power cycle: nothing on the wire', async () => {
    const alarms = (id: string) => rig.host.store.state.devices[id]!.alarms;
    await rig.running().powerCycle();
    await waitUntil(
      () =>
        ['stage', 'focus'].every((id) => alarms(id).some((a) => a.code === 'E_POSITION_UNTRUSTED')),
      5_000,
      'the untrusted position',
    );
    await quiet();
    await fc.assert(
      fc.asyncProperty(whileUntrusted, (c) => expectRefusedSilently(c, ['E_POSITION_UNTRUSTED'])),
      { numRuns: 20, seed: 20261208, endOnFailure: true },
    );
  }, 60_000);
});
