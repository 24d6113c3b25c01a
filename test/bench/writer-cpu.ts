/**
 * bench:writer-cpu — the frame pipeline alone, for profiling where the per-plane time goes
 * (docs/datasets.md): streams `--frames` planes of `--side`² uint16 with back-pressure into
 * one dataset and prints wall seconds and the process's CPU per plane (user and system, all
 * threads, from the first plane until the dataset is closed). No peers, no raw baseline, so
 * `perf record`, `strace -f -c` (run with two frame counts and subtract) or `--cpu-prof`
 * (every thread writes its own profile) see only the writer.
 *   tsx test/bench/writer-cpu.ts [--format ome-zarr-0.4] [--side 512] [--frames 2048]
 *                                [--queue-mib 32] [--dir TMPDIR] [--keep]
 * --keep leaves the dataset (so a strace of the run does not count its removal).
 */
// The host's libuv pool size (first, before anything starts the pool).
import '../../electron/host/thread-pool';
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { FramePipeline } from '../../electron/pipeline/frame-pipeline';
import type { DatasetFormat } from '../../electron/storage/layout';
import { benchLayout } from './writer-layout';
import { simFrameMeta, tzFrameIndex } from '../support/sim-frames';

const { values } = parseArgs({
  options: {
    format: { type: 'string', default: 'ome-zarr-0.4' },
    side: { type: 'string', default: '512' },
    frames: { type: 'string', default: '2048' },
    'queue-mib': { type: 'string', default: '32' },
    dir: { type: 'string', default: os.tmpdir() },
    keep: { type: 'boolean', default: false },
  },
});
const format = values.format as DatasetFormat;
const side = Number(values.side);
const frames = Number(values.frames);
const zPlanes = 16;
if (!(side > 0) || !(frames > 0) || frames % zPlanes !== 0)
  throw new Error(
    `--side ${values.side} --frames ${values.frames}: expected a side > 0 and a multiple of ${zPlanes} frames (whole z stacks)`,
  );

const layout = benchLayout(
  `writer-cpu-${format}-${side}-${Date.now()}`,
  format,
  side,
  frames,
  zPlanes,
);
const p = await FramePipeline.open({
  root: values.dir,
  layout,
  provenance: { appVersion: 'bench', operator: 'bench', config: null },
  queueBytes: Number(values['queue-mib']) * 2 ** 20,
});
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let seq = 0; seq < frames; seq++) {
  const pixels = p.takeBuffer();
  new Uint8Array(pixels)[0] = seq & 0xff;
  await p.write({ meta: simFrameMeta(seq, side), pixels }, tzFrameIndex(seq, zPlanes));
}
const summary = await p.close({ outcome: 'complete' });
const cpu = process.cpuUsage(cpu0);
const perPlane = (us: number) => (us / 1000 / frames).toFixed(3);
console.log(
  `${format} ${side}² ${frames} planes: ${((performance.now() - t0) / 1000).toFixed(2)} s, CPU ms per plane ${perPlane(cpu.user + cpu.system)} (user ${perPlane(cpu.user)}, system ${perPlane(cpu.system)})  load ${os.loadavg()[0]!.toFixed(1)}${values.keep ? `  kept ${summary.dir}` : ''}`,
);
if (!values.keep) fs.rmSync(summary.dir, { recursive: true, force: true });
