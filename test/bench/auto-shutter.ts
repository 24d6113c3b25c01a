/**
 * `npm run bench:shutter` — what strict auto-shutter costs per frame: `camera.snap` through
 * the host with auto-shutter on (the line switched on before the exposure and off after the
 * read-out, each switch confirmed) against the baseline measured in the same run, auto-shutter
 * off with the line left on. Two rigs: a simulated laser, and a Cobolt on a pty wire
 * simulator (the real driver: `l1`/`l0` plus the `l?` read-back each switch waits for).
 * BENCH_FRAMES frames each (default 40), 64×64 px, 10 ms exposure.
 */
import { CoboltSim } from '../../drivers/lasers/cobolt/cobolt-sim';
import { SimWorld } from '../../drivers/sim/world';
import { runWireSim } from '../../drivers/wire-sim/run-sim';
import { removeTempDirs } from '../support/temp-dir';
import { wireHost, type WireHost } from '../support/wire-host';

const FRAMES = Number(process.env.BENCH_FRAMES ?? 40);
const camera = {
  id: 'camera',
  kind: 'camera',
  driver: 'sim',
  options: { widthPx: 64, heightPx: 64, pixelSizeUm: 0.2 },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

async function must(rig: WireHost, name: string, args: unknown = {}): Promise<void> {
  const r = await rig.call(name, args);
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
}

async function snaps(rig: WireHost): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < FRAMES; i++) {
    const t0 = performance.now();
    await must(rig, 'camera.snap');
    out.push(performance.now() - t0);
  }
  return out;
}

/** Median snap time with auto-shutter on, and off with the line on (baseline). */
async function measure(name: string, rig: WireHost, laserId: string): Promise<void> {
  await must(rig, 'channel.apply', { name: 'ch' });
  await snaps(rig); // warm-up: render workers, first power read
  const strict = median(await snaps(rig));
  await must(rig, 'shutter.setAuto', { enabled: false });
  await must(rig, 'laser.setEmission', { laserId, on: true });
  const baseline = median(await snaps(rig));
  await must(rig, 'laser.allOff');
  const cost = strict - baseline;
  console.log(
    `${name.padEnd(26)} snap median: auto-shutter ${strict.toFixed(1).padStart(6)} ms, ` +
      `line left on ${baseline.toFixed(1).padStart(6)} ms → cost ${cost.toFixed(1)} ms/frame, ` +
      `ratio ${(strict / baseline).toFixed(2)}`,
  );
}

async function main(): Promise<void> {
  const channel = (laserId: string, powerMw: number) => ({
    channels: [{ name: 'ch', laserId, powerMw, exposureMs: 10 }],
  });
  const simRig = await wireHost(
    [
      camera,
      { id: 'l488', kind: 'laser', driver: 'sim', options: { wavelengthNm: 488, maxPowerMw: 50 } },
    ],
    channel('l488', 5),
  );
  try {
    await measure('simulated laser', simRig, 'l488');
  } finally {
    await simRig.host.shutdown('bench end');
  }

  const world = new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 10 });
  const cobolt = await runWireSim(new CoboltSim(world, 'cobolt'));
  const wireRig = await wireHost(
    [
      camera,
      { id: 'cobolt', kind: 'laser', driver: 'cobolt', options: { port: cobolt.devicePath } },
    ],
    channel('cobolt', 5),
  );
  try {
    await measure('Cobolt on a pty', wireRig, 'cobolt');
  } finally {
    await wireRig.host.shutdown('bench end');
    await cobolt.stop();
  }
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => removeTempDirs());
