/**
 * Simulated-camera throughput, each figure against a baseline measured in the same run:
 * - live sample mode at 2048² (render workers): frames/s vs. how many 2048² frames/s the
 *   main thread can merely allocate and copy; plus event-loop delay while live;
 * - test-pattern live: GB/s vs. a bare copy loop of the same frame bytes.
 * Run: npm run bench:sim  (options: --seconds=N)
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
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
): Promise<{ fps: number; bytesPerS: number; maxLagMs: number; p99LagMs: number; gaps: number }> {
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
  await new Promise((r) => setTimeout(r, ms));
  const elapsedS = (performance.now() - t0) / 1000;
  lag.disable();
  await camera.stopLive();
  return {
    fps: frames / elapsedS,
    bytesPerS: bytes / elapsedS,
    maxLagMs: lag.max / 1e6,
    p99LagMs: lag.percentile(99) / 1e6,
    gaps,
  };
}

async function main(): Promise<void> {
  const world = new SimWorld({ seed: 7, cellCount: 400, slideHalfWidthUm: 2_000 });
  const lasers = [488, 561].map(
    (nm) => new SimLaser(`l${nm}`, world, { wavelengthNm: nm, maxPowerMw: 100 }),
  );
  for (const l of lasers) {
    await l.connect();
    await l.setPowerMw(10);
    await l.setEmission(true);
  }
  const cell = sampleFor(world).cellCentreUm(0);
  world.stage.setPositionUm([cell?.xUm ?? 0, cell?.yUm ?? 0]);

  const copyPerS = baselineCopyPerS(1_000);
  console.log(
    `baseline: main-thread alloc+copy of a ${SIDE}² uint16 frame: ${copyPerS.toFixed(0)} frames/s = ${((copyPerS * BYTES) / 1e9).toFixed(2)} GB/s`,
  );

  const camera = new SimCamera('cam', world, { readoutMs: 0, mode: 'sample' });
  await camera.connect();
  await camera.setExposureMs(1);
  const live = await liveRate(camera, seconds * 1_000);
  await camera.disconnect();
  console.log(
    `live sample ${SIDE}² (2 render workers, 1 ms exposure): ${live.fps.toFixed(1)} frames/s ` +
      `(goal ≥ 30) = ${(live.fps / copyPerS).toFixed(3)} × baseline; seq gaps ${live.gaps}; ` +
      `event-loop delay p99 ${live.p99LagMs.toFixed(1)} ms, max ${live.maxLagMs.toFixed(1)} ms`,
  );

  const pattern = new SimCamera('pattern', world, { readoutMs: 0, mode: 'test-pattern' });
  await pattern.connect();
  await pattern.setExposureMs(0.01);
  const tp = await liveRate(pattern, seconds * 1_000);
  await pattern.disconnect();
  const baselineGBs = (copyPerS * BYTES) / 1e9;
  console.log(
    `test pattern ${SIDE}²: ${tp.fps.toFixed(0)} frames/s = ${(tp.bytesPerS / 1e9).toFixed(2)} GB/s ` +
      `(goal ≥ 1) = ${(tp.bytesPerS / 1e9 / baselineGBs).toFixed(3)} × baseline copy; seq gaps ${tp.gaps}`,
  );
  for (const l of lasers) await l.disconnect();
}

await main();
