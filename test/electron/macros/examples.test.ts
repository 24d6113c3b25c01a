/**
 * Every shipped example macro runs on the simulated microscope, as a dry run (simulated time:
 * device waits skipped) and for real, and the dry run's figures — duration included — match
 * the real run's within 5 %. The instrument here is slow enough (stage, focus, exposure,
 * read-out) that device time dominates each run, as on a real microscope.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { realTime, type SimClock } from '../../../drivers/sim/sim-clock';
import type { DryRunReport } from '../../../electron/api/contract';
import { MacroRecorder } from '../../../electron/macros/dry-run';
import { listLibrary, EXAMPLES_DIR } from '../../../electron/macros/macro-library';
import { basePlan, colony, truthOf } from '../../support/automation-rig';
import { macroHost, MACRO_CTX, startMacro } from '../../support/macro-host';
import { tempDir } from '../../support/temp-dir';

const base = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '../../fixtures/configs/macros.json'), 'utf8'),
) as {
  devices: { kind: string; options: Record<string, unknown> }[];
  channels: Record<string, unknown>[];
};
/** The test scope with device times that dominate a run: slow motion, long exposure and read-out. */
const config = {
  ...base,
  devices: base.devices.map((d) => ({
    ...d,
    options: {
      ...d.options,
      ...(d.kind === 'xy-stage' && { speedUmPerS: 200 }),
      ...(d.kind === 'z-drive' && { speedUmPerS: 10 }),
      ...(d.kind === 'camera' && { readoutMs: 100 }),
    },
  })),
  channels: base.channels.map((c) => ({ ...c, exposureMs: 400 })),
};

/**
 * Real time, measuring how late the devices' waits end: on a loaded machine the host wakes
 * late from every timer (and would from every device's completion), which a dry run cannot
 * model — the comparison allows the real run this much more time, measured, and no more.
 */
function lateMeter(): { clock: SimClock; lateMs: () => number } {
  let late = 0;
  return {
    clock: {
      ...realTime,
      after(ms, fn) {
        const due = realTime.now() + ms;
        return realTime.after(ms, () => {
          late += Math.max(0, realTime.now() - due);
          fn();
        });
      },
    },
    lateMs: () => late,
  };
}

async function measured(
  dryRun: boolean,
  name: string | { source: string },
  params: Record<string, unknown> = {},
): Promise<{ report: DryRunReport; console: string[]; wallS: number; lateS: number }> {
  const recorder = new MacroRecorder(dryRun);
  const meter = lateMeter();
  // Datasets and automation runs go to a fresh folder, so the dry and real runs' names are free.
  const storage = { datasetsRoot: tempDir('aquila-examples-') };
  const host = await macroHost(
    { ...config, storage },
    {
      ...recorder.hostOptions(),
      ...(!dryRun && { simTime: meter.clock }),
    },
  );
  try {
    // Worker pools (rendering, analysis) start on first use: warm them outside the measurement,
    // as on an instrument that has been up for a while. The autofocus scores its 5 coarse
    // images whatever the range; ±1 µm keeps the slow focus drive's travel short.
    await host.call('camera.snap', {}, MACRO_CTX);
    await host.call('autofocus.run', { rangeUm: 1, toleranceUm: 0.5 }, MACRO_CTX);
    await host.call('focus.moveTo', { zUm: 0 }, MACRO_CTX);
    recorder.attach(host);
    const started = performance.now();
    const which = typeof name === 'string' ? { name } : name;
    const v = await host.macros.whenDone(await startMacro(host, { ...which, params }));
    const wallS = (performance.now() - started) / 1000;
    recorder.finish();
    if (v.error) throw new Error(`${JSON.stringify(name)}: ${v.error.message}`);
    expect(v.phase).toBe('finished');
    const lateS = meter.lateMs() / 1000;
    return { report: recorder.report(), console: v.console.map((l) => l.text), wallS, lateS };
  } finally {
    await host.shutdown('test end');
  }
}

/**
 * `dry` within 5 % of `real`, either way widened by `lateAllowance`: the real run's timers
 * fired that late (see lateMeter), and the dry run's own work (renders, writes, autofocus
 * scoring), which holds its fast clock, is stretched by the same machine load.
 */
