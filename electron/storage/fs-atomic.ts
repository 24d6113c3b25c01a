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

/**
 * Writes `chunks` back to back from `position` with positional vectored writes (one
 * `pwritev` in the common case) on the libuv pool. One call per plane on purpose: ext4 and
 * XFS hold the inode lock for the whole of a buffered write, so splitting a plane into
 * concurrent writes to one file only makes the pool threads spin on that lock.
 */
export async function writeChunks(
  fd: number,
  chunks: readonly Uint8Array[],
  position: number,
): Promise<void> {
  const rest = chunks.filter((c) => c.byteLength > 0);
  let at = position;
  while (rest.length > 0) {
    const n = await new Promise<number>((resolve, reject) =>
      fs.writev(fd, rest, at, (err, written) => (err ? reject(err) : resolve(written))),
    );
    at = advance(rest, at, n);
  }
}

/** writeChunks on the calling thread (one `pwritev` in the common case). */
export function writeChunksSync(fd: number, chunks: readonly Uint8Array[], position: number): void {
  const rest = chunks.filter((c) => c.byteLength > 0);
  let at = position;
  while (rest.length > 0) at = advance(rest, at, fs.writevSync(fd, rest, at));
}

/** After a write of `n` bytes at `at`: drops what went out from `rest`; the next position. */
function advance(rest: Uint8Array[], at: number, n: number): number {
  if (n === 0) throw new Error(`write at byte ${at} made no progress`);
  // A short write: drop what went out and go on with the remainder.
  let skip = n;
  while (rest.length > 0 && skip >= (rest[0] as Uint8Array).byteLength)
    skip -= (rest.shift() as Uint8Array).byteLength;
  if (skip > 0) rest[0] = (rest[0] as Uint8Array).subarray(skip);
  return at + n;
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
