/**
 * bench:writer — streams uint16 frames through the FramePipeline into each format and
 * compares throughput, measured in the same run round by round, with
 *   - peers (test/bench/writer-peers.py): the same planes written one at a time by
 *     tensorstore (Zarr v2 "/" one chunk per plane; Zarr v3 with the same sharding; up to 4
 *     writes in flight like the Aquila writer; `tensorstore` without and `tensorstore-fsync`
 *     with its default per-chunk fsync) and tifffile (one OME-TIFF, contiguous pages).
 *     "peer ratio" = Aquila / the best peer of the format (to disk and page cache). A second
 *     line gives CPU ms per plane (all threads, from the first plane until closed) of each
 *     peer and of Aquila, and of SHA-256 alone over one plane: a measure that a loaded,
 *     shared machine distorts much less than throughput, and the raw write's CPU per plane
 *     in the same rounds (the kernel's copy into the page cache: on the development VM it
 *     swings 2–19 ms per 8 MiB with the host's backing of guest memory, so writers compared
 *     in separate runs can differ by that; bench:writer-kernel interleaves them instead);
 *   - a raw parallel fs write of the same bytes to the same disk. Two raw ratios:
 *   disk  = time until the bytes are on disk: raw write + `sync` vs writer stream + close
 *           (metadata, manifest) + `sync`. This is the goal (≥ 0.9 OME-Zarr, ≥ 0.8 OME-TIFF):
 *           a long run cannot outpace the disk, whatever the page cache absorbs first.
 *   cache = raw write vs writer stream alone, both landing in the page cache: shows the
 *           writer's CPU and per-file cost, which a faster disk would expose.
 * Also frames dropped (goal 0) and peak RSS (goal ≤ 1 GiB).
 *   tsx test/bench/writer.ts [--gib 8] [--dir TMPDIR] [--sizes 2048,512]
 *                            [--formats ome-zarr-0.4,ome-zarr-0.5,ome-tiff] [--fps N]
 *                            [--rounds 3] [--queue-mib 256]
 *                            [--peers tensorstore,tensorstore-fsync,tifffile | none]
 * --gib takes fractions (e.g. 0.5) for a run of minutes on a busy machine.
 * --fps N[,N…]: the producer is a camera that cannot wait (offer at N frames/s; a full queue
 * drops); with several rates each is run in turn and the highest with 0 drops is reported
 * per format (0 drops and offered at ≥ 95 % of the rate), beside the peers' plane rates
 * (peers run once per format). Use a queue much smaller than the run (--queue-mib 32).
 * drops). --camera sample|test-pattern: the producer is the simulated camera itself, live at
 * its highest rate (no read-out time, shortest exposure), offering every frame. Without
 * either the producer waits for room (back-pressure) and nothing can drop.
 */
// The host's libuv pool size (first, before anything starts the pool).
import '../../electron/host/thread-pool';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FramePipeline } from '../../electron/pipeline/frame-pipeline';
import type { DatasetFormat } from '../../electron/storage/layout';
import { benchLayout } from './writer-layout';
import { simFrameMeta, tzFrameIndex } from '../support/sim-frames';
import { parsePeers, peerRun, peersFor, sha256CpuPerPlane } from './writer-peer-runs';
import type { RawFrame } from '../../drivers/devices';
import { SimCamera } from '../../drivers/sim/camera';
import type { SimCameraOptions } from '../../drivers/sim/camera-options';
import { SimWorld } from '../../drivers/sim/world';

const { values } = parseArgs({
  options: {
    gib: { type: 'string', default: '8' },
    dir: { type: 'string', default: os.tmpdir() },
    sizes: { type: 'string', default: '2048,512' },
    formats: { type: 'string', default: 'ome-zarr-0.4,ome-zarr-0.5,ome-tiff' },
    fps: { type: 'string' },
    camera: { type: 'string' },
    'queue-mib': { type: 'string', default: '256' },
    rounds: { type: 'string', default: '3' },
    peers: { type: 'string', default: 'tensorstore,tensorstore-fsync,tifffile' },
  },
});
const gib = Number(values.gib);
/** Camera rates to try, in order (--fps 500,1000,2000): the table says which kept 0 drops. */
const fpsList: (number | undefined)[] = values.fps
  ? values.fps.split(',').map(Number)
  : [undefined];
if (fpsList.some((f) => f !== undefined && !(f > 0)))
  throw new Error(`--fps: expected frame rates > 0, comma-separated, got ${values.fps}`);
