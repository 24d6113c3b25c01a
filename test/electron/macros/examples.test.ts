/**
 * Every shipped example macro runs on the simulated microscope, as a dry run and for real,
 * and the dry run's figures match the real run's within 5 %.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DryRunReport } from '../../../electron/api/contract';
import { MacroRecorder } from '../../../electron/macros/dry-run';
import { listLibrary, EXAMPLES_DIR } from '../../../electron/macros/macro-library';
import { macroHost, startMacro } from '../../support/macro-host';

const config = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '../../fixtures/configs/macros.json'), 'utf8'),
);

async function measured(
  dryRun: boolean,
  name: string,
  params: Record<string, unknown> = {},
): Promise<{ report: DryRunReport; phase: string; console: string[]; wallS: number }> {
  const recorder = new MacroRecorder(dryRun);
  const host = await macroHost(config, recorder.hostOptions());
  try {
    recorder.attach(host);
    const started = performance.now();
    const v = await host.macros.whenDone(await startMacro(host, { name, params }));
    const wallS = (performance.now() - started) / 1000;
    recorder.finish();
    if (v.error) throw new Error(`${name}: ${v.error.message}`);
    return {
      report: recorder.report(),
      phase: v.phase,
      console: v.console.map((l) => l.text),
      wallS,
    };
  } finally {
    await host.shutdown('test end');
  }
}

const examples = listLibrary({ examples: EXAMPLES_DIR, user: '/nonexistent' }).map((e) => e.name);

describe('example macros', () => {
  it('ship the three of issue #15', () => {
    expect(examples).toEqual(['flimp-well-plate', 'laser-power-series', 'z-stack-at-rois']);
  });

  it.each(examples)('%s runs dry and for real on the simulator', async (name) => {
    const dry = await measured(true, name);
    const real = await measured(false, name);
    expect(dry.phase).toBe('finished');
    expect(real.phase).toBe('finished');
    expect(real.report.frames).toBeGreaterThan(0);
    expect(dry.report.frames).toBe(real.report.frames);
    expect(dry.report.refusals).toEqual([]);
    expect(dry.console.length).toBeGreaterThan(0);
  });

  it('a dry run skips sleeps yet reports the real run’s figures within 5 %', async () => {
    const params = { settleMs: 1500, autofocus: false, powersMw: '5,10,20' };
    const dry = await measured(true, 'laser-power-series', params);
    const real = await measured(false, 'laser-power-series', params);
    // the 4.5 s of sleeps were skipped
    expect(dry.wallS).toBeLessThan(real.wallS - 3);
    const within = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(0.05 * b);
    // Duration on its modelled part: the sleeps, exact in the dry run, waited in the real one.
    // Device calls and script run in real time on both (their time depends on the machine's
    // load), so they are only checked to be there and to make up the rest of the duration.
    expect(dry.report.sleptS).toBe(4.5);
    within(dry.report.sleptS, real.report.sleptS);
    // Node's timers may fire up to 1 ms early against performance.now: 3 sleeps, 3 ms
    expect(real.report.sleptS).toBeGreaterThanOrEqual(4.5 - 0.003);
    // what is not slept is real time on both: within each run's own wall time outside sleeps
    expect(dry.report.durationS).toBeGreaterThan(dry.report.sleptS);
    expect(dry.report.durationS - dry.report.sleptS).toBeLessThanOrEqual(dry.wallS);
    expect(real.report.durationS).toBeGreaterThan(real.report.sleptS);
    expect(real.report.durationS).toBeLessThanOrEqual(real.wallS);
    expect(dry.report.frames).toBe(real.report.frames);
    expect(dry.report.bytes).toBe(real.report.bytes);
    within(dry.report.focusTravelUm, real.report.focusTravelUm);
    within(dry.report.stageTravelUm, real.report.stageTravelUm);
    const dose = real.report.exposureDoseMj.laser488!;
    // 3 frames × 10 ms at 5, 10, 20 mW
    expect(dose).toBeCloseTo(0.35, 2);
    within(dry.report.exposureDoseMj.laser488!, dose);
    // all emission includes the simulator's render time with the light on: load-dependent
    const emitted = real.report.laserDoseMj.laser488!;
    expect(emitted).toBeGreaterThanOrEqual(dose);
    expect(Math.abs(dry.report.laserDoseMj.laser488! - emitted)).toBeLessThanOrEqual(0.5 * emitted);
  });
});
