/**
 * Byte-level codecs for GenICam register nodes (IntReg, MaskedIntReg, FloatReg, StringReg).
 * Bit numbering follows GenICam: for BigEndian registers bit 0 is the most significant bit
 * of the register, for LittleEndian registers it is the least significant.
 */
import { LimitError, ProtocolError } from '../../errors';

export type Endianness = 'BigEndian' | 'LittleEndian';

export interface IntCodec {
  length: number;
  signed: boolean;
  endianness: Endianness;
}

function toBig(data: Buffer, endianness: Endianness): bigint {
  let v = 0n;
  for (let i = 0; i < data.length; i++) {
    const byte = data[endianness === 'BigEndian' ? i : data.length - 1 - i]!;
    v = (v << 8n) | BigInt(byte);
  }
  return v;
}

function fromBig(v: bigint, length: number, endianness: Endianness): Buffer {
  const out = Buffer.alloc(length);
  let x = BigInt.asUintN(length * 8, v);
  for (let i = 0; i < length; i++) {
    out[endianness === 'BigEndian' ? length - 1 - i : i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

export function decodeInt(data: Buffer, c: IntCodec): number {
  const raw = toBig(data, c.endianness);
  return Number(c.signed ? BigInt.asIntN(c.length * 8, raw) : raw);
}

/** Encodes `value`; values the register cannot hold throw a LimitError naming the node. */
export function encodeInt(node: string, value: number, c: IntCodec): Buffer {
  const bits = BigInt(c.length * 8);
  const v = BigInt(Math.round(value));
  const min = c.signed ? -(1n << (bits - 1n)) : 0n;
  const max = c.signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  if (v < min || v > max)
    throw new LimitError(
      `${node}: ${value} does not fit a ${c.signed ? 'signed' : 'unsigned'} ${c.length}-byte register`,
      {
        feature: node,
        value,
      },
    );
  return fromBig(v, c.length, c.endianness);
}

/** Bit range [shift, shift + width) counted from the register's least significant bit. */
export function maskedRange(
  c: IntCodec,
  lsb: number,
  msb: number,
): { shift: bigint; width: bigint } {
  const top = c.length * 8 - 1;
  if (c.endianness === 'BigEndian')
    return { shift: BigInt(top - lsb), width: BigInt(lsb - msb + 1) };
  return { shift: BigInt(lsb), width: BigInt(msb - lsb + 1) };
}

export function decodeMasked(data: Buffer, c: IntCodec, lsb: number, msb: number): number {
  const { shift, width } = maskedRange(c, lsb, msb);
  const field = (toBig(data, c.endianness) >> shift) & ((1n << width) - 1n);
  return Number(c.signed ? BigInt.asIntN(Number(width), field) : field);
}

export function encodeMasked(
  node: string,
  old: Buffer,
  value: number,
  c: IntCodec,
  lsb: number,
  msb: number,
): Buffer {
  const { shift, width } = maskedRange(c, lsb, msb);
  const v = BigInt(Math.round(value));
  const min = c.signed ? -(1n << (width - 1n)) : 0n;
  const max = c.signed ? (1n << (width - 1n)) - 1n : (1n << width) - 1n;
  if (v < min || v > max)
    throw new LimitError(`${node}: ${value} does not fit its ${width}-bit field`, {
      feature: node,
      value,
    });
  const mask = ((1n << width) - 1n) << shift;
  const next =
    (toBig(old, c.endianness) & ~mask) | ((BigInt.asUintN(Number(width), v) << shift) & mask);
  return fromBig(next, c.length, c.endianness);
}

export function decodeFloat(node: string, data: Buffer, endianness: Endianness): number {
  const be = endianness === 'BigEndian';
  if (data.length === 4) return be ? data.readFloatBE(0) : data.readFloatLE(0);
  if (data.length === 8) return be ? data.readDoubleBE(0) : data.readDoubleLE(0);
  throw new ProtocolError(`${node}: a FloatReg must be 4 or 8 bytes long, not ${data.length}`);
}

export function encodeFloat(
  node: string,
  value: number,
  length: number,
  endianness: Endianness,
): Buffer {
  const out = Buffer.alloc(length);
  const be = endianness === 'BigEndian';
  if (length === 4) {
    if (be) out.writeFloatBE(value);
    else out.writeFloatLE(value);
  } else if (length === 8) {
    if (be) out.writeDoubleBE(value);
    else out.writeDoubleLE(value);
  } else throw new ProtocolError(`${node}: a FloatReg must be 4 or 8 bytes long, not ${length}`);
  return out;
}

export function decodeString(data: Buffer): string {
  const end = data.indexOf(0);
  return data.toString('utf8', 0, end < 0 ? data.length : end);
}

export function encodeString(node: string, value: string, length: number): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length)
    throw new LimitError(
      `${node}: "${value}" is ${bytes.length} bytes, the register holds ${length}`,
      {
        feature: node,
      },
    );
  const out = Buffer.alloc(length);
  bytes.copy(out);
  return out;
}
