/**
 * The focus-lock error trace: recent errorUm samples (see traceWindowMs) drawn into a small
 * 2D canvas, zero in the middle, the y range symmetric and at least ±MIN_HALF_RANGE_UM.
 * Called outside React (a store subscription), one draw per animation frame at most.
 */
import type { SampleRing } from './sample-ring';

export const MIN_HALF_RANGE_UM = 0.05;
export const MIN_WINDOW_MS = 5_000;

/**
 * The time span shown: the data's age, between MIN_WINDOW_MS and `maxWindowMs`, so a
 * trace that just started fills the plot instead of sitting at its right edge.
 */
export function traceWindowMs(ring: SampleRing, nowMs: number, maxWindowMs: number): number {
  const oldest = ring.oldestTimeMs();
  const age = oldest === null ? 0 : nowMs - oldest;
  return Math.min(maxWindowMs, Math.max(MIN_WINDOW_MS, age));
}

/** The trace's y half-range (µm): the largest recent |error| rounded up, never tiny. */
export function traceHalfRangeUm(ring: SampleRing, sinceMs: number): number {
  const m = ring.maxAbsSince(sinceMs);
  if (m <= MIN_HALF_RANGE_UM) return MIN_HALF_RANGE_UM;
  const p = 10 ** Math.floor(Math.log10(m));
  for (const k of [1, 2, 5, 10]) if (k * p >= m) return k * p;
  return 10 * p;
}

/** Plot points (canvas px) of the samples within [nowMs − windowMs, nowMs]. */
export function tracePoints(
  ring: SampleRing,
  nowMs: number,
  windowMs: number,
  widthPx: number,
  heightPx: number,
): { points: { x: number; y: number }[]; halfRangeUm: number } {
  const since = nowMs - windowMs;
  const half = traceHalfRangeUm(ring, since);
  const points: { x: number; y: number }[] = [];
  ring.forEach((t, v) => {
    if (t < since) return;
    points.push({
      x: ((t - since) / windowMs) * widthPx,
      y: heightPx / 2 - (v / half) * (heightPx / 2),
    });
  });
  return { points, halfRangeUm: half };
}

export function drawErrorTrace(
  canvas: HTMLCanvasElement,
  ring: SampleRing,
  nowMs: number,
  maxWindowMs: number,
): number {
  const ctx = canvas.getContext('2d');
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const h = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const { points, halfRangeUm } = tracePoints(
    ring,
    nowMs,
    traceWindowMs(ring, nowMs, maxWindowMs),
    w,
    h,
  );
  if (!ctx) return halfRangeUm;
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = '#5a6878';
  ctx.setLineDash([2 * dpr, 3 * dpr]);
  ctx.beginPath();
  ctx.moveTo(0, h / 2);
  ctx.lineTo(w, h / 2);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.strokeStyle = '#5aa9ff';
  ctx.lineWidth = Math.max(1, dpr);
  ctx.beginPath();
  points.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
  ctx.stroke();
  return halfRangeUm;
}
