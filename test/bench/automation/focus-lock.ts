/**
 * Focus-lock benchmark section: RMS focus error (objective z vs the simulated ground truth)
 * over a long simulated run with thermal drift, focus steps, XY drift and a tile move
 * every 30 s across a tilted, curved coverslip — against two baselines measured in the
 * same run on the same world: no lock at all, and an ideal software refocus after every tile
 * move (z set to the true focus, zero error, zero time: a lower bound for per-tile autofocus).
 * All samples count, including those right after a step or a tile move.
 *
 * Simulated time: the world clock is real time plus a skew the loop's sleep advances, so
 * an hour runs in seconds. `run` is the section entry of `npm run bench:automation`;
 * alone: npx tsx test/bench/automation/focus-lock.ts [--minutes=N] [--seed=N]
 */
import path from 'node:path';
import { FocusLock } from '../../../electron/automation/focus-lock';
import { focusLockRig, rms } from '../../electron/automation/focus-lock-rig';

export interface FocusLockBenchOptions {
  /** Simulated run length, min (default 60). */
  minutes?: number;
  seed?: number;
}

/** Has the shape of the harness's SectionReport (test/bench/automation/report.ts). */
export interface FocusLockBenchResult {
  section: 'focus-lock';
  lines: string[];
  figures: {
    lockRmsNm: number;
    lockMaxNm: number;
    noLockRmsNm: number;
    refocusRmsNm: number;
    driftRangeUm: number;
    samples: number;
    realSeconds: number;
  };
  goalMet: boolean;
}

const PERIOD_MS = 20;
const TILE_EVERY_MS = 30_000;
const TILE_STEP_UM = 150;
/** The software-refocus baseline refocuses right after each tile move, as per-tile autofocus does. */
const REFOCUS_EVERY_MS = TILE_EVERY_MS;
const GOAL_NM = 30;

type Rig = Awaited<ReturnType<typeof focusLockRig>>;

async function newRig(seed: number): Promise<Rig> {
  const rig = await focusLockRig({
    world: {
      seed,
      coverslip: { tiltXUmPerMm: 2, tiltYUmPerMm: -1.2, curvatureUmPerMm2: 0.3, offsetUm: 0 },
      drift: { zUmPerMin: 0.15, zStepProbPerMin: 0.05, zStepUm: 0.25, xyUmPerMin: 0.1 },
    },
  });
  await rig.focusHere();
  return rig;
}

/**
 * Runs `minutes` of simulated time on `rig`, moving the stage one tile every 30 s along a
 * serpentine and calling `each` once per 20 ms tick; returns the focus error at each tick.
 */
async function scan(
  rig: Rig,
  minutes: number,
  advance: (ms: number) => Promise<void>,
  each: (tMs: number) => Promise<void> = async () => undefined,
): Promise<number[]> {
  const errors: number[] = [];
  const t0 = rig.simMs();
  let tile = 0;
  const off = rig.onTick(() => errors.push(rig.focusErrorUm()));
  try {
    while (rig.simMs() - t0 < minutes * 60_000) {
      const t = rig.simMs() - t0;
      if (t >= (tile + 1) * TILE_EVERY_MS) {
        tile++;
        const row = Math.floor(tile / 10);
        const col = row % 2 === 0 ? tile % 10 : 9 - (tile % 10);
        await rig.stage.moveToUm({ xUm: col * TILE_STEP_UM, yUm: row * TILE_STEP_UM });
      }
      await each(t);
      await advance(PERIOD_MS);
    }
  } finally {
    off();
  }
  return errors;
}

export async function benchFocusLock(
  options: FocusLockBenchOptions = {},
): Promise<FocusLockBenchResult> {
  const minutes = options.minutes ?? 60;
  const seed = options.seed ?? 11;
  const t0 = performance.now();

  // Baseline 1: no lock.
  const open = await newRig(seed);
  const noLock = await scan(open, minutes, open.pass);

  // Baseline 2: ideal software refocus at every tile.
  const periodic = await newRig(seed);
  let nextRefocus = 0;
  const refocus = await scan(periodic, minutes, periodic.pass, async (t) => {
    if (t < nextRefocus) return;
    nextRefocus += REFOCUS_EVERY_MS;
    await periodic.focusHere();
  });

  // The lock: its own loop advances time; the scan only waits for it.
  const locked = await newRig(seed);
  const lock = new FocusLock(
    { sensor: locked.sensor, focus: locked.focus },
    { sleep: locked.sleep },
  );
  await lock.calibrate();
  await lock.lock();
  const lost: string[] = [];
  lock.onLost((r) => lost.push(r));
  const waitFor = async (ms: number) => {
    const end = locked.simMs() + ms;
    while (locked.simMs() < end && lock.status().state !== 'lost') {
      await new Promise((r) => setImmediate(r));
    }
    if (lock.status().state === 'lost') throw new Error(`focus lock lost: ${lost[0]}`);
  };
  const withLock = await scan(locked, minutes, waitFor);
  lock.unlock();

  const driftRangeUm =
    noLock.reduce((m, e) => Math.max(m, e), -Infinity) -
    noLock.reduce((m, e) => Math.min(m, e), Infinity);
  const figures = {
    lockRmsNm: rms(withLock) * 1000,
    lockMaxNm: withLock.reduce((m, e) => Math.max(m, Math.abs(e)), 0) * 1000,
    noLockRmsNm: rms(noLock) * 1000,
    refocusRmsNm: rms(refocus) * 1000,
    driftRangeUm,
    samples: withLock.length,
    realSeconds: (performance.now() - t0) / 1000,
  };
  const goalMet = figures.lockRmsNm <= GOAL_NM;
  const f = (nm: number) => `${nm.toFixed(1).padStart(8)} nm`;
  const lines = [
    `Focus lock — ${minutes} simulated min, drift range ${driftRangeUm.toFixed(2)} µm, tile move every ${TILE_EVERY_MS / 1000} s, ${figures.samples} samples at ${PERIOD_MS} ms`,
    `  RMS focus error, focus lock          ${f(figures.lockRmsNm)}   (max ${figures.lockMaxNm.toFixed(0)} nm)`,
    `  RMS focus error, no lock (baseline)  ${f(figures.noLockRmsNm)}   ratio ${(figures.lockRmsNm / figures.noLockRmsNm).toFixed(4)}`,
    `  RMS, ideal refocus every tile (${REFOCUS_EVERY_MS / 1000} s)  ${f(figures.refocusRmsNm)}   ratio ${(figures.lockRmsNm / figures.refocusRmsNm).toFixed(3)}`,
    `  goal ≤ ${GOAL_NM} nm: ${goalMet ? 'met' : 'NOT met'}   (${figures.realSeconds.toFixed(1)} s real time)`,
  ];
  return { section: 'focus-lock', lines, figures, goalMet };
}

/** Section entry for test/bench/automation.ts. */
export const run = (): Promise<FocusLockBenchResult> => benchFocusLock();

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const arg = (name: string) => {
    const m = new RegExp(`--${name}=(\\d+(?:\\.\\d+)?)`).exec(process.argv.join(' '));
    return m ? Number(m[1]) : undefined;
  };
  const result = await benchFocusLock({ minutes: arg('minutes'), seed: arg('seed') });
  console.log(result.lines.join('\n'));
}
