/**
 * USB3 Vision bootstrap registers (USB3 Vision 1.x §5.6), little-endian: the technology
 * agnostic ABRM at 0, the SBRM and SIRM at the addresses the ABRM and SBRM give, and the
 * manifest table listing the device's GenICam files.
 */
import { ProtocolError } from '../../errors';

export const Abrm = {
  gencpVersion: 0x0000,
  manufacturer: 0x0004,
  model: 0x0044,
  family: 0x0084,
  deviceVersion: 0x00c4,
  manufacturerInfo: 0x0104,
  serial: 0x0144,
  userName: 0x0184,
  /** String registers above are 64 bytes. */
  stringSize: 64,
  capability: 0x01c4,
  /** u32, ms: how long the device may take to answer a command. */
  maxResponseTimeMs: 0x01cc,
  manifestTable: 0x01d0,
  sbrmAddress: 0x01d8,
  heartbeatTimeout: 0x01e8,
} as const;

export const Sbrm = {
  u3vVersion: 0x0000,
  capability: 0x0004,
  /** u32: the largest command / acknowledge (header included) the device takes / sends. */
  maxCmdTransfer: 0x0014,
  maxAckTransfer: 0x0018,
  streamChannels: 0x001c,
  sirmAddress: 0x0020,
  sirmLength: 0x0028,
  eirmAddress: 0x002c,
  size: 0x0044,
} as const;

export const Sirm = {
  /** u32; bits 31..24: payload alignment as a power of two. */
  info: 0x00,
  /** u32; bit 0: stream enable. */
  control: 0x04,
  requiredPayloadSize: 0x08,
  requiredLeaderSize: 0x10,
  requiredTrailerSize: 0x14,
  maxLeaderSize: 0x18,
  payloadTransferSize: 0x1c,
  payloadTransferCount: 0x20,
  finalTransfer1Size: 0x24,
  finalTransfer2Size: 0x28,
  maxTrailerSize: 0x2c,
  size: 0x30,
} as const;

export const SIRM_STREAM_ENABLE = 1;

/** A manifest entry: 64 bytes after the table's u64 entry count. */
export interface ManifestEntry {
  version: string;
  /** File type from schema bits 15..10: 0 plain XML, 1 zip. */
  zipped: boolean;
  address: number;
  size: number;
}

export const MANIFEST_ENTRY_SIZE = 64;

export function decodeManifestEntry(b: Buffer): ManifestEntry {
  if (b.length < 24)
    throw new ProtocolError(`USB3 Vision manifest entry has ${b.length} bytes, expected 64`);
  const fileType = (b.readUInt32LE(4) >> 10) & 0x3f;
  if (fileType > 1)
    throw new ProtocolError(`USB3 Vision manifest entry has unknown file type ${fileType}`);
  return {
    version: `${b[3]}.${b[2]}.${b.readUInt16LE(0)}`,
    zipped: fileType === 1,
    address: Number(b.readBigUInt64LE(8)),
    size: Number(b.readBigUInt64LE(16)),
  };
}

export function encodeManifestEntry(e: ManifestEntry): Buffer {
  const b = Buffer.alloc(MANIFEST_ENTRY_SIZE);
  const [major, minor, sub] = e.version.split('.').map(Number);
  b.writeUInt16LE(sub ?? 0, 0);
  b[2] = minor ?? 0;
  b[3] = major ?? 1;
  b.writeUInt32LE((e.zipped ? 1 : 0) << 10, 4);
  b.writeBigUInt64LE(BigInt(e.address), 8);
  b.writeBigUInt64LE(BigInt(e.size), 16);
  return b;
}

/** A NUL-terminated string register. */
export function decodeText(b: Buffer): string {
  const end = b.indexOf(0);
  return b.toString('latin1', 0, end < 0 ? b.length : end).trim();
}