let fps: number | undefined;
const cameraMode = values.camera as SimCameraOptions['mode'] | undefined;
if (cameraMode && !['sample', 'test-pattern'].includes(cameraMode))
  throw new Error(`--camera: expected sample or test-pattern, got ${cameraMode}`);
const queueBytes = Number(values['queue-mib']) * 2 ** 20;
const formats = values.formats.split(',') as DatasetFormat[];
const zPlanes = 16;
const rounds = Math.max(1, Number(values.rounds));

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);

/** The machine's load average (1 and 5 min): throughput here swings with other jobs. */
function loadAverage(): string {
  const [one = 0, five = 0] = os.loadavg();
  return `load ${one.toFixed(1)}/${five.toFixed(1)}`;
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

/** Seconds a system-wide `sync` takes (flushing what the run before it left dirty). */
function syncSeconds(): number {
  const t0 = performance.now();
  spawnSync('sync');
  return (performance.now() - t0) / 1000;
}

/**
 * Raw baseline: the same frames written by 4 concurrent sequential writers into 4 files.
 * Returns the write time and the time of the `sync` after it.
 */
async function rawParallelWrite(
  dir: string,
  frames: number,
  frameBytes: number,
): Promise<{ writeS: number; syncS: number; cpuS: number }> {
  fs.mkdirSync(dir, { recursive: true });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async (_, k) => {
      const fh = await fs.promises.open(path.join(dir, `raw-${k}.bin`), 'w');
      // One reused buffer per writer: the upper bound for writing these bytes.
      const buf = new Uint8Array(new ArrayBuffer(frameBytes));
      while (next < frames) {
        next++;
        buf[0] = next & 0xff;
        await fh.write(buf);
      }
      await fh.close();
    }),
  );
  const writeS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const syncS = syncSeconds();
  fs.rmSync(dir, { recursive: true, force: true });
  return { writeS, syncS, cpuS: (cpu.user + cpu.system) / 1e6 };
}

interface WriterRun {
  streamS: number;
  /** CPU seconds of the whole process (all threads, libuv pool included), stream and close. */
  cpuS: number;
  closeS: number;
  syncS: number;
  dropped: number;
  written: number;
  /** Frames the producer made per second (the camera's rate in --camera mode). */
  producedPerS: number;
}

/**
 * Runs the simulated camera live at its highest rate until `frames` frames have been
 * offered to `offer` (which must not block). Resolves with the camera's frame rate.
 */
async function simCameraProducer(
  side: number,
  frames: number,
  offer: (seq: number, pixels: ArrayBuffer) => void,
): Promise<number> {
  const world = new SimWorld({ seed: 7, cellCount: 400, slideHalfWidthUm: 2_000 });
  const camera = new SimCamera('bench', world, {
    widthPx: side,
    heightPx: side,
    readoutMs: 0,
    mode: cameraMode,
  });
  await camera.connect();
  await camera.setExposureMs(cameraMode === 'test-pattern' ? 0.01 : 1);
  let seq = 0;
  let t0 = 0;
  const done = new Promise<void>(
    (resolve) =>
      void camera.startLive((f: RawFrame) => {
        if (seq >= frames) return;
        if (seq === 0) t0 = performance.now();
        const px = f.pixels;
        const whole = px.byteOffset === 0 && px.byteLength === px.buffer.byteLength;
        offer(seq, whole ? (px.buffer as ArrayBuffer) : px.slice().buffer);
        if (++seq === frames) resolve();
      }),
  );
  await done;
  const fpsMade = (frames - 1) / ((performance.now() - t0) / 1000);
  await camera.stopLive();
  await camera.disconnect();
  return fpsMade;
}

