/**
 * Reads one saved plane back from a dataset, in every format the writers produce (the Data
 * tab's viewer, issue #18 §8): the plane's bytes exactly as written (row-major, little-endian
 * samples of the layout's pixel type).
 * - OME-Zarr 0.4 and unsharded 0.5: the plane is its chunk file (zarr-meta.ts chunkKey).
 * - Sharded OME-Zarr 0.5: the shard's index sits at its start (`index_location: "start"`,
 *   16 bytes per inner chunk — offset, length as u64 LE, all ones for "empty" — then the
 *   index's CRC-32C), the plane is inner chunk z mod shardPlanes (zarr v3 sharding codec).
 * - OME-TIFF (BigTIFF, tiff-format.ts): frames.jsonl names the IFD holding each plane; the
 *   IFD's single strip is the plane.
 * A plane not (yet) written is a StateError naming it; bytes that contradict the layout
 * (size, checksum, TIFF tags) are a StorageError naming the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StateError } from '../../drivers/errors';
import { crc32c } from './crc32c';
import { readFrameRecords } from './dataset-files';
import { bytesPerSample, imageFileName, planeBytes, type DatasetLayout } from './layout';
import type { FrameIndex } from './layout';
import { StorageError } from './storage-error';
import { walkIfdChain } from './tiff-format';
import { chunkKey, shardPlanesOf } from './zarr-meta';

const EMPTY = 0xffff_ffff_ffff_ffffn;
const TIFF_ENTRY_BYTES = 20;

/** The bytes of plane `index` of the dataset in `dir` (its layout from provenance.json). */
export function readPlaneBytes(dir: string, layout: DatasetLayout, index: FrameIndex): Buffer {
  const image = path.join(dir, imageFileName(layout));
  const what = `${layout.name}: plane p ${index.p}, t ${index.t}, c ${index.c}, z ${index.z}`;
  if (layout.format === 'ome-tiff') return tiffPlane(dir, image, layout, index, what);
  const file = path.join(image, chunkKey(layout, index));
  const fd = openIfWritten(file, what);
  try {
    const s = shardPlanesOf(layout);
    if (s === 1) return readExactly(fd, file, 0, fileSize(fd), layout, what);
    const index16 = readRange(fd, file, 0, s * 16 + 4);
    const stored = index16.readUInt32LE(s * 16);
    if (crc32c(index16.subarray(0, s * 16)) !== stored)
      throw new StorageError(`${file}: the shard index fails its CRC-32C check`, { file });
    const inner = index.z % s;
    const offset = index16.readBigUInt64LE(inner * 16);
    const bytes = index16.readBigUInt64LE(inner * 16 + 8);
    if (offset === EMPTY && bytes === EMPTY) throw new StateError(`${what} was not written`);
    return readExactly(fd, file, Number(offset), Number(bytes), layout, what);
  } finally {
    fs.closeSync(fd);
  }
}

function tiffPlane(
  dir: string,
  file: string,
  layout: DatasetLayout,
  index: FrameIndex,
  what: string,
): Buffer {
  const record = readFrameRecords(dir).items.find(
    (r) =>
      r.index.p === index.p &&
      r.index.t === index.t &&
      r.index.c === index.c &&
      r.index.z === index.z,
  );
  if (record?.ifd === undefined) throw new StateError(`${what} was not written`);
  const fd = openIfWritten(file, what);
  try {
    let ifdOffsets: number[];
    try {
      ifdOffsets = walkIfdChain(fd).ifdOffsets;
    } catch (err) {
      throw new StorageError(`${file}: ${(err as Error).message}`, { file });
    }
    const at = ifdOffsets[record.ifd];
    if (at === undefined)
      throw new StorageError(
        `${file}: IFD ${record.ifd} of ${what} is not in the file (${ifdOffsets.length} IFDs)`,
        { file },
      );
    const tags = readIfdTags(fd, file, at);
    const expect: [number, number][] = [
      [256, layout.sizes.x],
      [257, layout.sizes.y],
      [258, bytesPerSample(layout.pixelType) * 8],
      [259, 1],
    ];
    for (const [tag, value] of expect)
      if (tags.get(tag) !== value)
        throw new StorageError(
          `${file}: IFD ${record.ifd} has tag ${tag} = ${tags.get(tag) ?? 'absent'}, expected ${value}`,
          { file },
        );
    const offset = tags.get(273);
    const bytes = tags.get(279);
    if (offset === undefined || bytes === undefined)
      throw new StorageError(`${file}: IFD ${record.ifd} has no strip`, { file });
    return readExactly(fd, file, offset, bytes, layout, what);
  } finally {
    fs.closeSync(fd);
  }
}

/** Single-valued numeric tags of the BigTIFF IFD at `at` (SHORT, LONG, LONG8). */
function readIfdTags(fd: number, file: string, at: number): Map<number, number> {
  const count = Number(readRange(fd, file, at, 8).readBigUInt64LE(0));
  if (count === 0 || count > 64)
    throw new StorageError(`${file}: the IFD at ${at} has ${count} entries`, { file });
  const table = readRange(fd, file, at + 8, count * TIFF_ENTRY_BYTES);
  const tags = new Map<number, number>();
  for (let k = 0; k < count; k++) {
    const e = k * TIFF_ENTRY_BYTES;
    if (table.readBigUInt64LE(e + 4) !== 1n) continue;
    const type = table.readUInt16LE(e + 2);
    const value =
      type === 3
        ? table.readUInt16LE(e + 12)
        : type === 4
          ? table.readUInt32LE(e + 12)
          : type === 16
            ? Number(table.readBigUInt64LE(e + 12))
            : undefined;
    if (value !== undefined) tags.set(table.readUInt16LE(e), value);
  }
  return tags;
}

function openIfWritten(file: string, what: string): number {
  try {
    return fs.openSync(file, 'r');
  } catch {
    throw new StateError(`${what} was not written`);
  }
}

function fileSize(fd: number): number {
  return fs.fstatSync(fd).size;
}

function readRange(fd: number, file: string, at: number, bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  const n = bytes === 0 ? 0 : fs.readSync(fd, b, 0, bytes, at);
  if (n !== bytes)
    throw new StorageError(`${file}: ${bytes} bytes at ${at} run past the end of the file`, {
      file,
    });
  return b;
}

/** The plane's `bytes` at `at`, which must be exactly one plane of the layout. */
function readExactly(
  fd: number,
  file: string,
  at: number,
  bytes: number,
  layout: DatasetLayout,
  what: string,
): Buffer {
  if (bytes !== planeBytes(layout))
    throw new StorageError(`${what} has ${bytes} bytes in ${file}, not ${planeBytes(layout)}`, {
      file,
    });
  return readRange(fd, file, at, bytes);
}
