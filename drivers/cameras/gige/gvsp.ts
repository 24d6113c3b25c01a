/**
 * GigE Vision stream protocol (GVSP) receiver: reassembles leader / payload / trailer
 * packets of image blocks into one buffer per frame. Packet header (8 bytes, big-endian):
 * status u16, block id u16, [EI flag | content type (7 bits) | packet id (24 bits)] u32.
 * Content types: 1 leader, 2 trailer, 3 payload. Image leader: flags u16, payload type u16,
 * timestamp u64, pixel format u32, width, height, offset x, offset y u32, padding x/y u16.
 * Payload packet n (1-based) carries bytes from (n − 1) × payloadPerPacket.
 * Missing packets are asked for again once (when the camera can resend); a frame still
 * missing data when its deadline passes is reported incomplete, never as a frame. Block ids
 * count up within one start(): every id skipped between two frames (however many) is reported
 * as a frame lost whole, and packets of a block older than the newest one begun are ignored.
 */
import dgram from 'node:dgram';
import { ProtocolError } from '../../errors';

export const GVSP_HEADER = 8;
/** IP (20) + UDP (8) + GVSP header (8): what a packet of size S leaves for data. */
export const GVSP_OVERHEAD = 36;
/** Receive buffer asked for: a few 8 MiB frames, where the OS allows it. */
export const DEFAULT_RECV_BUFFER = 64 << 20;
const LEADER = 1;
const TRAILER = 2;
const PAYLOAD = 3;

export interface StreamFrame {
  blockId: number;
  pixelFormat: number;
  width: number;
  height: number;
  offsetX: number;
  offsetY: number;
  /** Holds the whole payload (its length is the expected payload size). */
  data: Buffer;
}

export interface IncompleteFrame {
  blockId: number;
  missingPackets: number;
  /** 'frame lost': no packet of it came, seen from the block ids after it. */
  reason: 'packets lost' | 'trailer lost' | 'frame lost' | 'stopped';
}

/** Steps from block id `a` to `b` (16-bit ids, 0 skipped); above 0x7fff: `b` is older. */
function blockDistance(a: number, b: number): number {
  const d = (b - a + 0x10000) % 0x10000;
  return b < a && d < 0x8000 ? d - 1 : d;
}

export interface StreamSetup {
  /** Bytes of image data in each full payload packet. */
  payloadPerPacket: number;
  payloadSize: number;
  /** How long after the trailer (or the first packet) to wait for resent packets. */
  frameTimeoutMs: number;
  /** Asks the camera to send packets first..last of a block again; absent: no resends. */
  resend?: (blockId: number, first: number, last: number) => void;
  /** Supplies the buffer for the next frame (≥ payloadSize bytes); default a new one. */
  buffer?: () => Buffer;
  onFrame: (frame: StreamFrame) => void;
  onIncomplete: (frame: IncompleteFrame) => void;
}

interface Assembly {
  blockId: number;
  leader: Omit<StreamFrame, 'data' | 'blockId'> | null;
  data: Buffer;
  received: Uint8Array;
  missing: number;
  trailer: boolean;
  resent: boolean;
  timer: NodeJS.Timeout;
  /** performance.now() at its first and latest packet, and the bytes it brought. */
  firstMs: number;
  lastMs: number;
  bytes: number;
}

export class GvspReceiver {
  private readonly socket = dgram.createSocket('udp4');
  private setup: StreamSetup | null = null;
  private frames = new Map<number, Assembly>();
  /** Recently finished block ids: late or duplicate packets of these are ignored. */
  private finished: number[] = [];
  /** The newest block id begun since start (0: none yet). */
  private newest = 0;
  private packets = 0;
  private bytes = 0;
  private burstRate = 0;
  private closed = false;

  private constructor() {
    this.socket.on('message', (msg) => this.packet(msg));
    this.socket.on('error', () => void this.close());
  }

  /**
   * Binds a UDP port on `host` and asks the OS for a receive buffer of `bufferBytes` (Linux
   * grants at most net.core.rmem_max, doubled for its bookkeeping).
   */
  static async open(host: string, bufferBytes = DEFAULT_RECV_BUFFER): Promise<GvspReceiver> {
    const r = new GvspReceiver();
    await new Promise<void>((resolve, reject) => {
      r.socket.once('error', reject);
      r.socket.bind(0, host, () => {
        r.socket.off('error', reject);
        resolve();
      });
    });
    r.socket.setRecvBufferSize(bufferBytes);
    return r;
  }

