/**
 * A simulated microscope for focus-lock tests and the focus-lock benchmark: stage, Z drive
 * and IR focus sensor on one SimWorld whose clock is real time plus a skew the loop's
 * `sleep` advances, so minutes of drift pass in a fraction of a second while the devices'
 * own waits still end. Z moves go through the real SafetyLayer with the given Z limits.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { SimFocusSensor } from '../../../drivers/sim/focus-sensor';
import { SimXYStage, SimZDrive } from '../../../drivers/sim/sim-devices';
import { SimWorld, type SimWorldOptions } from '../../../drivers/sim/world';
import { silentLogger } from '../../../electron/host/logger';
import { SafetyLayer } from '../../../electron/safety/safety-layer';
import type { FocusDrive } from '../../../electron/automation/focus-lock';

export interface FocusLockRigOptions {
  world?: Partial<SimWorldOptions>;
  sensor?: Record<string, unknown>;
  zLimitsUm?: { min: number; max: number };
}

export async function focusLockRig(options: FocusLockRigOptions = {}) {
  let skewMs = 0;
  const t0 = performance.now();
  const world = new SimWorld({
    seed: 4,
    cellCount: 0,
    slideHalfWidthUm: 1_000,
    coverslip: { tiltXUmPerMm: 2, tiltYUmPerMm: -1, curvatureUmPerMm2: 0.3, offsetUm: 0 },
    drift: { zUmPerMin: 0.3, zStepProbPerMin: 0.1, zStepUm: 0.2, xyUmPerMin: 0.5 },
    ...options.world,
    clock: () => performance.now() - t0 + skewMs,
  });
  const stage = new SimXYStage('stage', world, { speedUmPerS: 1e6 });
  const zDrive = new SimZDrive('focus', world, { speedUmPerS: 1e6 });
  const sensor = new SimFocusSensor('pfs', world, options.sensor ?? {});
  for (const d of [stage, zDrive, sensor]) await d.connect();
  const safety = new SafetyLayer(
    {
      xUm: { min: -5_000, max: 5_000 },
      yUm: { min: -5_000, max: 5_000 },
      zUm: options.zLimitsUm ?? { min: -100, max: 100 },
    },
    { stage, focus: zDrive, lasers: new Map(), camera: undefined },
    silentLogger,
  );
  const focus: FocusDrive = {
    moveToUm: (zUm) => safety.moveFocusTo(zUm),
    positionUm: () => zDrive.getPositionUm(),
  };
  const zUm = () => world.focus.positionUm()[0] ?? 0;
  /** Objective z minus the in-focus z under the objective now, µm. */
  const focusErrorUm = () => {
    const [x = 0, y = 0] = world.stage.positionUm();
    return zUm() - world.truth.focusZUm(x, y);
  };
  const ticks = new Set<() => void>();
  /** The lock's sleep: advances simulated time by `ms`, runs tick listeners, yields. */
  const sleep = async (ms: number) => {
    skewMs += ms;
    for (const t of ticks) t();
    await yieldToEventLoop();
  };
  /** Puts the objective in focus at the current stage position. */
  const focusHere = async () => {
    await focus.moveToUm(zUm() - focusErrorUm());
  };
  /** Advances simulated time by `ms` in `stepMs` steps without a lock running. */
  const pass = async (ms: number, stepMs = 20) => {
    for (let t = 0; t < ms; t += stepMs) await sleep(stepMs);
  };
  return {
    world,
    stage,
    zDrive,
    sensor,
    safety,
    focus,
    sleep,
    pass,
    zUm,
    focusErrorUm,
    focusHere,
    simMs: () => world.clock(),
    onTick(listener: () => void) {
      ticks.add(listener);
      return () => ticks.delete(listener);
    },
  };
}

/**
 * While a lock runs (its sleep advances time), waits until `ms` of simulated time have
 * passed, sampling `f` every tick; returns the samples. Fails if simulated time stalls.
 */
export async function sampleFor(
  rig: Awaited<ReturnType<typeof focusLockRig>>,
  ms: number,
  f: () => number,
): Promise<number[]> {
  const out: number[] = [];
  const end = rig.simMs() + ms;
  const off = rig.onTick(() => out.push(f()));
  const deadline = performance.now() + 10_000;
  try {
    while (rig.simMs() < end) {
      if (performance.now() > deadline)
        throw new Error('simulated time stalled: is the lock running?');
      await yieldToEventLoop();
    }
  } finally {
    off();
  }
  return out;
}

export const rms = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);

/** While a lock runs, waits for `done()`; fails after `maxMs` of simulated time or 10 s of real time. */
export async function runUntil(
  rig: Awaited<ReturnType<typeof focusLockRig>>,
  done: () => boolean,
  maxMs: number,
): Promise<void> {
  const end = rig.simMs() + maxMs;
  const deadline = performance.now() + 10_000;
  while (!done()) {
    if (rig.simMs() > end || performance.now() > deadline) {
      throw new Error(`condition not met within ${maxMs} ms of simulated time`);
    }
    await yieldToEventLoop();
  }
}
