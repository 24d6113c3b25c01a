/**
 * Safety at the wire: random moves, jogs and stops through the host API (safety layer →
 * stage driver → real pty → simulator), for asi-ms2000 and prior-proscan. Whatever the API
 * was asked, no move command beyond the configured envelope ever reaches the controller.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../electron/host/command-handlers';
import { createHost, type Host } from '../../../electron/host/host';
import { silentLogger } from '../../../electron/host/logger';
import type { SerialStageBase } from '../../../drivers/stages/serial-stage-base';
import type { WireSimulator } from '../../../drivers/wire-sim/sim-base';
import type { AsiWireSim } from '../../../drivers/stages/asi/asi-wire-sim';
import { asiUnitsToUm } from '../../../drivers/stages/asi/asi-protocol';
import type { ControllerXYStage } from '../../../drivers/stages/stage-controller';
import { parseConfig } from '../../../electron/config/load';

const limits = {
  xUm: { min: -400, max: 600 },
  yUm: { min: -500, max: 300 },
  zUm: { min: -40, max: 60 },
};

const configFor = (driver: string) => ({
  name: `${driver} on a wire simulator`,
  devices: [
    { id: 'stage', kind: 'xy-stage', driver, options: { port: `sim:${driver}` } },
    { id: 'focus', kind: 'z-drive', driver, options: { port: `sim:${driver}` } },
  ],
  limits,
});

const caller: CallContext = { clientId: 'safety-test', transport: 'internal' };

type Action =
  | { op: 'stage.moveTo'; xUm: number; yUm: number }
  | { op: 'stage.moveBy'; dxUm: number; dyUm: number }
  | { op: 'focus.moveTo'; zUm: number }
  | { op: 'focus.moveBy'; dzUm: number }
  | { op: 'stage.stopMidMove'; xUm: number; yUm: number; afterMs: number }
  | { op: 'focus.stopMidMove'; zUm: number; afterMs: number };

const xy = fc.integer({ min: -900, max: 900 });
const z = fc.integer({ min: -100, max: 120 });
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ op: fc.constant('stage.moveTo' as const), xUm: xy, yUm: xy }),
  fc.record({ op: fc.constant('stage.moveBy' as const), dxUm: xy, dyUm: xy }),
  fc.record({ op: fc.constant('focus.moveTo' as const), zUm: z }),
  fc.record({ op: fc.constant('focus.moveBy' as const), dzUm: z }),
  fc.record({
    op: fc.constant('stage.stopMidMove' as const),
    xUm: xy,
    yUm: xy,
    afterMs: fc.integer({ min: 0, max: 40 }),
  }),
  fc.record({
    op: fc.constant('focus.stopMidMove' as const),
    zUm: z,
    afterMs: fc.integer({ min: 0, max: 40 }),
  }),
);

/** Runs one action; returns the error codes of the calls that were refused. */
async function run(host: Host, a: Action): Promise<string[]> {
  const codes: string[] = [];
  const call = async (name: string, args: unknown) => {
    const out = await host.call(name, args, caller);
    if (!out.ok) codes.push(out.error.code);
  };
  await runAction(a, call);
  return codes;
}

async function runAction(a: Action, call: (name: string, args: unknown) => Promise<void>) {
  switch (a.op) {
    case 'stage.moveTo':
      await call(a.op, { xUm: a.xUm, yUm: a.yUm });
      return;
    case 'stage.moveBy':
      await call(a.op, { dxUm: a.dxUm, dyUm: a.dyUm });
      return;
    case 'focus.moveTo':
      await call(a.op, { zUm: a.zUm });
      return;
    case 'focus.moveBy':
      await call(a.op, { dzUm: a.dzUm });
      return;
    case 'stage.stopMidMove': {
      const move = call('stage.moveTo', { xUm: a.xUm, yUm: a.yUm });
      await new Promise((r) => setTimeout(r, a.afterMs));
      await call('stage.stop', {});
      await move;
      return;
    }
    case 'focus.stopMidMove': {
      const move = call('focus.moveTo', { zUm: a.zUm });
      await new Promise((r) => setTimeout(r, a.afterMs));
      await call('focus.stop', {});
      await move;
      return;
    }
  }
}

interface WireTarget {
  line: string;
  axis: string;
  um: number;
}