  /** The receive buffer the OS granted (Linux caps the request at net.core.rmem_max). */
  get bufferBytes(): number {
    return this.socket.getRecvBufferSize();
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Packets received since open (diagnostics). */
  get packetCount(): number {
    return this.packets;
  }

  /** Bytes received since open. */
  get byteCount(): number {
    return this.bytes;
  }

  /** Bytes per second within the last frame's burst (first to last packet); 0: none yet. */
  get burstBytesPerS(): number {
    return this.burstRate;
  }

  /** Sends a datagram from the stream socket (PACKETRESEND goes to the camera from here). */
  sendTo(data: Buffer, port: number, address: string): void {
    if (!this.closed) this.socket.send(data, port, address);
  }

  /** Starts accepting frames with this geometry; frames in flight are dropped. */
  start(setup: StreamSetup): void {
    this.stop();
    if (setup.payloadPerPacket <= 0 || setup.payloadSize <= 0)
      throw new ProtocolError(
        `GVSP setup: payload ${setup.payloadSize} B in packets of ${setup.payloadPerPacket} B`,
      );
    this.setup = setup;
  }

  /** Reports every frame in flight as incomplete ('stopped'); the stream stays started. */
  flush(): void {
    for (const a of [...this.frames.values()])
      this.finish(a, { blockId: a.blockId, missingPackets: a.missing, reason: 'stopped' });
  }

  /** Stops accepting frames; frames in flight are dropped without being reported. */
  stop(): void {
    for (const a of this.frames.values()) clearTimeout(a.timer);
    this.frames.clear();
    this.finished = [];
    this.newest = 0;
    this.setup = null;
  }

  async close(): Promise<void> {
    this.stop();
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((r) => this.socket.close(() => r()));
  }

  private packet(msg: Buffer): void {
    this.packets++;
    this.bytes += msg.length;
    const s = this.setup;
    if (!s || msg.length < GVSP_HEADER) return;
    const info = msg.readUInt32BE(4);
    if (info & 0x80000000) return; // extended ids are not negotiated, so not expected
    const blockId = msg.readUInt16BE(2);
    const type = (info >>> 24) & 0x7f;
    const packetId = info & 0xffffff;
    if (this.finished.includes(blockId)) return;
    const a = this.frames.get(blockId) ?? this.begin(s, blockId);
    if (!a) return;
    a.lastMs = performance.now();
    a.bytes += msg.length;
    const body = msg.subarray(GVSP_HEADER);
    if (type === LEADER && body.length >= 36) {
      a.leader = {
        pixelFormat: body.readUInt32BE(12),
        width: body.readUInt32BE(16),
        height: body.readUInt32BE(20),
        offsetX: body.readUInt32BE(24),
        offsetY: body.readUInt32BE(28),
      };
      this.mark(a, 0);
    } else if (type === PAYLOAD && packetId >= 1) {
      const at = (packetId - 1) * s.payloadPerPacket;
      if (at + body.length > a.data.length) return; // not this geometry: ignored, frame stays incomplete
      body.copy(a.data, at);
      this.mark(a, packetId);
    } else if (type === TRAILER) {
      a.trailer = true;
      this.mark(a, a.received.length - 1);
      if (a.missing > 0) this.askResend(s, a);
    }
    if (a.missing === 0) this.finish(a, null);
  }

  private begin(s: StreamSetup, blockId: number): Assembly | null {
    if (blockId === 0) return null; // block id 0 is reserved
    const n = Math.ceil(s.payloadSize / s.payloadPerPacket);
    if (this.newest !== 0) {
      const d = blockDistance(this.newest, blockId);
      if (d >= 0x8000) return null; // older than a frame already begun: given up on
      // a stall of the receiver can lose many frames whole; each one is counted
      for (let id = this.newest, k = 1; k < d; k++) {
        id = id === 0xffff ? 1 : id + 1;
        s.onIncomplete({ blockId: id, missingPackets: n + 2, reason: 'frame lost' });
      }
    }
    this.newest = blockId;
    const data = s.buffer?.() ?? Buffer.allocUnsafe(s.payloadSize);
    const a: Assembly = {
      blockId,
      leader: null,
      data: data.subarray(0, s.payloadSize),
      received: new Uint8Array(n + 2), // leader, payload 1..n, trailer
      missing: n + 2,
      trailer: false,
      resent: false,
      timer: setTimeout(() => this.expire(a), s.frameTimeoutMs),
      firstMs: performance.now(),
      lastMs: 0,
      bytes: 0,
    };
    this.frames.set(blockId, a);
    return a;
  }

  private mark(a: Assembly, index: number): void {
    if (index >= a.received.length || a.received[index]) return;
    a.received[index] = 1;
    a.missing--;
  }

  private askResend(s: StreamSetup, a: Assembly): void {
    if (!s.resend || a.resent) return;
    a.resent = true;
    clearTimeout(a.timer);
    a.timer = setTimeout(() => this.expire(a), s.frameTimeoutMs);
    for (let i = 0; i < a.received.length - 1; i++) {
      if (a.received[i]) continue;
      let j = i;
      while (j + 1 < a.received.length - 1 && !a.received[j + 1]) j++;
      s.resend(a.blockId, i, j);
      i = j;
    }
  }

  private expire(a: Assembly): void {
    const s = this.setup;
    if (!s || this.frames.get(a.blockId) !== a) return;
    if (!a.trailer && !a.resent && s.resend) {
      // the trailer itself may be what got lost: ask for everything missing once
      this.askResend(s, a);
      return;
    }
    this.finish(a, {
      blockId: a.blockId,
      missingPackets: a.missing,
      reason: a.trailer ? 'packets lost' : 'trailer lost',
    });
  }

  private finish(a: Assembly, incomplete: IncompleteFrame | null): void {
    clearTimeout(a.timer);
    const ms = a.lastMs - a.firstMs;
    if (ms > 0 && a.bytes > 0) this.burstRate = (a.bytes * 1000) / ms;
    this.frames.delete(a.blockId);
    this.finished.push(a.blockId);
    if (this.finished.length > 16) this.finished.shift();
    const s = this.setup!;
    if (incomplete || !a.leader)
      s.onIncomplete(
        incomplete ?? { blockId: a.blockId, missingPackets: 1, reason: 'packets lost' },
      );
    else s.onFrame({ blockId: a.blockId, ...a.leader, data: a.data });
  }
}