const within5 = (what: string, dry: number, real: number, lateAllowance = 0) => {
  const msg = `${what}: dry ${dry}, real ${real}, late allowance ${lateAllowance.toFixed(3)}`;
  expect(dry, msg).toBeLessThanOrEqual(real + 0.05 * Math.abs(real) + lateAllowance);
  expect(dry, msg).toBeGreaterThanOrEqual(real - 0.05 * Math.abs(real) - lateAllowance);
};

/** The most any line emits here, mW: lateness with the light on adds at most this per ms. */
const MAX_POWER_MW = 20;

/** Every figure of the two reports within 5 %; frames, bytes and refusals equal. */
function agree(dry: DryRunReport, real: DryRunReport, lateS: number): void {
  expect(real.frames).toBeGreaterThan(0);
  expect(dry.frames).toBe(real.frames);
  expect(dry.bytes).toBe(real.bytes);
  expect(dry.refusals).toEqual(real.refusals);
  within5('duration', dry.durationS, real.durationS, lateS);
  within5('slept', dry.sleptS, real.sleptS);
  within5('stage travel', dry.stageTravelUm, real.stageTravelUm);
  within5('focus travel', dry.focusTravelUm, real.focusTravelUm);
  expect(Object.keys(dry.laserDoseMj).sort()).toEqual(Object.keys(real.laserDoseMj).sort());
  for (const [line, mj] of Object.entries(real.laserDoseMj)) {
    within5(`${line} dose`, dry.laserDoseMj[line]!, mj, lateS * MAX_POWER_MW);
    within5(`${line} exposure dose`, dry.exposureDoseMj[line]!, real.exposureDoseMj[line]!);
  }
}

const examples = listLibrary({ examples: EXAMPLES_DIR, user: '/nonexistent' }).map((e) => e.name);
/** Smaller than the examples' defaults, so the real runs stay under a minute. */
const PARAMS: Record<string, Record<string, unknown>> = {
  'flimp-well-plate': { cols: 1, roisPerWell: 2, maxFrames: 2 },
  'laser-power-series': { powersMw: '5,20' },
  'z-stack-at-rois': { maxRois: 2, fields: 2, exposureMs: 400, rangeUm: 6 },
};

