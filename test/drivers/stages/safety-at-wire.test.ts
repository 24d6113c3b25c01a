/**
 * Safety at the wire: random moves, jogs and stops through the host API (safety layer →
 * asi-ms2000 driver → real pty → simulator). Whatever the API was asked, no move command
 * beyond the configured envelope ever reaches the controller.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../electron/host/command-handlers';
import { createHost, type Host } from '../../../electron/host/host';
import { silentLogger } from '../../../electron/host/logger';
import type { AsiController } from '../../../drivers/stages/asi/asi-controller';
import type { AsiWireSim } from '../../../drivers/stages/asi/asi-wire-sim';
import { asiUnitsToUm } from '../../../drivers/stages/asi/asi-protocol';
import type { ControllerXYStage } from '../../../drivers/stages/stage-controller';
import { parseConfig } from '../../../electron/config/load';

const limits = {
  xUm: { min: -400, max: 600 },
  yUm: { min: -500, max: 300 },
  zUm: { min: -40, max: 60 },
};

const config = {
  name: 'ASI on a wire simulator',
  devices: [
    { id: 'stage', kind: 'xy-stage', driver: 'asi-ms2000', options: { port: 'sim:asi-ms2000' } },
    { id: 'focus', kind: 'z-drive', driver: 'asi-ms2000', options: { port: 'sim:asi-ms2000' } },
  ],
  limits,
};

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

/** Every axis target of every absolute or relative move command in the log, in µm. */
function wireTargets(lines: string[]): { line: string; axis: string; um: number }[] {
  const out: { line: string; axis: string; um: number }[] = [];
  for (const line of lines) {
    const m = /^(M|MOVE|R|MOVREL)\s+(.*)$/i.exec(line);
    if (!m) continue;
    // Relative moves are never expected; flag them as a target of NaN so the check fails.
    const relative = /^(R|MOVREL)$/i.test(m[1] ?? '');
    for (const [, axis = '', v = ''] of (m[2] ?? '').matchAll(/([A-Z])=(\S+)/gi)) {
      out.push({ line, axis: axis.toUpperCase(), um: relative ? NaN : asiUnitsToUm(Number(v)) });
    }
  }
  return out;
}

describe('safety at the wire (asi-ms2000 on sim:asi-ms2000 through the host)', () => {
  let host: Host | undefined;
  afterEach(async () => {
    await host?.shutdown('test end');
    host = undefined;
  });

  it('never sends a move beyond the envelope, whatever the API is asked', async () => {
    host = await createHost(
      {
        path: '/virtual/asi-safety.json',
        config: parseConfig(JSON.stringify(config), 'asi-safety.json'),
      },
      { log: silentLogger },
    );
    const stage = host.devices.stage as ControllerXYStage;
    const controller = stage.shared.controller as AsiController;
    const sim = controller.endpoint.simulator?.sim as AsiWireSim;
    expect(sim).toBeDefined();
    // Fastest simulated speeds keep the run short (sent straight to the simulator, not logged).
    sim.respond('S X=7.5 Y=7.5 Z=2');

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
    expect(refusals.filter((c) => c !== 'E_LIMIT')).toEqual([]);
  }, 60_000);
});
