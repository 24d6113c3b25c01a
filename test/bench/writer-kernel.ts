/**
 * bench:writer-kernel — CPU per plane of several writers measured in one process, in
 * interleaved blocks, so that every writer sees the same state of the machine's memory.
 * On the development VM the kernel's copy of a plane into the page cache costs 2–19 ms per
 * 8 MiB, most likely depending on whether the guest pages it lands in are still backed by
 * the host (free page reporting hands free 8 MiB blocks back to the host), which changes
 * from second to second with other jobs: writers measured in separate
 * runs, one after the other, differ by more than any code change (docs/datasets.md, "Where
 * the kernel time goes").
 * Writers: the Aquila formats through the FramePipeline (writer thread, hash, manifest) and
 * two plain writers of the same planes on the libuv pool, as many in flight as the Aquila
 * writer: `new-files` (the two folders and one new file per plane that an OME-Zarr 0.4 chunk
 * needs, no hash) and `append` (one file, planes back to back, no hash). Each block writes
 * `--per` planes with one writer; blocks rotate through the writers, each round starting
 * with the next one. Prints per writer the median, lowest and highest CPU ms per plane of
 * its blocks (user + system, all threads), the system part, and SHA-256 alone per plane.
 *   tsx test/bench/writer-kernel.ts [--side 2048] [--blocks 12] [--per 16]
 *        [--writers ome-zarr-0.4,ome-tiff,new-files,append] [--dir TMPDIR]
 */
// The host's libuv pool size (first, before anything starts the pool).
import '../../electron/host/thread-pool';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { FramePipeline } from '../../electron/pipeline/frame-pipeline';
import type { DatasetFormat } from '../../electron/storage/layout';
import { benchLayout } from './writer-layout';
import { writeChunks } from '../../electron/storage/fs-atomic';
import { simFrameMeta, tzFrameIndex } from '../support/sim-frames';
import { sha256CpuPerPlane } from './writer-peer-runs';

const { values } = parseArgs({
  options: {
    side: { type: 'string', default: '2048' },
    blocks: { type: 'string', default: '12' },
    per: { type: 'string', default: '16' },
    writers: { type: 'string', default: 'ome-zarr-0.4,ome-tiff,new-files,append' },
    dir: { type: 'string', default: os.tmpdir() },
  },
});
const side = Number(values.side);
const blocks = Number(values.blocks);
const per = Number(values.per);
const zPlanes = 16;
if (!(side > 0) || !(blocks > 0) || !(per > 0) || per % zPlanes !== 0)
  throw new Error(
    `--side ${values.side} --blocks ${values.blocks} --per ${values.per}: expected positive numbers, --per a multiple of ${zPlanes}`,
  );
const frameBytes = side * side * 2;
const frames = blocks * per;
const formats: readonly string[] = ['ome-zarr-0.4', 'ome-zarr-0.5', 'ome-tiff'];
const plainKinds = ['new-files', 'append'];
const names = values.writers.split(',');
for (const n of names)
  if (!formats.includes(n) && !plainKinds.includes(n))
    throw new Error(`--writers: unknown writer ${n} (${[...formats, ...plainKinds].join(', ')})`);

/** Writes planes `seq` of one block; resolves when all are written. */
interface BlockWriter {
  block(firstSeq: number): Promise<void>;
  close(): Promise<void>;
}

const root = fs.mkdtempSync(path.join(values.dir, 'aquila-bench-writer-kernel-'));

async function aquila(format: DatasetFormat): Promise<BlockWriter> {
  const layout = benchLayout(format, format, side, frames, zPlanes);
  const p = await FramePipeline.open({
    root,
    layout,
    provenance: { appVersion: 'bench', operator: 'bench', config: null },
    queueBytes: 64 << 20,
  });
  return {
    async block(first) {
      for (let seq = first; seq < first + per; seq++) {
        const pixels = p.takeBuffer();
        new Uint8Array(pixels)[0] = seq & 0xff;
        await p.write({ meta: simFrameMeta(seq, side), pixels }, tzFrameIndex(seq, zPlanes));
      }
      await p.flush();
    },
    async close() {
      await p.close({ outcome: 'complete' });
    },
  };
}

const openAsync = promisify(fs.open);
const closeAsync = promisify(fs.close);

function plain(kind: string): BlockWriter {
  const dir = fs.mkdtempSync(path.join(root, `${kind}-`));
  const one = kind === 'append' ? fs.openSync(path.join(dir, 'planes.bin'), 'wx') : -1;
  // As many planes in flight as the Aquila writer holds (writer.worker.ts), reused buffers.
  const inFlight = Math.max(1, Math.min(4, Math.floor((16 << 20) / frameBytes)));
  const buffers = Array.from({ length: inFlight }, () => new Uint8Array(frameBytes));
  const writeOne = async (seq: number, pixels: Uint8Array): Promise<void> => {
    pixels[0] = seq & 0xff;
    if (one >= 0) return writeChunks(one, [pixels], seq * frameBytes);
    // An OME-Zarr 0.4 chunk's place: t/c/z/0/0, the folders z and z/0 new per plane.
    const leaf = path.join(dir, String(Math.floor(seq / zPlanes)), '0', String(seq % zPlanes));
    await fs.promises.mkdir(leaf, { recursive: true });
    await fs.promises.mkdir(path.join(leaf, '0'));
    const fd = await openAsync(path.join(leaf, '0', '0'), 'wx');
    await writeChunks(fd, [pixels], 0);
    await closeAsync(fd);
  };
  return {
    async block(first) {
      const running = new Set<Promise<void>>();
      for (let seq = first; seq < first + per; seq++) {
        if (running.size >= inFlight) await Promise.race(running);
        const w: Promise<void> = writeOne(seq, buffers[seq % inFlight] as Uint8Array).finally(() =>
          running.delete(w),
        );
        running.add(w);
      }
      await Promise.all(running);
    },
    async close() {
      if (one >= 0) fs.closeSync(one);
    },
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[s.length >> 1] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

const writers: BlockWriter[] = [];
try {
  for (const n of names)
    writers.push(formats.includes(n) ? await aquila(n as DatasetFormat) : plain(n));
  console.log(
    `bench:writer-kernel  ${side}² uint16, ${blocks} blocks of ${per} planes per writer, interleaved  load ${os.loadavg()[0]!.toFixed(1)}`,
  );
  const cpu = names.map(() => [] as number[]);
  const sys = names.map(() => [] as number[]);
  for (let b = 0; b < blocks; b++)
    for (let j = 0; j < names.length; j++) {
      const k = (b + j) % names.length;
      const c0 = process.cpuUsage();
      await (writers[k] as BlockWriter).block(b * per);
      const c = process.cpuUsage(c0);
      (cpu[k] as number[]).push((c.user + c.system) / 1000 / per);
      (sys[k] as number[]).push(c.system / 1000 / per);
    }
  const f = (x: number) => x.toFixed(2);
  for (const [k, n] of names.entries()) {
    const c = cpu[k] as number[];
    console.log(
      `${n.padEnd(13)} CPU ms per plane: median ${f(median(c))} (blocks ${f(Math.min(...c))}–${f(Math.max(...c))}), system median ${f(median(sys[k] as number[]))}`,
    );
  }
  console.log(
    `SHA-256 alone per plane ${f(1000 * sha256CpuPerPlane(frameBytes))} ms  load ${os.loadavg()[0]!.toFixed(1)}`,
  );
} finally {
  for (const w of writers) await w.close();
  fs.rmSync(root, { recursive: true, force: true });
}