async function writerRun(
  dir: string,
  format: DatasetFormat,
  side: number,
  frames: number,
  round: number,
): Promise<WriterRun> {
  const layout = benchLayout(`bench-${format}-${side}-${round}`, format, side, frames, zPlanes);
  const frameBytes = side * side * 2;
  const p = await FramePipeline.open({
    root: dir,
    layout,
    provenance: { appVersion: 'bench', operator: 'bench', config: null },
    queueBytes,
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let producedPerS: number;
  if (cameraMode)
    producedPerS = await simCameraProducer(side, frames, (seq, pixels) =>
      p.offer({ meta: simFrameMeta(seq, side), pixels }, tzFrameIndex(seq, zPlanes)),
    );
  else {
    for (let seq = 0; seq < frames; seq++) {
      const pixels = p.takeBuffer(frameBytes);
      new Uint8Array(pixels)[0] = seq & 0xff;
      if (fps === undefined)
        await p.write({ meta: simFrameMeta(seq, side), pixels }, tzFrameIndex(seq, zPlanes));
      else {
        p.offer({ meta: simFrameMeta(seq, side), pixels }, tzFrameIndex(seq, zPlanes));
        const due = t0 + ((seq + 1) * 1000) / fps;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }
    producedPerS = frames / ((performance.now() - t0) / 1000);
  }
  await p.flush();
  const t1 = performance.now();
  const summary = await p.close({ outcome: 'complete' });
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const syncS = syncSeconds();
  fs.rmSync(summary.dir, { recursive: true, force: true });
  return {
    streamS: (t1 - t0) / 1000,
    cpuS: (cpu.user + cpu.system) / 1e6,
    closeS: (t2 - t1) / 1000,
    syncS,
    dropped: summary.framesDropped,
    written: summary.framesWritten,
    producedPerS,
  };
}

const peersWanted = parsePeers(values.peers);
const peersOf = (format: DatasetFormat) => peersFor(peersWanted, format);

const goal: Record<DatasetFormat, number> = {
  'ome-zarr-0.4': 0.9,
  'ome-zarr-0.5': 0.9,
  'ome-tiff': 0.8,
};
const dir = fs.mkdtempSync(path.join(values.dir, 'aquila-bench-writer-'));
console.log(
  `bench:writer  ${gib} GiB per run  dir=${dir}  queue=${mib(queueBytes)} MiB  rounds=${rounds}  ${loadAverage()}  producer=${cameraMode ? `simulated camera (${cameraMode}) live at its highest rate (offer)` : values.fps ? `camera at ${values.fps} fps (offer)` : 'back-pressure (write)'}`,
);
const col = (v: number, w: number) => mib(v).padStart(w);
const ratio = (v: number) => v.toFixed(2).padStart(5);
try {
  for (const side of values.sizes.split(',').map(Number)) {
    const frameBytes = side * side * 2;
    const frames = Math.floor((gib * 2 ** 30) / frameBytes);
    const bytes = frames * frameBytes;
    console.log(`\n${side}×${side} uint16, ${frames} frames (${mib(bytes)} MiB)`);
    console.log(
      'format        | to disk: raw MiB/s  MiB/s  ratio  goal | page cache: raw MiB/s  MiB/s  ratio | close s  dropped  produced fps',
    );
    const peerLines: string[] = [];
    const shaMs = 1000 * sha256CpuPerPlane(frameBytes);
    const sustained = new Map<DatasetFormat, number>();
    for (const format of formats)
      for (const [rateNo, rate] of fpsList.entries()) {
        fps = rate;
        // The bytes are split into rounds; each writer round is paired with a raw round just
        // before it and the peers' rounds just after it (odd rounds: just before it), all starting from a flushed page cache
        // (`sync`), so the swings of a shared, busy disk affect all alike. Times are summed
        // over the rounds.
        // Whole z stacks, so every round is a complete run of its plan (a run that ends short
        // of its plan is closed differently: OME-TIFF is then hashed at close).
        const per = Math.floor(frames / rounds / zPlanes) * zPlanes;
        const raw = { writeS: 0, syncS: 0, cpuS: 0 };
        const r: WriterRun = {
          streamS: 0,
          cpuS: 0,
          closeS: 0,
          syncS: 0,
          dropped: 0,
          written: 0,
          producedPerS: 0,
        };
        const peers = new Map(
          (rateNo === 0 ? peersOf(format) : []).map((p) => [p, { writeS: 0, cpuS: 0, syncS: 0 }]),
        );
        const peerRounds = (): void => {
          for (const [peer, sum] of peers) {
            spawnSync('sync');
            const t = peerRun(dir, peer, format, side, per, zPlanes);
            sum.writeS += t.writeS;
            sum.cpuS += t.cpuS;
            sum.syncS += t.syncS;
          }
        };
        for (let k = 0; k < rounds; k++) {
          spawnSync('sync');
          const b = await rawParallelWrite(path.join(dir, 'raw'), per, frameBytes);
          raw.writeS += b.writeS;
          raw.syncS += b.syncS;
          raw.cpuS += b.cpuS;
          // Odd rounds run the peers before Aquila, so neither side always has the same place:
          // on the development VM the cost of the kernel's copy depends on the memory state a
          // writer meets, which depends on what ran and was deleted just before it.
          if (k % 2 === 1) peerRounds();
          spawnSync('sync');
          const w = await writerRun(dir, format, side, per, k);
          r.streamS += w.streamS;
          r.cpuS += w.cpuS;
          r.closeS += w.closeS;
          r.syncS += w.syncS;
          r.dropped += w.dropped;
          r.written += w.written;
          r.producedPerS += w.producedPerS / rounds;
          if (k % 2 === 0) peerRounds();
        }
        // Raw writes every frame; the writer's rate counts only frames it wrote (not drops).
        const total = per * rounds * frameBytes;
        const kept = r.written * frameBytes;
        const rawDisk = total / (raw.writeS + raw.syncS);
        const disk = kept / (r.streamS + r.closeS + r.syncS);
        const rawCache = total / raw.writeS;
        const cache = kept / r.streamS;
        // Sustained: nothing dropped, and the producer did offer at (nearly) the rate asked.
        if (rate !== undefined && r.dropped === 0 && r.producedPerS >= 0.95 * rate)
          sustained.set(format, Math.max(sustained.get(format) ?? 0, rate));
        console.log(
          `${(rate === undefined ? format : `${format}@${rate}`).padEnd(13)} | ${col(rawDisk, 18)} ${col(disk, 6)}  ${(disk / rawDisk).toFixed(2)}   ${goal[format].toFixed(1)} | ${col(rawCache, 21)} ${col(cache, 6)}  ${(cache / rawCache).toFixed(2)} | ${r.closeS.toFixed(1).padStart(7)}  ${String(r.dropped).padStart(7)}  ${r.producedPerS.toFixed(0).padStart(12)}`,
        );
        if (r.written + r.dropped !== per * rounds)
          console.log(`  !! ${per * rounds - r.written - r.dropped} frames unaccounted for`);
        if (peers.size === 0) continue;
        const rates = [...peers].map(([peer, t]) => ({
          peer,
          disk: total / (t.writeS + t.syncS),
          cache: total / t.writeS,
          planesPerS: (per * rounds) / t.writeS,
          cpuMsPerPlane: (1000 * t.cpuS) / (per * rounds),
        }));
        const peerRates = rates
          .map(
            (p) =>
              `${p.peer} ${mib(p.disk)}/${mib(p.cache)} MiB/s ${p.planesPerS.toFixed(0)} planes/s`,
          )
          .join(', ');
        // A camera-paced Aquila run is no throughput measurement: then only the peers' rates.
        if (rate !== undefined) {
          peerLines.push(`${format.padEnd(13)} | ${peerRates}`);
          continue;
        }
        const bestDisk = Math.max(...rates.map((p) => p.disk));
        const bestCache = Math.max(...rates.map((p) => p.cache));
        peerLines.push(
          `${format.padEnd(13)} | ${peerRates} | Aquila ${mib(disk)}/${mib(cache)} | ratio ${ratio(disk / bestDisk)} ${ratio(cache / bestCache)} | raw ratio ${ratio(disk / rawDisk)} ${ratio(cache / rawCache)}`,
          `${''.padEnd(13)} | CPU ms per plane: ${rates.map((p) => `${p.peer} ${p.cpuMsPerPlane.toFixed(2)}`).join(', ')}, Aquila ${((1000 * r.cpuS) / r.written).toFixed(2)} of which SHA-256 alone ${shaMs.toFixed(2)}; raw write ${((1000 * raw.cpuS) / (per * rounds)).toFixed(2)}`,
        );
      }
    if (fps !== undefined)
      console.log(
        `highest camera rate with 0 drops: ${formats.map((f) => `${f} ${sustained.get(f) ?? 'none'} fps`).join(', ')}`,
      );
    if (peerLines.length > 0) {
      console.log(
        `peers, same rounds (to disk / page cache; ratio = Aquila / best peer, to disk and page cache):`,
      );
      for (const l of peerLines) console.log(l);
    }
  }
} finally {
  clearInterval(sampler);
  fs.rmSync(dir, { recursive: true, force: true });
}
const maxRss = process.resourceUsage().maxRSS * 1024;
console.log(`\npeak RSS ${mib(Math.max(peakRss, maxRss))} MiB (goal ≤ 1024)  ${loadAverage()}`);
