import { describe, expect, it } from 'vitest';
import { FramePacer, INITIAL_WINDOW_BYTES, QUEUE_MS } from '../../../electron/remote/frame-pacer';
import { FrameAssembler } from '../../../renderer/frames/frame-chunks';
import { encodeFrameHeader } from '../../../electron/host/frame-codec';
import type { FrameMeta } from '../../../electron/api/contract';
import { VIEW_FRAME_MAGIC } from '../../../electron/api/messages';

/** An AQF2 frame of `payloadBytes` recognisable bytes. */
function viewFrame(seq: number, payloadBytes: number) {
  const meta = {
    seq,
    cameraSeq: seq,
    widthPx: 2048,
    heightPx: 2048,
    bitDepth: 16,
    binning: 1,
    pixelSizeUm: 1,
    exposureMs: 10,
    timestampMs: 0,
    sentAtMs: 0,
    stage: { xUm: 0, yUm: 0, zUm: 0 },
    lasersMw: {},
    view: {
      level: 1,
      region: { x: 0, y: 0, width: 2048, height: 2048 },
      widthPx: 1024,
      heightPx: 1024,
      codec: 'deflate',
      payloadBytes,
    },
  } as FrameMeta;
  const header = encodeFrameHeader(meta);
  header.write(VIEW_FRAME_MAGIC, 0, 'ascii');
  const payload = Buffer.alloc(payloadBytes);
  for (let i = 0; i < payloadBytes; i++) payload[i] = (i * 7 + seq) & 0xff;
  return { header, payload };
}

/**
 * A link of `bytesPerMs` and `oneWayMs` on a simulated clock: messages serialise one after
 * another, arrive oneWayMs later; the client's progress report takes oneWayMs back.
 */
class SimLink {
  now = 0;
  private linkFreeAt = 0;
  private events: { at: number; run: () => void }[] = [];
  readonly assembler = new FrameAssembler();
  readonly frames: ArrayBuffer[] = [];
  received = 0;
  readonly pacer: FramePacer;

  /** `readEveryMs`: the client reads its socket only this often (busy drawing in between). */
  constructor(
    readonly bytesPerMs: number,
    readonly oneWayMs: number,
    readonly readEveryMs = 0,
  ) {
    this.pacer = new FramePacer({ write: (m) => this.write(m), buffered: () => 0 }, () => this.now);
  }

  /** When a message written now would be fully received (what a control reply waits). */
  deliveryTime(bytes: number): number {
    return Math.max(this.now, this.linkFreeAt) + bytes / this.bytesPerMs + this.oneWayMs;
  }

  private write(m: Buffer): void {
    const copy = new Uint8Array(m).buffer;
    this.linkFreeAt = Math.max(this.now, this.linkFreeAt) + m.length / this.bytesPerMs;
    const arrives = this.linkFreeAt + this.oneWayMs;
    const every = this.readEveryMs;
    this.at(every ? Math.ceil(arrives / every) * every : arrives, () => {
      this.received += m.length;
      const got = this.assembler.push(copy);
      if (got.frame) this.frames.push(got.frame);
      this.at(this.now + this.oneWayMs, () => this.pacer.progress(got.seq, got.bytes));
    });
  }

  at(at: number, run: () => void): void {
    this.events.push({ at, run });
    this.events.sort((a, b) => a.at - b.at);
  }

  runUntil(t: number): void {
    while (this.events.length && this.events[0]!.at <= t) {
      const e = this.events.shift()!;
      this.now = e.at;
      e.run();
    }
    this.now = t;
  }
}

describe('FramePacer', () => {
  it('writes no more than the initial window before the client reports progress', () => {
    const sent: Buffer[] = [];
    const pacer = new FramePacer({ write: (m) => sent.push(m), buffered: () => 0 }, () => 0);
    const { header, payload } = viewFrame(1, 400_000);
    pacer.send(1, header, payload);
    const bytes = sent.reduce((n, m) => n + m.length, 0);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(INITIAL_WINDOW_BYTES);
    expect(pacer.busy).toBe(true);
    expect(() => pacer.send(2, header, payload)).toThrow(/unsent/);
    // Dropping the rest (the client stopped reassembling) names the frame whose slot to free.
    const before = sent.length;
    expect(pacer.close()).toBe(1);
    expect(pacer.busy).toBe(false);
    pacer.progress(1, 1000);
    expect(sent.length).toBe(before);
  });

  it('delivers frames bit-exactly at near the link rate with a short queue in front of replies', () => {
    // 20 Mbit/s (2500 bytes/ms), 20 ms each way: a 400 KB frame is 160 ms of link.
    const link = new SimLink(2500, 20);
    const frames = [1, 2, 3, 4, 5, 6, 7, 8].map((seq) => viewFrame(seq, 400_000));
    const queueMs: number[] = [];
    let next = 0;
    const sendNext = () => {
      const f = frames[next++];
      if (f) link.pacer.send(next, f.header, f.payload);
    };
    sendNext();
    for (let t = 0; t < 3000; t += 10) {
      link.runUntil(t);
      if (!link.pacer.busy && link.frames.length === next) sendNext();
      // A reply written now waits behind what is already queued on the link.
      if (t > 1000) queueMs.push(link.deliveryTime(200) - t - link.oneWayMs);
    }
    expect(link.frames.length).toBe(frames.length);
    for (const [i, buf] of link.frames.entries()) {
      const f = frames[i]!;
      expect(Buffer.from(buf).equals(Buffer.concat([f.header, f.payload]))).toBe(true);
    }
    // Throughput: 8 frames of 400 KB in well under 3 s means the link was kept busy.
    const sorted = queueMs.sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const p95 = sorted[Math.floor(sorted.length * 0.95)]!;
    expect(link.pacer.bytesPerMs).toBeGreaterThan(0.7 * 2500);
    expect(link.pacer.bytesPerMs).toBeLessThan(1.3 * 2500);
    expect(link.pacer.rttMs).toBeGreaterThanOrEqual(40);
    // Without pacing the whole 400 KB frame (160 ms) would sit in front of a reply.
    expect(median).toBeLessThanOrEqual(QUEUE_MS + 10);
    expect(p95).toBeLessThanOrEqual(2 * QUEUE_MS + 10);
  });

  it('keeps the pipe full for a client that reads its socket late, in bursts', () => {
    // 100 Mbit/s, 20 ms each way, a client that reads every 100 ms: 1 MB frames.
    const link = new SimLink(12_500, 20, 100);
    let sent = 0;
    for (let t = 0; t < 5000; t += 5) {
      link.runUntil(t);
      if (!link.pacer.busy && link.frames.length === sent) {
        const f = viewFrame(++sent, 1_000_000);
        link.pacer.send(sent, f.header, f.payload);
      }
    }
    // The 64 KiB floor alone would allow ~0.5 MB/s here (one window per 140 ms read cycle).
    const mbPerS = link.received / 5000 / 1000;
    expect(mbPerS).toBeGreaterThan(3);
  });
});
