/**
 * Minimal ZIP reader for zipped GenICam XML: reads the central directory and returns the
 * first entry whose name ends in `.xml` (else the first entry), stored or deflated.
 * Sizes come from the central directory, so archives written with data descriptors work.
 */
import { inflateRawSync } from 'node:zlib';
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
