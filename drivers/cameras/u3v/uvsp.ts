/**
 * USB3 Vision stream protocol (USB3 Vision 1.x §5.7), little-endian. Each block is a leader
 * transfer, payload transfers of the sizes set in the SIRM, and a trailer transfer.
 *   leader (image, 52 B): "U3VL" u32 0x4C563355, reserved u16, leader size u16, block id
 *     u64, reserved u16, payload type u16 (1 = image), timestamp u64, pixel format u32,
 *     size x, size y, offset x, offset y (u32), padding x u16, reserved u16.
 *   trailer (image, 36 B): "U3VT" u32 0x54563355, reserved u16, trailer size u16, block id
 *     u64, status u16, reserved u16, valid payload size u64, size y u32.
 */
export const LEADER_MAGIC = 0x4c563355;
export const TRAILER_MAGIC = 0x54563355;
export const IMAGE_LEADER_SIZE = 52;
export const IMAGE_TRAILER_SIZE = 36;
export const PAYLOAD_IMAGE = 0x0001;

export interface Leader {
  blockId: number;
  payloadType: number;
  timestamp: bigint;
  pixelFormat: number;
  width: number;
  height: number;
  offsetX: number;
  offsetY: number;
}

export interface Trailer {
  blockId: number;
  /** 0 = success; anything else means the device could not send the block whole. */
  status: number;
  validPayloadSize: number;
  height: number;
}

export const isLeader = (b: Buffer) => b.length >= 16 && b.readUInt32LE(0) === LEADER_MAGIC;
export const isTrailer = (b: Buffer) => b.length >= 16 && b.readUInt32LE(0) === TRAILER_MAGIC;

/** null when `b` is not a whole image leader. */
export function decodeLeader(b: Buffer): Leader | null {
  if (!isLeader(b) || b.length < IMAGE_LEADER_SIZE) return null;
  return {
    blockId: Number(b.readBigUInt64LE(8)),
    payloadType: b.readUInt16LE(18),
    timestamp: b.readBigUInt64LE(20),
    pixelFormat: b.readUInt32LE(28),
    width: b.readUInt32LE(32),
    height: b.readUInt32LE(36),
    offsetX: b.readUInt32LE(40),
    offsetY: b.readUInt32LE(44),
  };
}

/** null when `b` is not a whole image trailer. */
export function decodeTrailer(b: Buffer): Trailer | null {
  if (!isTrailer(b) || b.length < IMAGE_TRAILER_SIZE) return null;
  return {
    blockId: Number(b.readBigUInt64LE(8)),
    status: b.readUInt16LE(16),
    validPayloadSize: Number(b.readBigUInt64LE(20)),
    height: b.readUInt32LE(28),
  };
}

export function encodeLeader(l: Leader): Buffer {
  const b = Buffer.alloc(IMAGE_LEADER_SIZE);
  b.writeUInt32LE(LEADER_MAGIC, 0);
  b.writeUInt16LE(IMAGE_LEADER_SIZE, 6);
  b.writeBigUInt64LE(BigInt(l.blockId), 8);
  b.writeUInt16LE(l.payloadType, 18);
  b.writeBigUInt64LE(l.timestamp, 20);
  b.writeUInt32LE(l.pixelFormat, 28);
  b.writeUInt32LE(l.width, 32);
  b.writeUInt32LE(l.height, 36);
  b.writeUInt32LE(l.offsetX, 40);
  b.writeUInt32LE(l.offsetY, 44);
  return b;
}

export function encodeTrailer(t: Trailer): Buffer {
  const b = Buffer.alloc(IMAGE_TRAILER_SIZE);
  b.writeUInt32LE(TRAILER_MAGIC, 0);
  b.writeUInt16LE(IMAGE_TRAILER_SIZE, 6);
  b.writeBigUInt64LE(BigInt(t.blockId), 8);
  b.writeUInt16LE(t.status, 16);
  b.writeBigUInt64LE(BigInt(t.validPayloadSize), 20);
  b.writeUInt32LE(t.height, 28);
  return b;
}
