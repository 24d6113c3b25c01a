/**
 * GigE Vision control protocol (GVCP, UDP port 3956): one request in flight at a time,
 * 16-bit request ids (never 0, kept across retries), a bounded number of retries with a
 * per-attempt timeout, PENDING_ACK extending the wait. Packet layout: command header key 0x42, flags (bit 0 =
 * acknowledge required), command, payload length, request id; acknowledge header status,
 * answer, payload length, ack id. All fields big-endian.
 */
import dgram from 'node:dgram';
import { DeviceError, DisconnectedError, ProtocolError, TimeoutError } from '../../errors';
import { COMMON_STATUS } from '../genicam/status';

export const GVCP_PORT = 3956;
export const GVCP_MAX_DATA = 512;

export const Cmd = {
  discovery: 0x0002,
  packetResend: 0x0040,
  readReg: 0x0080,
  writeReg: 0x0082,
  readMem: 0x0084,
  writeMem: 0x0086,
  pendingAck: 0x0089,
} as const;

/** Bootstrap register addresses (GigE Vision 2.x). */
export const Bootstrap = {
  deviceMode: 0x0004,
  macHigh: 0x0008,
  macLow: 0x000c,
  currentIp: 0x0024,
  manufacturer: 0x0048,
  model: 0x0068,
  deviceVersion: 0x0088,
  manufacturerInfo: 0x00a8,
  serial: 0x00d8,
  userName: 0x00e8,
  firstUrl: 0x0200,
  urlSize: 512,
  gvcpCapability: 0x0934,
  heartbeatTimeout: 0x0938,
  tickFrequencyHigh: 0x093c,
  tickFrequencyLow: 0x0940,
  ccp: 0x0a00,
  scp0Port: 0x0d00,
  scp0PacketSize: 0x0d04,
  scp0PacketDelay: 0x0d08,
  scp0Destination: 0x0d18,
} as const;

export const CCP_CONTROL = 1 << 1;
export const CAPABILITY_PACKET_RESEND = 1 << 2;

const STATUS: Record<number, string> = {
  ...COMMON_STATUS,
  0x800b: 'packet unavailable',
  0x800c: 'data overrun',
  0x800d: 'invalid header',
  0x8fff: 'error',
};

export function encodeCommand(command: number, id: number, payload: Buffer, flags = 0x01): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt8(0x42, 0);
  header.writeUInt8(flags, 1);
  header.writeUInt16BE(command, 2);
  header.writeUInt16BE(payload.length, 4);
  header.writeUInt16BE(id, 6);
  return Buffer.concat([header, payload]);
}

export interface Ack {
  status: number;
  answer: number;
  id: number;
  payload: Buffer;
}

export function decodeAck(msg: Buffer): Ack {
  if (msg.length < 8)
    throw new ProtocolError(`GVCP acknowledge of ${msg.length} bytes is too short`, {
      raw: msg.toString('hex'),
    });
  const length = msg.readUInt16BE(4);
  if (msg.length < 8 + length)
    throw new ProtocolError(
      `GVCP acknowledge announces ${length} payload bytes but carries ${msg.length - 8}`,
      {
        raw: msg.toString('hex'),
      },
    );
  return {
    status: msg.readUInt16BE(0),
    answer: msg.readUInt16BE(2),
    id: msg.readUInt16BE(6),
    payload: msg.subarray(8, 8 + length),
  };
}

export interface GvcpOptions {
  address: string;
  port?: number;
  /** Per attempt. */
  timeoutMs?: number;
  /** Attempts after the first. */
  retries?: number;
}

export class GvcpClient {
  private readonly socket = dgram.createSocket('udp4');
  private nextId = 1;
  private chain: Promise<unknown> = Promise.resolve();
  private waiting: ((ack: Ack) => void) | null = null;
  private closed = false;
  readonly address: string;
  /** The camera's GVCP port. */
  readonly port: number;
  private readonly timeoutMs: number;
  private readonly retries: number;

  private constructor(o: GvcpOptions) {
    this.address = o.address;
    this.port = o.port ?? GVCP_PORT;
    this.timeoutMs = o.timeoutMs ?? 500;
    this.retries = o.retries ?? 3;
    this.socket.on('message', (msg) => {
      try {
        this.waiting?.(decodeAck(msg));
      } catch {
        // not an acknowledge we can read: a late or foreign datagram, ignored
      }
    });
    this.socket.on('error', () => void this.close());
  }

  static async open(o: GvcpOptions): Promise<GvcpClient> {
    const c = new GvcpClient(o);
    await new Promise<void>((resolve, reject) => {
      c.socket.once('error', reject);
      c.socket.bind(0, () => {
        c.socket.off('error', reject);
        resolve();
      });
    });
    return c;
  }

  /** The local address the camera sees this host at (for the stream destination). */
  localAddress(): string {
    return this.socket.address().address;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((r) => this.socket.close(() => r()));
  }

