/**
 * The safety supervisor at the wire: a real host process (test/fixtures/supervised-host.ts)
 * with OBIS and Cobolt lasers and an ASI stage on pty wire simulators. The 200 ms latency
 * goal is reported by `npm run bench:safety`; here the bound is only a generous 5 s.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { takeReports } from '../../../../electron/safety/supervisor/report';
import { supervisorReportDir } from '../../../../electron/safety/supervisor/supervised-host';
import {
  OFF_LINE,
  isAlive,
  supervisedRig,
  type HostProcess,
  type SupervisedRig,
} from '../../../support/supervised-rig';
import { until } from '../../../support/wait';

let rig: SupervisedRig;
const hosts: HostProcess[] = [];

beforeEach(async () => {
  rig = await supervisedRig();
});

afterEach(async () => {
  for (const h of hosts.splice(0)) {
    if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGKILL');
    await h.exited;
    await until('the supervisor to exit', () => !isAlive(h.supervisorPid), 10_000);
  }
  await rig.stop();
});

async function start(mode?: 'move', ownGroup = false): Promise<HostProcess> {
  const h = await rig.startHost(mode, ownGroup);
  hosts.push(h);
  return h;
}

function reportDir(): string {
  const saved = process.env.AQUILA_HOME;
  process.env.AQUILA_HOME = rig.home;
  try {
    return supervisorReportDir();
  } finally {
    if (saved === undefined) delete process.env.AQUILA_HOME;
    else process.env.AQUILA_HOME = saved;
  }
}

describe('safety supervisor', () => {
  it('host SIGKILLed with lasers on and the stage moving: lasers off, stage halted, report shown at the next start', async () => {
    const host = await start('move');
    await until('the stage to move', () => rig.world.stage.isBusy(), 5_000);
    expect(rig.sims.obis.sim.line.emission).toBe(true);
    expect(rig.sims.cobolt.sim.line.emission).toBe(true);

    const t0 = performance.now();
    host.child.kill('SIGKILL');
    await until('the supervisor to finish', () => !isAlive(host.supervisorPid), 10_000);
    for (const sim of ['obis', 'cobolt', 'asi'] as const) {
      const at = rig.firstAfter(sim, OFF_LINE[sim], t0);
      expect(at, `${sim} off/halt command on the wire`).not.toBeNull();
      expect(at! - t0).toBeLessThan(5_000);
    }
    expect(rig.sims.obis.sim.line.emission).toBe(false);
    expect(rig.sims.cobolt.sim.line.emission).toBe(false);
    expect(rig.world.stage.isBusy()).toBe(false);
    expect(host.output()).toMatch(/aquila-supervisor: .*laser obis .*: confirmed-off/);
    expect(host.output()).toMatch(/aquila-supervisor: .*stage stage .*: halted/);

    // The next host start shows what the supervisor did, once.
    const next = await start();
    expect(next.output()).toMatch(/WARN Safety supervisor, .*ended without a clean shutdown/);
    expect(next.output()).toContain('laser cobolt');
    const ready = JSON.parse(/^ready (.*)$/m.exec(next.output())![1]!) as { lastReport: string };
    expect(ready.lastReport).toMatch(
      /laser obis \(.*\): confirmed-off.*stage stage \(.*\): halted/,
    );
    next.child.kill('SIGTERM');
    await next.exited;
    expect(takeReports(reportDir()).reports).toEqual([]);
  }, 60_000);

  it('clean shutdown (SIGTERM): the host switches the lasers off and the supervisor touches no port', async () => {
    const host = await start();
    host.child.kill('SIGTERM');
    expect(await host.exited).toEqual({ code: 0, signal: null });
    expect(rig.sims.obis.sim.line.emission).toBe(false);
    const seen = Object.values(rig.sims).map((s) => s.sim.received.length);
    await until('the supervisor to exit', () => !isAlive(host.supervisorPid), 5_000);
    // Any stray byte from the supervisor would have arrived by now.
    await new Promise((r) => setTimeout(r, 300));
    expect(Object.values(rig.sims).map((s) => s.sim.received.length)).toEqual(seen);
    expect(host.output()).not.toMatch(/aquila-supervisor/);
    expect(takeReports(reportDir()).reports).toEqual([]);
  }, 60_000);

  it('supervisor killed: the host says so in its log and state', async () => {
    const host = await start();
    process.kill(host.supervisorPid, 'SIGKILL');
    await until(
      'the host to report the loss',
      () => /^supervisor lost$/m.test(host.output()),
      5_000,
    );
    expect(host.output()).toMatch(
      /ERROR Safety supervisor \d+ killed by SIGKILL: lasers will NOT be switched off/,
    );
    host.child.kill('SIGTERM');
    expect((await host.exited).code).toBe(0);
  }, 60_000);

  it('clean shutdown with a laser that does not confirm off: the supervisor stays armed and tries again after the host', async () => {
    const host = await start();
    rig.sims.cobolt.sim.injectFault({ kind: 'garbage', text: 'zz?' }, Infinity);
    const offsBefore = rig.sims.cobolt.sim.received.filter((r) =>
      OFF_LINE.cobolt.test(r.line.trim()),
    );
    host.child.kill('SIGTERM');
    await host.exited;
    await until('the supervisor to finish', () => !isAlive(host.supervisorPid), 10_000);
    expect(host.output()).toMatch(
      /Safety supervisor stays armed: it retries cobolt once this process ends/,
    );
    // The host's shutdown sends one off (answered with garbage); the supervisor, once the host
    // is gone, sends another. Counted, not timed: the test process may see the host's exit
    // after the supervisor's bytes when the machine is loaded.
    const offsAfter = rig.sims.cobolt.sim.received.filter((r) =>
      OFF_LINE.cobolt.test(r.line.trim()),
    );
    expect(offsAfter.length - offsBefore.length).toBe(2);
    expect(host.output()).toMatch(/aquila-supervisor: laser cobolt \(.*\): unconfirmed/);
    const { reports } = takeReports(reportDir());
    expect(reports).toHaveLength(1);
    expect(reports[0]!.results.map((r) => [r.ids, r.outcome])).toEqual([
      [['obis'], 'confirmed-off'],
      [['cobolt'], 'unconfirmed'],
      [['stage'], 'halted'],
    ]);
  }, 60_000);

  it("SIGKILL to the host's whole process group does not reach the supervisor (own session): lasers off", async () => {
    const host = await start(undefined, true);
    const t0 = performance.now();
    process.kill(-host.child.pid!, 'SIGKILL');
    await host.exited;
    await until('the supervisor to finish', () => !isAlive(host.supervisorPid), 10_000);
    for (const sim of ['obis', 'cobolt'] as const)
      expect(rig.firstAfter(sim, OFF_LINE[sim], t0), `${sim} off`).not.toBeNull();
    expect(rig.sims.obis.sim.line.emission).toBe(false);
    expect(rig.sims.cobolt.sim.line.emission).toBe(false);
  }, 60_000);
});
