/**
 * Minimal ZIP reader for zipped GenICam XML: reads the central directory and returns the
 * first entry whose name ends in `.xml` (else the first entry), stored or deflated.
 * Sizes come from the central directory, so archives written with data descriptors work.
 * And the matching one-file writer (the USB3 Vision simulator serves its XML zipped).
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { ProtocolError } from '../../errors';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function isZip(data: Buffer): boolean {
  return data.length >= 4 && data.readUInt32LE(0) === LOCAL;
}

export function unzipFirstFile(zip: Buffer): { name: string; data: Buffer } {
  const fail = (why: string): never => {
    throw new ProtocolError(`GenICam zip: ${why}`, { length: zip.length });
  };
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail('no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const entries: { name: string; method: number; size: number; local: number }[] = [];
  for (let n = 0; n < count; n++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL)
      fail(`central directory entry ${n} is damaged`);
    const nameLen = zip.readUInt16LE(p + 28);
    entries.push({
      method: zip.readUInt16LE(p + 10),
      size: zip.readUInt32LE(p + 20),
      local: zip.readUInt32LE(p + 42),
      name: zip.toString('utf8', p + 46, p + 46 + nameLen),
    });
    p += 46 + nameLen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  const entry = entries.find((e) => /\.xml$/i.test(e.name)) ?? entries[0];
  if (!entry) return fail('the archive is empty');
  if (entry.local + 30 > zip.length || zip.readUInt32LE(entry.local) !== LOCAL)
    fail(`local header of ${entry.name} is damaged`);
  const start =
    entry.local + 30 + zip.readUInt16LE(entry.local + 26) + zip.readUInt16LE(entry.local + 28);
  const raw = zip.subarray(start, start + entry.size);
  if (raw.length !== entry.size) fail(`${entry.name} is truncated`);
  if (entry.method === 0) return { name: entry.name, data: Buffer.from(raw) };
  if (entry.method !== 8) fail(`${entry.name} uses compression method ${entry.method}`);
  try {
    return { name: entry.name, data: inflateRawSync(raw) };
  } catch (err) {
    return fail(`${entry.name} does not inflate: ${(err as Error).message}`);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A ZIP archive holding `data` as one deflated file, as cameras zip their GenICam XML.
 * `dataDescriptor`: sizes and CRC only in the central directory (general purpose flag 3),
 * as streaming zip writers leave them.
 */
export function zipOneFile(
  name: string,
  data: Buffer,
  o: { dataDescriptor?: boolean } = {},
): Buffer {
  const packed = deflateRawSync(data);
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(LOCAL, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(o.dataDescriptor ? 8 : 0, 6);
  local.writeUInt16LE(8, 8);
  if (!o.dataDescriptor) {
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
  }
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(CENTRAL, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(o.dataDescriptor ? 8 : 0, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(data), 16);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const centralAt = local.length + fileName.length + packed.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralAt, 16);
  return Buffer.concat([local, fileName, packed, central, fileName, end]);
}