  /** Sends a command and resolves with the acknowledge payload; serialised with all others. */
  request(command: number, payload: Buffer, what: string): Promise<Buffer> {
    const run = () => this.attempt(command, payload, what);
    const p = this.chain.then(run, run);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private takeId(): number {
    const id = this.nextId;
    this.nextId = id === 0xffff ? 1 : id + 1;
    return id;
  }

  private async attempt(command: number, payload: Buffer, what: string): Promise<Buffer> {
    // A retry repeats the command with the same request id, so a late ack of an earlier
    // attempt answers it and the device can recognise the repeat.
    const id = this.takeId();
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (this.closed)
        throw new DisconnectedError(
          `GigE camera ${this.address}: control channel closed (${what})`,
        );
      const ack = await new Promise<Ack | null>((resolve) => {
        let timer = setTimeout(() => done(null), this.timeoutMs);
        const done = (a: Ack | null) => {
          clearTimeout(timer);
          this.waiting = null;
          resolve(a);
        };
        this.waiting = (a) => {
          if (a.id !== id) return;
          if (a.answer === Cmd.pendingAck) {
            clearTimeout(timer);
            const ms = a.payload.length >= 4 ? a.payload.readUInt16BE(2) : this.timeoutMs;
            timer = setTimeout(() => done(null), ms + this.timeoutMs);
            return;
          }
          done(a);
        };
        this.socket.send(encodeCommand(command, id, payload), this.port, this.address, (err) => {
          if (err) done(null);
        });
      });
      if (!ack) continue;
      if (ack.answer !== command + 1)
        throw new ProtocolError(
          `GigE camera ${this.address}: ${what} answered with command 0x${ack.answer.toString(16)}`,
        );
      if (ack.status !== 0)
        throw new DeviceError(
          `GigE camera ${this.address}: ${what} failed: ${STATUS[ack.status] ?? 'status'} (0x${ack.status.toString(16)})`,
          { vendorCode: ack.status },
        );
      return ack.payload;
    }
    throw new TimeoutError(
      `GigE camera ${this.address}: no answer to ${what} after ${this.retries + 1} attempts of ${this.timeoutMs} ms`,
      { address: this.address },
    );
  }

  async readReg(address: number): Promise<number> {
    const p = Buffer.alloc(4);
    p.writeUInt32BE(address);
    const ack = await this.request(Cmd.readReg, p, `READREG 0x${address.toString(16)}`);
    if (ack.length < 4)
      throw new ProtocolError(`GigE camera ${this.address}: READREG ack without a value`);
    return ack.readUInt32BE(0);
  }

  async writeReg(address: number, value: number): Promise<void> {
    const p = Buffer.alloc(8);
    p.writeUInt32BE(address, 0);
    p.writeUInt32BE(value >>> 0, 4);
    await this.request(Cmd.writeReg, p, `WRITEREG 0x${address.toString(16)}`);
  }

  /** Reads any byte range: aligned to 4 and split into 512-byte READMEMs. */
  async readMem(address: number, length: number): Promise<Buffer> {
    const start = address & ~3;
    const end = (address + length + 3) & ~3;
    const parts: Buffer[] = [];
    for (let a = start; a < end; a += GVCP_MAX_DATA) {
      const n = Math.min(GVCP_MAX_DATA, end - a);
      const p = Buffer.alloc(8);
      p.writeUInt32BE(a, 0);
      p.writeUInt32BE(n, 4);
      const ack = await this.request(Cmd.readMem, p, `READMEM 0x${a.toString(16)} (${n} bytes)`);
      if (ack.length !== 4 + n || ack.readUInt32BE(0) !== a)
        throw new ProtocolError(
          `GigE camera ${this.address}: READMEM 0x${a.toString(16)} answered ${ack.length - 4} bytes for another range`,
        );
      parts.push(ack.subarray(4));
    }
    return Buffer.concat(parts).subarray(address - start, address - start + length);
  }

  /** Writes any byte range; unaligned edges are read first and merged. */
  async writeMem(address: number, data: Buffer): Promise<void> {
    const start = address & ~3;
    const end = (address + data.length + 3) & ~3;
    let block = data;
    if (start !== address || end !== address + data.length) {
      block = await this.readMem(start, end - start);
      data.copy(block, address - start);
    }
    for (let off = 0; off < block.length; off += GVCP_MAX_DATA) {
      const chunk = block.subarray(off, off + GVCP_MAX_DATA);
      const p = Buffer.alloc(4 + chunk.length);
      p.writeUInt32BE(start + off, 0);
      chunk.copy(p, 4);
      await this.request(
        Cmd.writeMem,
        p,
        `WRITEMEM 0x${(start + off).toString(16)} (${chunk.length} bytes)`,
      );
    }
  }
}
