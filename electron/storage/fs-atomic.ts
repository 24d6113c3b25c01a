/**
 * Small synchronous file primitives for the writer thread. Atomic = written to
 * `<file>.partial` then renamed, so a reader (or a crash) sees the old file or the whole new
 * one. Durability 'os' survives a killed process (data is in the page cache); 'disk' also
 * fdatasyncs before the rename so it survives power loss, at a throughput cost.
 */
import fs from 'node:fs';
import path from 'node:path';

export type Durability = 'os' | 'disk';

export const partialSuffix = '.partial';

export function writeAllSync(fd: number, data: Uint8Array, position: number): void {
  let done = 0;
  while (done < data.byteLength) {
    done += fs.writeSync(fd, data, done, data.byteLength - done, position + done);
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
