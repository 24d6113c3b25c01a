/**
 * bench:writer — streams uint16 frames through the FramePipeline into each format and
 * compares throughput with a raw parallel fs write of the same bytes to the same disk,
 * measured in the same run. Prints ratios (goal ≥ 0.9 OME-Zarr, ≥ 0.8 OME-TIFF), frames
 * dropped (goal 0) and peak RSS (goal ≤ 1 GiB).
 *   tsx test/bench/writer.ts [--gib 8] [--dir TMPDIR] [--sizes 2048,512]
 *                            [--formats ome-zarr-0.4,ome-zarr-0.5,ome-tiff] [--fps N]
 *                            [--rounds 3] [--queue-mib 256]
 * --fps N: the producer is a camera that cannot wait (offer at N frames/s; a full queue
 * drops). Without it the producer waits for room (back-pressure) and nothing can drop.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FramePipeline } from '../../electron/pipeline/frame-pipeline';
import type { DatasetFormat, DatasetFrameMeta, FrameIndex } from '../../electron/storage/layout';
import { datasetLayout } from '../../electron/storage/layout';

const { values } = parseArgs({
  options: {
    gib: { type: 'string', default: '8' },
    dir: { type: 'string', default: os.tmpdir() },
    sizes: { type: 'string', default: '2048,512' },
    formats: { type: 'string', default: 'ome-zarr-0.4,ome-zarr-0.5,ome-tiff' },
    fps: { type: 'string' },
    'queue-mib': { type: 'string', default: '256' },
    rounds: { type: 'string', default: '3' },
  },
});
const gib = Number(values.gib);
const fps = values.fps ? Number(values.fps) : undefined;
const queueBytes = Number(values['queue-mib']) * 2 ** 20;
const formats = values.formats.split(',') as DatasetFormat[];
const zPlanes = 16;
const rounds = Math.max(1, Number(values.rounds));

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

/** Raw baseline: the same frames written by 4 concurrent sequential writers into 4 files. */
async function rawParallelWrite(dir: string, frames: number, frameBytes: number): Promise<number> {
  fs.mkdirSync(dir, { recursive: true });
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
  const s = (performance.now() - t0) / 1000;
  fs.rmSync(dir, { recursive: true, force: true });
  return s;
}

interface WriterRun {
  streamS: number;
  closeS: number;
  dropped: number;
  written: number;
}

async function writerRun(
  dir: string,
  format: DatasetFormat,
  side: number,
  frames: number,
  round: number,
): Promise<WriterRun> {
  const t = Math.ceil(frames / zPlanes);
  const layout = datasetLayout.parse({
    name: `bench-${format}-${side}-${round}`,
    format,
    positions: 1,
    sizes: { t, c: 1, z: zPlanes, y: side, x: side },
    channels: [
      { name: 'sim', colorHex: 'FFFFFF', window: { start: 0, end: 4095, min: 0, max: 65535 } },
    ],
    physical: { pixelSizeUm: 0.1, zStepUm: 0.5, timeIntervalS: 1 },
    shardPlanes: format === 'ome-zarr-0.5' ? 8 : 1,
  });
  const frameBytes = side * side * 2;
  const p = await FramePipeline.open({
    root: dir,
    layout,
    provenance: { appVersion: 'bench', operator: 'bench', config: null },
    queueBytes,
  });
  const meta = (seq: number): DatasetFrameMeta => ({
    seq,
    cameraSeq: seq,
    widthPx: side,
    heightPx: side,
    bitDepth: 16,
    binning: 1,
    pixelSizeUm: 0.1,
    exposureMs: 1,
    timestampMs: Date.now(),
    stage: { xUm: 0, yUm: 0, zUm: 0 },
    lasersMw: {},
    channel: 'sim',
  });
  const t0 = performance.now();
  for (let seq = 0; seq < frames; seq++) {
    const index: FrameIndex = { p: 0, t: Math.floor(seq / zPlanes), c: 0, z: seq % zPlanes };
    const pixels = p.takeBuffer(frameBytes);
    new Uint8Array(pixels)[0] = seq & 0xff;
    if (fps === undefined) await p.write({ meta: meta(seq), pixels }, index);
    else {
      p.offer({ meta: meta(seq), pixels }, index);
      const due = t0 + ((seq + 1) * 1000) / fps;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }
  await p.flush();
  const t1 = performance.now();
  const summary = await p.close({ outcome: 'complete' });
  const t2 = performance.now();
  fs.rmSync(summary.dir, { recursive: true, force: true });
  return {
    streamS: (t1 - t0) / 1000,
    closeS: (t2 - t1) / 1000,
    dropped: summary.framesDropped,
    written: summary.framesWritten,
  };
}

const goal: Record<DatasetFormat, number> = {
  'ome-zarr-0.4': 0.9,
  'ome-zarr-0.5': 0.9,
  'ome-tiff': 0.8,
};
const dir = fs.mkdtempSync(path.join(values.dir, 'aquila-bench-writer-'));
console.log(
  `bench:writer  ${gib} GiB per run  dir=${dir}  queue=${mib(queueBytes)} MiB  rounds=${rounds}  producer=${fps ? `camera at ${fps} fps (offer)` : 'back-pressure (write)'}`,
);
try {
  for (const side of values.sizes.split(',').map(Number)) {
    const frameBytes = side * side * 2;
    const frames = Math.floor((gib * 2 ** 30) / frameBytes);
    const bytes = frames * frameBytes;
    console.log(`\n${side}×${side} uint16, ${frames} frames (${mib(bytes)} MiB)`);
    console.log('format         raw MiB/s  MiB/s  ratio  goal   close s  ratio+close  dropped');
    for (const format of formats) {
      // The bytes are split into rounds; each writer round is paired with a raw round just
      // before it, both starting from a flushed page cache (`sync`), so the swings of a
      // shared, busy disk affect both alike. Times are summed over the rounds.
      const per = Math.floor(frames / rounds);
      let rawS = 0;
      const r: WriterRun = { streamS: 0, closeS: 0, dropped: 0, written: 0 };
      for (let k = 0; k < rounds; k++) {
        spawnSync('sync');
        rawS += await rawParallelWrite(path.join(dir, 'raw'), per, frameBytes);
        spawnSync('sync');
        const w = await writerRun(dir, format, side, per, k);
        r.streamS += w.streamS;
        r.closeS += w.closeS;
        r.dropped += w.dropped;
        r.written += w.written;
      }
      const rawRate = (per * rounds * frameBytes) / rawS;
      const rate = (per * rounds * frameBytes) / r.streamS;
      const withClose = (per * rounds * frameBytes) / (r.streamS + r.closeS);
      console.log(
        `${format.padEnd(13)} ${mib(rawRate).padStart(10)} ${mib(rate).padStart(6)}  ${(rate / rawRate).toFixed(2)}   ${goal[format].toFixed(1)}  ${r.closeS.toFixed(1).padStart(7)}  ${(withClose / rawRate).toFixed(2).padStart(11)}  ${String(r.dropped).padStart(7)}`,
      );
      if (r.written + r.dropped !== per * rounds)
        console.log(`  !! ${per * rounds - r.written - r.dropped} frames unaccounted for`);
    }
  }
} finally {
  clearInterval(sampler);
  fs.rmSync(dir, { recursive: true, force: true });
}
const maxRss = process.resourceUsage().maxRSS * 1024;
console.log(`\npeak RSS ${mib(Math.max(peakRss, maxRss))} MiB (goal ≤ 1024)`);
