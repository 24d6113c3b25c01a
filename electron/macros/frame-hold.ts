/**
 * The frames a macro snapped: their handle (metadata and statistics) goes to the sandbox,
 * their pixels stay here until the macro asks for a region (`frame.pixels(roi)`). The last
 * RETAINED_FRAMES are held; older ones are dropped with the host's frame.
 */
import type { HostFrame } from '../host/frame-bus';

const RETAINED_FRAMES = 4;
/** The largest pixel block one `frame.pixels()` call returns (a 4096² sensor). */
const MAX_PIXELS = 4096 * 4096;

/** Min, max and mean of a frame's pixels (one pass; no copy). */
export function frameStats(pixels: Uint16Array): { min: number; max: number; mean: number } {
  if (pixels.length === 0) return { min: 0, max: 0, mean: 0 };
  let min = 65_535;
  let max = 0;
  let sum = 0;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, max, mean: sum / pixels.length };
}

export class FrameHold {
  private readonly frames: HostFrame[] = [];

  /** Holds the bus's latest frame when it is snap `seq`; returns the handle's data. */
  hold(latest: HostFrame | null, seq: number): unknown {
    if (!latest || latest.meta.seq !== seq) return { seq };
    this.frames.push(latest);
    if (this.frames.length > RETAINED_FRAMES) this.frames.shift();
    const { meta } = latest;
    return {
      seq,
      widthPx: meta.widthPx,
      heightPx: meta.heightPx,
      exposureMs: meta.exposureMs,
      timestampMs: meta.timestampMs,
      stage: meta.stage,
      lasersMw: meta.lasersMw,
      stats: frameStats(latest.pixels),
    };
  }

  /** A copy of a region (JSON `{xPx, yPx, widthPx, heightPx}` or `null`: all), row-major. */
  pixels(seq: number, roiJson: string): Uint16Array {
    const f = this.frames.find((x) => x.meta.seq === seq);
    if (!f)
      throw new RangeError(
        `frame ${seq} is no longer held (the last ${RETAINED_FRAMES} snaps are): read pixels before snapping more`,
      );
    const { widthPx, heightPx } = f.meta;
    const roi = JSON.parse(roiJson) as Record<string, unknown> | null;
    const int = (v: unknown, d: number) => (Number.isInteger(v) ? (v as number) : d);
    const x = roi ? int(roi.xPx, 0) : 0;
    const y = roi ? int(roi.yPx, 0) : 0;
    const w = roi ? int(roi.widthPx, widthPx - x) : widthPx;
    const h = roi ? int(roi.heightPx, heightPx - y) : heightPx;
    if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > widthPx || y + h > heightPx)
      throw new RangeError(
        `pixels: region x ${x}, y ${y}, ${w}×${h} is outside the ${widthPx}×${heightPx} frame`,
      );
    if (w * h > MAX_PIXELS) throw new RangeError(`pixels: at most ${MAX_PIXELS} per call`);
    const out = new Uint16Array(w * h);
    for (let r = 0; r < h; r++)
      out.set(f.pixels.subarray((y + r) * widthPx + x, (y + r) * widthPx + x + w), r * w);
    return out;
  }
}
