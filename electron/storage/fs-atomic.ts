/**
 * Small synchronous file primitives for the writer thread. Atomic = written to
 * `<file>.partial` then renamed, so a reader (or a crash) sees the old file or the whole new
 * one. Durability 'os' survives a killed process (data is in the page cache); 'disk' also
 * fdatasyncs before the rename so it survives power loss, at a throughput cost.
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

/** Raw-descriptor file calls on the libuv pool (FileHandle would own and auto-close the fd). */
export const openAsync = promisify(fs.open);
export const closeAsync = promisify(fs.close);
export const fdatasyncAsync = promisify(fs.fdatasync);

export type Durability = 'os' | 'disk';

export const partialSuffix = '.partial';

export function writeAllSync(fd: number, data: Uint8Array, position: number): void {
  let done = 0;
  while (done < data.byteLength) {
    done += fs.writeSync(fd, data, done, data.byteLength - done, position + done);
  }
}

function pwrite(fd: number, data: Uint8Array, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.write(fd, data, 0, data.byteLength, position, (err, n) => (err ? reject(err) : resolve(n))),
  );
}

/** Writes all of `data` at `position` on the libuv pool (the calling thread does not block). */
export async function writeRange(fd: number, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.byteLength) done += await pwrite(fd, data.subarray(done), position + done);
}

/**
 * Writes `data` at `position` as up to 4 concurrent pwrites of ≥ 1 MiB on the libuv pool, so
 * a large plane is copied into the page cache by several threads. Resolves when every byte
 * is written; on error it rejects once no part is still in flight (some may be written).
 */
export async function writeParallel(fd: number, data: Uint8Array, position: number): Promise<void> {
  const parts = Math.max(1, Math.min(4, Math.floor(data.byteLength / (1 << 20))));
  const step = Math.ceil(data.byteLength / parts);
  const jobs: Promise<void>[] = [];
  for (let at = 0; at < data.byteLength; at += step)
    jobs.push(
      writeRange(fd, data.subarray(at, Math.min(data.byteLength, at + step)), position + at),
    );
  // Wait for every part even after a failure: the caller may truncate or close the fd next.
  const failed = (await Promise.allSettled(jobs)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * writeFileAtomicSync for large data, entirely on the libuv pool (open, writeParallel,
 * close, rename), so the calling thread never waits on the file system.
 */
export async function writeFileAtomic(
  file: string,
  data: Uint8Array,
  durability: Durability,
): Promise<void> {
  const tmp = file + partialSuffix;
  const fd = await openAsync(tmp, 'w');
  try {
    await writeParallel(fd, data, 0);
    if (durability === 'disk') await fdatasyncAsync(fd);
  } catch (err) {
    await closeAsync(fd);
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  await closeAsync(fd);
  try {
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
}

export function writeFileAtomicSync(
  file: string,
  data: Uint8Array | string,
  durability: Durability,
): void {
  const tmp = file + partialSuffix;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = fs.openSync(tmp, 'w');
  try {
    writeAllSync(fd, bytes, 0);
    if (durability === 'disk') fs.fdatasyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

export function writeJsonAtomicSync(file: string, value: unknown, durability: Durability): void {
  writeFileAtomicSync(file, JSON.stringify(value, null, 2) + '\n', durability);
}

/** Makes a folder durable in its parent (after creating or renaming files in it). */
export function fsyncDirSync(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Recursively removes leftover `*.partial` files (from a crash or a failed write). */
export function removePartialFiles(dir: string): number {
  let removed = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith(partialSuffix)) {
      fs.rmSync(path.join(e.parentPath, e.name), { force: true });
      removed++;
    }
  }
  return removed;
}
