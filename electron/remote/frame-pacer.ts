/**
 * Paces one WebSocket client's frames to its link, so that a command's reply or a state patch
 * never queues behind more than about QUEUE_MS of frame bytes (issue #13 §1). A frame goes out
 * in chunks (format: electron/api/messages.ts); the client reports the bytes of each frame it
 * has received (`frame.progress`), and the next chunk is written only while the bytes sent but not
 * yet reported stay within the window: the measured delivery rate × (the link's round trip +
 * QUEUE_MS). Bytes in flight for one round trip are on the wire, not in front of a reply; only
 * the QUEUE_MS beyond them wait in a queue. Delivery rate: the fastest over the last
 * RATE_WINDOW_MS of (bytes reported while a chunk travelled) / (its round trip); round trip:
 * the least over the last RTT_WINDOW_MS. When the window limits, each round trip measures a
 * higher rate and the window grows by (rtt + QUEUE_MS) / rtt, until the link limits instead.
 * Reports that come in bursts add the burst to the window (noteBurst).
 */
import { FRAME_CHUNK_MAGIC } from '../api/messages';

/** Target queueing delay in front of a control message. */
export const QUEUE_MS = 20;
/**
 * Window before the first measurement, and its floor: a client busy decoding reports late,
 * which reads as a slower link (26 ms of a 20 Mbit/s link).
 */
export const INITIAL_WINDOW_BYTES = 64 * 1024;
const MIN_CHUNK_BYTES = 8 * 1024;
const MAX_CHUNK_BYTES = 1024 * 1024;
const RATE_WINDOW_MS = 2_000;
const RTT_WINDOW_MS = 10_000;
/** How often a pacer blocked by the socket's own buffer retries. */
const RETRY_MS = 5;

interface InFlight {
  /** Cumulative bytes sent when this chunk's last byte was written. */
  end: number;
  atMs: number;
  reportedAtSend: number;
}

interface Sample {
  atMs: number;
  value: number;
}

export interface PacerSocket {
  /** Writes one binary message. */
  write(message: Buffer): void;
  /** Bytes the socket has not yet handed to the kernel. */
  buffered(): number;
}

export class FramePacer {
  private sent = 0;
  private reported = 0;
  private readonly inFlight: InFlight[] = [];
  private readonly rates: Sample[] = [];
  private readonly rtts: Sample[] = [];
  private readonly bursts: Sample[] = [];
  private burstEpoch: { atMs: number; reported: number } | null = null;
  private frame: { seq: number; bytes: Buffer; offset: number; headerBytes: number } | null = null;
  private retry: NodeJS.Timeout | null = null;
  /** Cumulative bytes sent before each recent frame's first message. */
  private readonly frameStarts = new Map<number, number>();

  constructor(
    private readonly socket: PacerSocket,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** Queues one frame (header + payload); the previous one must have been fully written. */
  send(seq: number, header: Buffer, payload: Buffer): void {
    if (this.frame) throw new Error(`frame ${seq} sent while frame ${this.frame.seq} is unsent`);
    const bytes = Buffer.concat([header, payload]);
    this.frameStarts.set(seq, this.sent);
    if (this.frameStarts.size > 8) this.frameStarts.delete(this.frameStarts.keys().next().value!);
    this.frame = { seq, bytes, offset: 0, headerBytes: header.length };
    this.pump();
  }

  /** The client's `frame.progress`: `frameBytes` of frame `seq` received. */
  progress(seq: number, frameBytes: number): void {
    const start = this.frameStarts.get(seq);
    if (start === undefined) return;
    const bytes = start + frameBytes;
    if (bytes <= this.reported || bytes > this.sent) return;
    const now = this.nowMs();
    while (this.inFlight.length && this.inFlight[0]!.end <= bytes) {
      const c = this.inFlight.shift()!;
      const rtt = Math.max(0.1, now - c.atMs);
      push(this.rtts, now, rtt, RTT_WINDOW_MS);
      push(this.rates, now, (bytes - c.reportedAtSend) / rtt, RATE_WINDOW_MS);
    }
    this.noteBurst(now, bytes);
    this.reported = bytes;
    this.pump();
  }

  /**
   * Reports that arrive in bursts (a client busy drawing reads its socket late) look like a
   * slow link; the bytes reported in a burst beyond what the rate explains are added to the
   * window, so a late reader still gets a full pipe. On a link whose own queue is the delay,
   * reports come evenly and this stays near 0.
   */
  private noteBurst(now: number, bytes: number): void {
    const rate = this.rates.length ? this.bytesPerMs : 0;
    const e = this.burstEpoch;
    const extra = e ? bytes - e.reported - rate * (now - e.atMs) : -1;
    if (!e || extra <= 0) this.burstEpoch = { atMs: now, reported: bytes };
    else push(this.bursts, now, extra, RATE_WINDOW_MS);
  }

  /** The link's measured delivery rate (bytes/ms); Infinity before the first measurement. */
  get bytesPerMs(): number {
    return this.rates.length ? Math.max(...this.rates.map((s) => s.value)) : Infinity;
  }

  get rttMs(): number {
    return this.rtts.length ? Math.min(...this.rtts.map((s) => s.value)) : 0;
  }

  /** Bytes that may be sent and not yet reported. */
  get windowBytes(): number {
    if (!this.rates.length) return INITIAL_WINDOW_BYTES;
    const burst = this.bursts.length ? Math.max(...this.bursts.map((b) => b.value)) : 0;
    return Math.max(INITIAL_WINDOW_BYTES, this.bytesPerMs * (this.rttMs + QUEUE_MS) + burst);
  }

  /** Whether a frame is still being written. */
  get busy(): boolean {
    return this.frame !== null;
  }

  /** Drops the rest of the frame being written; returns its seq (null if none). */
  close(): number | null {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const seq = this.frame?.seq ?? null;
    this.frame = null;
    return seq;
  }

  private pump(): void {
    const window = this.windowBytes;
    const chunk = Math.min(MAX_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, Math.floor(window / 4)));
    while (this.frame) {
      const f = this.frame;
      const unreported = this.sent - this.reported;
      if (unreported > 0 && unreported + chunk > window) return;
      if (this.socket.buffered() > chunk) {
        this.retry ??= setTimeout(() => {
          this.retry = null;
          this.pump();
        }, RETRY_MS);
        return;
      }
      const first = f.offset === 0;
      // The first message carries the whole header: the client learns the frame's size from it.
      const end = Math.min(f.bytes.length, Math.max(f.offset + chunk, first ? f.headerBytes : 0));
      const part = f.bytes.subarray(f.offset, end);
      let message: Buffer;
      if (first) message = part;
      else {
        message = Buffer.allocUnsafe(8 + part.length);
        message.write(FRAME_CHUNK_MAGIC, 0, 'ascii');
        message.writeUInt32LE(f.seq >>> 0, 4);
        part.copy(message, 8);
      }
      f.offset = end;
      this.sent += message.length;
      this.inFlight.push({ end: this.sent, atMs: this.nowMs(), reportedAtSend: this.reported });
      this.socket.write(message);
      if (end === f.bytes.length) this.frame = null;
    }
  }
}

function push(samples: Sample[], atMs: number, value: number, keepMs: number): void {
  samples.push({ atMs, value });
  while (samples.length && samples[0]!.atMs < atMs - keepMs) samples.shift();
}
