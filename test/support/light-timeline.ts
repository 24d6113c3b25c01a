/**
 * Light against exposures, on one clock (performance.now): a laser line's emission
 * intervals from a SimWorld's emission timeline, and checks that light only falls while the
 * camera exposes or reads out (auto-shutter, docs/safety.md).
 */
import type { EmissionChange } from '../../drivers/sim/world';

export interface Interval {
  fromMs: number;
  toMs: number;
}

export interface ExposureWindow {
  startMs: number;
  endMs: number;
  readoutEndMs: number;
}

/** Emission intervals of one line; a line still on is open until `nowMs`. */
export function emissionIntervals(
  timeline: readonly EmissionChange[],
  laserId: string,
  nowMs = performance.now(),
): Interval[] {
  const out: Interval[] = [];
  let onAt: number | null = null;
  for (const c of timeline) {
    if (c.laserId !== laserId) continue;
    if (c.on && onAt === null) onAt = c.atMs;
    else if (!c.on && onAt !== null) {
      out.push({ fromMs: onAt, toMs: c.atMs });
      onAt = null;
    }
  }
  if (onAt !== null) out.push({ fromMs: onAt, toMs: nowMs });
  return out;
}

/** The camera's busy spans: exposure start to read-out end, widened by `marginMs`, merged. */
function busySpans(exposures: readonly ExposureWindow[], marginMs: number): Interval[] {
  const spans = exposures
    .map((e) => ({ fromMs: e.startMs - marginMs, toMs: e.readoutEndMs + marginMs }))
    .sort((a, b) => a.fromMs - b.fromMs);
  const merged: Interval[] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && s.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, s.toMs);
    else merged.push({ ...s });
  }
  return merged;
}

/**
 * Every moment of light lies within the camera's busy spans (`marginMs`: software switching
 * latency before an exposure and after a read-out); returns the violations, in words.
 */
export function lightWhileIdle(
  light: readonly Interval[],
  exposures: readonly ExposureWindow[],
  marginMs: number,
): string[] {
  const busy = busySpans(exposures, marginMs);
  return light
    .filter((l) => !busy.some((b) => l.fromMs >= b.fromMs && l.toMs <= b.toMs))
    .map(
      (l) =>
        `light ${l.fromMs.toFixed(1)}..${l.toMs.toFixed(1)} ms (${(l.toMs - l.fromMs).toFixed(1)} ms) outside every exposure`,
    );
}

/** Exposures (start..end) not lit for their whole length by one interval of `light`. */
export function unlitExposures(
  light: readonly Interval[],
  exposures: readonly ExposureWindow[],
): ExposureWindow[] {
  return exposures.filter((e) => !light.some((l) => l.fromMs <= e.startMs && l.toMs >= e.endMs));
}

/**
 * Whether a frame's dose is `powerMw` × `exposureMs` on `laserId` alone, within the 1 ms
 * resolution of the host clock (Date.now) that frame timestamps and switch times use.
 */
export function fullDose(
  dose: Record<string, number> | undefined,
  laserId: string,
  powerMw: number,
  exposureMs: number,
): boolean {
  if (!dose || Object.keys(dose).join() !== laserId) return false;
  return Math.abs((dose[laserId] ?? 0) - powerMw * exposureMs) <= powerMw;
}
