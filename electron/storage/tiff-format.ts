/**
 * BigTIFF structures for OME-TIFF: header, one uncompressed single-strip IFD per plane, and
 * the IFD-chain walk used by recovery. Facts: BigTIFF (TIFF 6 with 8-byte offsets: magic 43,
 * entries of 20 bytes = tag u16, type u16, count u64, value/offset u64), TIFF 6 baseline tags.
 */
import fs from 'node:fs';
import { writeAllSync } from './fs-atomic';

export const headerBytes = 16;
const entryBytes = 20;

const SHORT = 3;
const LONG = 4;
const LONG8 = 16;
const ASCII = 2;

/** 'II', 43, offset size 8, reserved 0, then the first IFD offset (0 = none yet). */
export function bigTiffHeader(): Buffer {
  const b = Buffer.alloc(headerBytes);
  b.write('II', 0, 'latin1');
  b.writeUInt16LE(43, 2);
  b.writeUInt16LE(8, 4);
  b.writeUInt16LE(0, 6);
  b.writeBigUInt64LE(0n, 8);
  return b;
}

export interface IfdSpec {
  widthPx: number;
  heightPx: number;
  bitsPerSample: 8 | 16;
  stripOffset: number;
  stripBytes: number;
  /** First IFD only: where the OME-XML (NUL-terminated) lies and its length including NUL. */
  description?: { offset: number; bytes: number };
}

export interface BuiltIfd {
  bytes: Buffer;
  /** Offset (within `bytes`) of the next-IFD pointer. */
  nextFieldAt: number;
  /** Offset (within `bytes`) of the ImageDescription entry's count field, if any. */
  descriptionCountAt: number | undefined;
}

/** Byte size of an IFD built by buildIfd (11 entries, 12 with a description). */
export function ifdBytes(withDescription: boolean): number {
  return 8 + (withDescription ? 12 : 11) * entryBytes + 8;
}

export function buildIfd(s: IfdSpec): BuiltIfd {
  const entries: [tag: number, type: number, value: number | bigint][] = [
    [256, LONG, s.widthPx], // ImageWidth
    [257, LONG, s.heightPx], // ImageLength
    [258, SHORT, s.bitsPerSample], // BitsPerSample
    [259, SHORT, 1], // Compression: none
    [262, SHORT, 1], // PhotometricInterpretation: BlackIsZero
  ];
  if (s.description) entries.push([270, ASCII, BigInt(s.description.offset)]);
  entries.push(
    [273, LONG8, BigInt(s.stripOffset)], // StripOffsets
    [277, SHORT, 1], // SamplesPerPixel
    [278, LONG, s.heightPx], // RowsPerStrip
    [279, LONG8, BigInt(s.stripBytes)], // StripByteCounts
    [284, SHORT, 1], // PlanarConfiguration: chunky
    [339, SHORT, 1], // SampleFormat: unsigned integer
  );
  const b = Buffer.alloc(8 + entries.length * entryBytes + 8);
  b.writeBigUInt64LE(BigInt(entries.length), 0);
  let descriptionCountAt: number | undefined;
  entries.forEach(([tag, type, value], k) => {
    const at = 8 + k * entryBytes;
    b.writeUInt16LE(tag, at);
    b.writeUInt16LE(type, at + 2);
    if (tag === 270 && s.description) {
      descriptionCountAt = at + 4;
      b.writeBigUInt64LE(BigInt(s.description.bytes), at + 4);
    } else b.writeBigUInt64LE(1n, at + 4);
    if (type === SHORT) b.writeUInt16LE(Number(value), at + 12);
    else if (type === LONG) b.writeUInt32LE(Number(value), at + 12);
    else b.writeBigUInt64LE(BigInt(value), at + 12);
  });
  return { bytes: b, nextFieldAt: b.length - 8, descriptionCountAt };
}

export interface ChainInfo {
  ifdOffsets: number[];
  /** Offset of the first IFD's ImageDescription count field (value follows 8 bytes later). */
  descriptionCountAt: number | undefined;
}

function readAt(fd: number, bytes: number, position: number): Buffer {
  const b = Buffer.alloc(bytes);
  const n = fs.readSync(fd, b, 0, bytes, position);
  if (n !== bytes) throw new RangeError(`short read at ${position}`);
  return b;
}

/** Follows the IFD chain; stops at a 0 pointer or a pointer past the end of the file. */
export function walkIfdChain(fd: number): ChainInfo {
  const size = fs.fstatSync(fd).size;
  const head = readAt(fd, headerBytes, 0);
  if (head.toString('latin1', 0, 2) !== 'II' || head.readUInt16LE(2) !== 43)
    throw new RangeError('not a little-endian BigTIFF file');
  const ifdOffsets: number[] = [];
  let descriptionCountAt: number | undefined;
  let next = Number(head.readBigUInt64LE(8));
  while (next !== 0 && next + 8 <= size && ifdOffsets.length < 10_000_000) {
    const count = Number(readAt(fd, 8, next).readBigUInt64LE(0));
    const tableBytes = 8 + count * entryBytes + 8;
    if (count === 0 || count > 64 || next + tableBytes > size) break;
    const table = readAt(fd, tableBytes, next);
    if (ifdOffsets.length === 0)
      for (let k = 0; k < count; k++)
        if (table.readUInt16LE(8 + k * entryBytes) === 270)
          descriptionCountAt = next + 8 + k * entryBytes + 4;
    ifdOffsets.push(next);
    next = Number(table.readBigUInt64LE(tableBytes - 8));
  }
  return { ifdOffsets, descriptionCountAt };
}

/**
 * Appends `xml` (NUL-terminated) at the end of the file and repoints the first IFD's
 * ImageDescription to it with one 16-byte write (count + offset are adjacent), so a crash
 * leaves either the old or the new description.
 */
export function replaceDescription(fd: number, descriptionCountAt: number, xml: string): void {
  const body = Buffer.from(xml + '\0', 'utf8');
  const end = fs.fstatSync(fd).size;
  const at = end + ((8 - (end % 8)) % 8);
  writeAllSync(fd, body, at);
  const ptr = Buffer.alloc(16);
  ptr.writeBigUInt64LE(BigInt(body.length), 0);
  ptr.writeBigUInt64LE(BigInt(at), 8);
  writeAllSync(fd, ptr, descriptionCountAt);
}

/** The first IFD's ImageDescription text (without the NUL), or null if there is none. */
export function readDescription(fd: number): string | null {
  const { descriptionCountAt } = walkIfdChain(fd);
  if (descriptionCountAt === undefined) return null;
  const ptr = readAt(fd, 16, descriptionCountAt);
  const bytes = Number(ptr.readBigUInt64LE(0));
  const text = readAt(fd, bytes, Number(ptr.readBigUInt64LE(8)));
  return text.toString('utf8', 0, text.at(-1) === 0 ? bytes - 1 : bytes);
}