describe('example macros', () => {
  it('ship the three of issue #15', () => {
    expect(examples).toEqual(['flimp-well-plate', 'laser-power-series', 'z-stack-at-rois']);
  });

  it.each(examples)(
    '%s: a dry run reports the real run’s figures within 5 per cent',
    {
      timeout: 120_000,
    },
    async (name) => {
      const dry = await measured(true, name, PARAMS[name]);
      const real = await measured(false, name, PARAMS[name]);
      agree(dry.report, real.report, real.lateS);
      expect(dry.console.length).toBeGreaterThan(0);
      expect(dry.console).toEqual(real.console);
      // the device time was skipped, not waited
      expect(dry.wallS).toBeLessThan(real.wallS);
    },
  );

  it('a dry run skips sleeps and device waits yet reports the real run’s figures', async () => {
    const params = { settleMs: 1500, autofocus: false, powersMw: '5,10,20' };
    const dry = await measured(true, 'laser-power-series', params);
    const real = await measured(false, 'laser-power-series', params);
    agree(dry.report, real.report, real.lateS);
    expect(dry.report.sleptS).toBe(4.5);
    // the 4.5 s of sleeps were skipped
    expect(dry.wallS).toBeLessThan(real.wallS - 3);
    // 3 frames × 400 ms at 5, 10, 20 mW
    expect(real.report.exposureDoseMj.laser488).toBeCloseTo(14, 1);
  });

  it('dry-runs minutes of device time in seconds, with the modelled figures', async () => {
    // 2.25 mm at 200 µm/s, 90 µm of focus at 10 µm/s, 4 × (20 s exposure + 100 ms read-out)
    // at 20 mW, 60 s of sleep, and a time-lapse run: 3 frames 30 s apart (100 ms exposures)
    const source = `
      await aquila.channel.apply({ name: 'GFP' });
      await aquila.camera.setExposure({ exposureMs: 20000 });
      await aquila.stage.moveTo({ xUm: 750, yUm: 0 });
      await aquila.stage.moveTo({ xUm: -750, yUm: 0 });
      await aquila.focus.moveTo({ zUm: 30 });
      await aquila.focus.moveTo({ zUm: -30 });
      for (let i = 0; i < 4; i++) await aquila.camera.snap();
      await aquila.sleep(60000);
      await aquila.run.start({
        plan: { time_plan: { interval: 30, loops: 3 }, channels: [{ config: 'GFP', exposure: 100 }] },
      });
      const end = await aquila.wait('run');
      if (end.state !== 'finished') throw new Error('run ' + end.state);`;
    const dry = await measured(true, { source });
    const modelledS = 2250 / 200 + 90 / 10 + 4 * 20.1 + 60 + 60 + 0.2;
    expect(dry.wallS).toBeLessThan(20);
    expect(dry.report.durationS).toBeGreaterThanOrEqual(modelledS);
    within5('duration', dry.report.durationS, modelledS);
    expect(dry.report.frames).toBe(7);
    expect(dry.report.stageTravelUm).toBeCloseTo(2250, -1);
    within5('exposure dose', dry.report.exposureDoseMj.laser488!, 4 * 20 * 20 + 3 * 0.1 * 20);
    within5('dose', dry.report.laserDoseMj.laser488!, 4 * 20 * 20 + 3 * 0.1 * 20);
  });

  it('a macro polling with sleeps while its run acquires does not slow the run’s simulated time', async () => {
    const start = `
      await aquila.run.start({
        plan: { z_plan: { range: 8, step: 1 }, channels: [{ config: 'GFP', exposure: 400 }] },
      });`;
    const waited = await measured(true, { source: `${start}\nawait aquila.wait('run');` });
    const polled = await measured(true, {
      source: `${start}
        while ((await aquila.state()).run?.state === 'running') await aquila.sleep(1000);`,
    });
    expect(polled.report.frames).toBe(9);
    expect(waited.report.frames).toBe(9);
    // the poll ends up to one sleep after the run
    expect(polled.report.durationS).toBeLessThanOrEqual(waited.report.durationS * 1.05 + 1);
  });

  it('a device call the macro overlaps with its own computing takes the longer of the two', async () => {
    // a 1 mm move (5 s at 200 µm/s) started, then 1.5 s of script, then the move awaited
    const source = `
      const move = aquila.stage.moveTo({ xUm: 1000, yUm: 0 });
      const t0 = Date.now();
      while (Date.now() - t0 < 1500) {}
      await move;`;
    const dry = await measured(true, { source });
    const real = await measured(false, { source });
    within5('duration', dry.report.durationS, real.report.durationS, real.lateS);
    expect(dry.report.durationS).toBeLessThan(5 + 1.5);
  });

  it(
    'dry-runs a FLImP automation run: its ROI intervals are skipped, its duration kept',
    {
      timeout: 60_000,
    },
    async () => {
      // 2 ROIs × 3 time points 1.5 s apart: 6 s of intervals the dry run does not wait for
      const { xUm, yUm } = colony(truthOf(config)).c;
      const plan = {
        ...basePlan,
        scan: { columns: 1, rows: 1, centreUm: { xUm, yUm } },
        maxRois: 2,
        roi: {
          ...basePlan.roi,
          programme: [{ laserId: 'laser488', powerMw: 5, exposureMs: 100, name: 'GFP' }],
          intervalMs: 1500,
          stopFraction: 0,
          minFrames: 3,
          maxFrames: 3,
        },
      };
      const source = `
      await aquila.automation.start({ plan: ${JSON.stringify(plan)}, name: 'intervals' });
      const end = await aquila.wait('automation');
      if (end.phase !== 'finished') throw new Error('automation ' + end.phase);
      aquila.log(end.imaged + ' ROIs imaged');`;
      const dry = await measured(true, { source });
      const real = await measured(false, { source });
      expect(real.console).toEqual(['2 ROIs imaged']);
      expect(dry.console).toEqual(real.console);
      // 1 tile + 2 × 3 time points
      expect(real.report.frames).toBe(7);
      agree(dry.report, real.report, real.lateS);
      expect(real.report.durationS).toBeGreaterThan(6);
      expect(dry.wallS).toBeLessThan(real.wallS / 2);
    },
  );
});
