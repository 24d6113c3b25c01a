/**
 * GenCP over USB3 Vision (GenCP 1.x, USB3 Vision 1.x §5.5): commands and acknowledges on the
 * control interface, all fields little-endian.
 *   command: prefix "U3VC" (u32 0x43563355), flags u16 (0x4000 = request ack), command id
 *            u16, SCD length u16, request id u16, then the SCD.
 *   ack:     prefix, status u16, ack id u16, SCD length u16, request id u16, then the SCD.
 * READMEM SCD: address u64, reserved u16, length u16; its ack carries the data.
 * WRITEMEM SCD: address u64, data; its ack: reserved u16, bytes written u16.
 * PENDING_ACK SCD: reserved u16, time (ms) the device still needs.
 */
import { ProtocolError } from '../../errors';
import { COMMON_STATUS } from '../genicam/status';

export const GENCP_PREFIX = 0x43563355;
export const GENCP_HEADER = 12;
export const FLAG_REQUEST_ACK = 0x4000;

export const GencpCmd = {
  readMem: 0x0800,
  readMemAck: 0x0801,
  writeMem: 0x0802,
  writeMemAck: 0x0803,
  pendingAck: 0x0805,
} as const;

/** GenCP status codes (GenCP 1.x table 19) with what they mean to a user. */
const STATUS: Record<number, string> = {
  ...COMMON_STATUS,
  0x800b: 'message timeout',
  0x800e: 'invalid header',
  0x800f: 'wrong configuration',
  0x8fff: 'generic error',
};

export function statusText(status: number): string {
  return `0x${status.toString(16).padStart(4, '0')} ${STATUS[status] ?? 'unknown status'}`;
}

export interface GencpCommand {
  flags: number;
  command: number;
  requestId: number;
  scd: Buffer;
}

export interface GencpAck {
  status: number;
  command: number;
  requestId: number;
  scd: Buffer;
}

function encode(first: number, command: number, requestId: number, scd: Buffer): Buffer {
  const out = Buffer.alloc(GENCP_HEADER + scd.length);
  out.writeUInt32LE(GENCP_PREFIX, 0);
  out.writeUInt16LE(first, 4);
  out.writeUInt16LE(command, 6);
  out.writeUInt16LE(scd.length, 8);
  out.writeUInt16LE(requestId, 10);
  scd.copy(out, GENCP_HEADER);
  return out;
}

export const encodeCommand = (c: GencpCommand) => encode(c.flags, c.command, c.requestId, c.scd);
export const encodeAck = (a: GencpAck) => encode(a.status, a.command, a.requestId, a.scd);

function decode(
  b: Buffer,
  what: string,
): { first: number; command: number; id: number; scd: Buffer } {
  if (b.length < GENCP_HEADER || b.readUInt32LE(0) !== GENCP_PREFIX)
    throw new ProtocolError(`USB3 Vision ${what} is not a GenCP packet (${b.length} bytes)`, {
      raw: b.subarray(0, 32).toString('hex'),
    });
  const length = b.readUInt16LE(8);
  if (b.length < GENCP_HEADER + length)
    throw new ProtocolError(
      `USB3 Vision ${what} is cut short: ${b.length - GENCP_HEADER} of ${length} data bytes`,
      { raw: b.subarray(0, 32).toString('hex') },
    );
  return {
    first: b.readUInt16LE(4),
    command: b.readUInt16LE(6),
    id: b.readUInt16LE(10),
    scd: b.subarray(GENCP_HEADER, GENCP_HEADER + length),
  };
}

export function decodeCommand(b: Buffer): GencpCommand {
  const d = decode(b, 'command');
  return { flags: d.first, command: d.command, requestId: d.id, scd: d.scd };
}

export function decodeAck(b: Buffer): GencpAck {
  const d = decode(b, 'acknowledge');
  return { status: d.first, command: d.command, requestId: d.id, scd: d.scd };
}

export function readMemScd(address: number, length: number): Buffer {
  const scd = Buffer.alloc(12);
  scd.writeBigUInt64LE(BigInt(address), 0);
  scd.writeUInt16LE(length, 10);
  return scd;
}

export function writeMemScd(address: number, data: Buffer): Buffer {
  const scd = Buffer.alloc(8 + data.length);
  scd.writeBigUInt64LE(BigInt(address), 0);
  data.copy(scd, 8);
  return scd;
}

/** Request ids run 1..0xFFFF; 0 is never used. */
export const nextRequestId = (id: number) => (id >= 0xffff ? 1 : id + 1);
