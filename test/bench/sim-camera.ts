/**
 * Simulated-camera throughput, each figure against a baseline measured in the same run:
 * - live sample mode at 2048² (render workers): frames/s vs. how many 2048² frames/s the
 *   main thread can merely allocate and copy; plus event-loop delay while live;
 * - test-pattern live: GB/s vs. a bare copy loop of the same frame bytes.
 * The machine is shared, so the baseline is measured right before and right after each
 * phase and averaged. The sample is the default config's (assets/configs/simulated.json).
 * Run: npm run bench:sim  (options: --seconds=N)
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { RawFrame } from '../../drivers/devices';
import { SimCamera } from '../../drivers/sim/camera';
import { sampleFor } from '../../drivers/sim/sample';
import { SimLaser } from '../../drivers/sim/sim-devices';
import { SimWorld } from '../../drivers/sim/world';

const seconds = Number(/--seconds=(\d+(?:\.\d+)?)/.exec(process.argv.join(' '))?.[1] ?? 3);
const SIDE = 2048;
const BYTES = SIDE * SIDE * 2;

function baselineCopyPerS(ms: number): number {
  const src = new Uint16Array(SIDE * SIDE).map((_, i) => i & 0xfff);
  let n = 0;
  let sink = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    const copy = src.slice();
    sink += copy[n % copy.length] ?? 0;
    n++;
  }
  if (sink < 0) console.log(sink);
  return n / ((performance.now() - t0) / 1000);
}

async function liveRate(
  camera: SimCamera,
  ms: number,
): Promise<{
  fps: number;
  bytesPerS: number;
  maxLagMs: number;
  p99LagMs: number;
  /** Fraction of wall time the host's event loop was busy (not idle-waiting). */
  elu: number;
  gaps: number;
}> {
  let frames = 0;
  let bytes = 0;
  let gaps = 0;
  let lastSeq = -1;
  let t0 = 0;
  const onFrame = (f: RawFrame) => {
    if (lastSeq >= 0 && f.seq !== lastSeq + 1) gaps++;
    lastSeq = f.seq;
    if (t0 === 0) {
      t0 = performance.now(); // first frame: workers are warm
      return;
    }
    frames++;
    bytes += f.pixels.byteLength;
  };
  await camera.startLive(onFrame);
  while (t0 === 0) await new Promise((r) => setTimeout(r, 5));
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const elu0 = performance.eventLoopUtilization();
  await new Promise((r) => setTimeout(r, ms));
  const elapsedS = (performance.now() - t0) / 1000;
  const elu = performance.eventLoopUtilization(elu0).utilization;
  lag.disable();
  await camera.stopLive();
  return {
    fps: frames / elapsedS,
    bytesPerS: bytes / elapsedS,
    maxLagMs: lag.max / 1e6,
    p99LagMs: lag.percentile(99) / 1e6,
    elu,
    gaps,
  };
}

function defaultSim(): { seed: number; cellCount: number; slideHalfWidthUm: number } {
  const url = new URL('../../assets/configs/simulated.json', import.meta.url);
  const cfg = JSON.parse(readFileSync(url, 'utf8')) as {
    sim?: { seed?: number; cellCount?: number; slideHalfWidthUm?: number };
  };
  return {
    seed: cfg.sim?.seed ?? 7,
    cellCount: cfg.sim?.cellCount ?? 400,
    slideHalfWidthUm: cfg.sim?.slideHalfWidthUm ?? 2_000,
  };
}

/** Runs `phase` between two baseline measurements; returns its result and their mean. */
async function bracketed<T>(phase: () => Promise<T>): Promise<{ result: T; copyPerS: number }> {
  const before = baselineCopyPerS(750);
  const result = await phase();
  const after = baselineCopyPerS(750);
  return { result, copyPerS: (before + after) / 2 };
}

async function main(): Promise<void> {
  const sim = defaultSim();
  const world = new SimWorld(sim);
  const lines: Array<[number, number]> = [
    [405, 5],
    [488, 10],
    [561, 20],
    [640, 20],
  ];
  const lasers = lines.map(
    ([nm]) => new SimLaser(`l${nm}`, world, { wavelengthNm: nm, maxPowerMw: 100 }),
  );
  for (const [i, l] of lasers.entries()) {
    await l.connect();
    await l.setPowerMw(lines[i]?.[1] ?? 10);
    await l.setEmission(true);
  }
  const cell = sampleFor(world).cellCentreUm(0);
  world.stage.setPositionUm([cell?.xUm ?? 0, cell?.yUm ?? 0]);
  const fov = SIDE * 0.1083;
  const visible = sampleFor(world).cellsIn(
    (cell?.xUm ?? 0) - fov / 2,
    (cell?.yUm ?? 0) - fov / 2,
    (cell?.xUm ?? 0) + fov / 2,
    (cell?.yUm ?? 0) + fov / 2,
  ).length;
  console.log(
    `sample: seed ${sim.seed}, ${sim.cellCount} cells over ±${sim.slideHalfWidthUm} µm; ` +
      `${visible} cells in the field; 4 lasers on`,
  );

  const live = await bracketed(async () => {
    const camera = new SimCamera('cam', world, { readoutMs: 0, mode: 'sample' });
    await camera.connect();
    await camera.setExposureMs(1);
    const r = await liveRate(camera, seconds * 1_000);
    await camera.disconnect();
    return r;
  });
  const l = live.result;
  console.log(
    `baseline: main-thread alloc+copy of one ${SIDE}² uint16 frame: ${live.copyPerS.toFixed(0)} frames/s`,
  );
  console.log(
    `live sample ${SIDE}² (2 render workers, 1 ms exposure): ${l.fps.toFixed(1)} frames/s ` +
      `(goal ≥ 30) = ${(l.fps / live.copyPerS).toFixed(3)} × baseline; seq gaps ${l.gaps}; ` +
      `host event loop busy ${(100 * l.elu).toFixed(0)} %, delay p99 ${l.p99LagMs.toFixed(1)} ms, ` +
      `max ${l.maxLagMs.toFixed(1)} ms`,
  );

  const tp = await bracketed(async () => {
    const pattern = new SimCamera('pattern', world, { readoutMs: 0, mode: 'test-pattern' });
    await pattern.connect();
    await pattern.setExposureMs(0.01);
    const r = await liveRate(pattern, seconds * 1_000);
    await pattern.disconnect();
    return r;
  });
  const baselineGBs = (tp.copyPerS * BYTES) / 1e9;
  const gbs = tp.result.bytesPerS / 1e9;
  console.log(`baseline: main-thread copy of the same bytes: ${baselineGBs.toFixed(2)} GB/s`);
  console.log(
    `test pattern ${SIDE}² (2 workers): ${tp.result.fps.toFixed(0)} frames/s = ${gbs.toFixed(2)} GB/s ` +
      `(goal ≥ 1) = ${(gbs / baselineGBs).toFixed(3)} × baseline; seq gaps ${tp.result.gaps}; ` +
      `host event loop busy ${(100 * tp.result.elu).toFixed(0)} %, delay p99 ${tp.result.p99LagMs.toFixed(1)} ms`,
  );
  for (const laser of lasers) await laser.disconnect();
}

await main();
