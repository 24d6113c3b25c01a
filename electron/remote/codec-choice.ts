/**
 * Automatic codec choice per client (a `view` message with codec `auto`): for each frame the
 * codec with the least expected time per frame, encode time + payload / link throughput,
 * from running averages of each codec's measured size ratio and encode time. Before a codec
 * has been measured its prior below stands in (measured by bench:remote on the simulated
 * camera; docs/remote.md). `lut8` is a candidate only when the client sent its window.
 */
import type { FrameCodec } from '../api/frame-view';

interface CodecStats {
  /** Payload bytes / raw uint16 bytes. */
  ratio: number;
  encodeMs: number;
}

const PRIORS: Record<FrameCodec, CodecStats> = {
  raw: { ratio: 1, encodeMs: 1 },
  deflate: { ratio: 0.2, encodeMs: 20 },
  lut8: { ratio: 0.12, encodeMs: 12 },
};
/** Weight of a new measurement in the running averages. */
const ALPHA = 0.3;

export class CodecChooser {
  private readonly stats: Record<FrameCodec, CodecStats> = {
    raw: { ...PRIORS.raw },
    deflate: { ...PRIORS.deflate },
    lut8: { ...PRIORS.lut8 },
  };

  /** `bytesPerMs`: the link's measured throughput (Infinity when it has no limit). */
  choose(rawBytes: number, bytesPerMs: number, allowLut8: boolean): FrameCodec {
    const candidates: FrameCodec[] = allowLut8 ? ['raw', 'deflate', 'lut8'] : ['raw', 'deflate'];
    let best: FrameCodec = 'raw';
    let bestMs = Infinity;
    for (const c of candidates) {
      const s = this.stats[c];
      const ms = s.encodeMs + (s.ratio * rawBytes) / Math.max(bytesPerMs, 1e-3);
      if (ms < bestMs) [best, bestMs] = [c, ms];
    }
    return best;
  }

  record(codec: FrameCodec, rawBytes: number, payloadBytes: number, encodeMs: number): void {
    const s = this.stats[codec];
    s.ratio += ALPHA * (payloadBytes / Math.max(1, rawBytes) - s.ratio);
    s.encodeMs += ALPHA * (encodeMs - s.encodeMs);
  }

  estimate(codec: FrameCodec): Readonly<CodecStats> {
    return this.stats[codec];
  }
}