/**
 * Every axis target of every ASI move command in the log, in µm. Relative moves are never
 * expected (the safety layer turns jogs into absolute targets): they count as NaN, which fails.
 */
function asiTargets(lines: string[]): WireTarget[] {
  const out: WireTarget[] = [];
  for (const line of lines) {
    const m = /^(M|MOVE|R|MOVREL)\s+(.*)$/i.exec(line);
    if (!m) continue;
    const relative = /^(R|MOVREL)$/i.test(m[1] ?? '');
    for (const [, axis = '', v = ''] of (m[2] ?? '').matchAll(/([A-Z])=(\S+)/gi)) {
      out.push({ line, axis: axis.toUpperCase(), um: relative ? NaN : asiUnitsToUm(Number(v)) });
    }
  }
  return out;
}

/** The same for the ProScan (1 µm user units in its simulator): G, GX, GY, V; GR, U, D fail. */
function priorTargets(lines: string[]): WireTarget[] {
  const out: WireTarget[] = [];
  for (const line of lines) {
    const [cmd = '', ...args] = line.toUpperCase().split(/[,\s;:\t]+/);
    const n = args.map(Number);
    if (cmd === 'G') {
      out.push({ line, axis: 'X', um: n[0] ?? NaN }, { line, axis: 'Y', um: n[1] ?? NaN });
      if (n[2] !== undefined) out.push({ line, axis: 'Z', um: n[2] });
    } else if (cmd === 'GX' || cmd === 'GY')
      out.push({ line, axis: cmd.slice(1), um: n[0] ?? NaN });
    else if (cmd === 'V') out.push({ line, axis: 'Z', um: n[0] ?? NaN });
    else if (['GR', 'U', 'D'].includes(cmd)) out.push({ line, axis: 'X', um: NaN });
  }
  return out;
}

const drivers: [string, (lines: string[]) => WireTarget[], (sim: WireSimulator) => void][] = [
  // Fastest simulated speeds keep the run short (sent straight to the simulator, not logged).
  ['asi-ms2000', asiTargets, (sim) => (sim as AsiWireSim).respond('S X=7.5 Y=7.5 Z=2')],
  ['prior-proscan', priorTargets, () => undefined],
];

describe.each(drivers)(
  'safety at the wire: %s on its simulator through the host',
  (driver, wireTargets, speedUp) => {
    let host: Host | undefined;
    afterEach(async () => {
      await host?.shutdown('test end');
      host = undefined;
    });

    it('never sends a move beyond the envelope, whatever the API is asked', async () => {
      host = await createHost(
        {
          path: `/virtual/${driver}-safety.json`,
          config: parseConfig(JSON.stringify(configFor(driver)), `${driver}-safety.json`),
        },
        { log: silentLogger },
      );
      const stage = host.devices.stage as ControllerXYStage;
      const controller = stage.shared.controller as unknown as SerialStageBase;
      const sim = controller.endpoint.simulator?.sim;
      if (!sim) throw new Error('the sim: port did not start a simulator');
      speedUp(sim);

      const refusals: string[] = [];
      let sent = 0;
      const h = host;
      await fc.assert(
        fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 8 }), async (actions) => {
          const from = sim.received.length;
          for (const a of actions) refusals.push(...(await run(h, a)));
          const targets = wireTargets(sim.commandsSince(from));
          sent += targets.length;
          for (const t of targets) {
            const range = t.axis === 'X' ? limits.xUm : t.axis === 'Y' ? limits.yUm : limits.zUm;
            expect(t.um, `"${t.line}" on the wire`).toBeGreaterThanOrEqual(range.min);
            expect(t.um, `"${t.line}" on the wire`).toBeLessThanOrEqual(range.max);
          }
        }),
        { numRuns: 6, seed: 20261124, endOnFailure: true },
      );
      // The property only means something if moves were both sent and refused.
      expect(sent).toBeGreaterThan(5);
      expect(refusals).toContain('E_LIMIT');
      // E_ABORTED: a move ended by stopMidMove fails (cause stop) instead of answering ok.
      expect(refusals.filter((c) => c !== 'E_LIMIT' && c !== 'E_ABORTED')).toEqual([]);
    }, 60_000);
  },
);
