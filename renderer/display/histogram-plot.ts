/**
 * Draws the histogram (log counts) with the current window marked, into a small 2D canvas.
 * Called from the render loop, never through React state.
 */
import { rebin, type Histogram } from './histogram';

export const PLOT_BINS = 256;

export function drawHistogram(
  canvas: HTMLCanvasElement,
  h: Histogram,
  windowMin: number,
  windowMax: number,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const ht = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (canvas.width !== w || canvas.height !== ht) {
    canvas.width = w;
    canvas.height = ht;
  }
  ctx.clearRect(0, 0, w, ht);
  const bins = rebin(h.counts, Math.min(PLOT_BINS, h.counts.length));
  let peak = 0;
  for (const c of bins) peak = Math.max(peak, Math.log1p(c));
  const toX = (value: number) => (value / h.rangeMax) * w;
  ctx.fillStyle = 'rgba(120, 170, 255, 0.14)';
  ctx.fillRect(toX(windowMin), 0, Math.max(1, toX(windowMax) - toX(windowMin)), ht);
  ctx.fillStyle = '#9fb3c8';
  const barW = w / bins.length;
  for (let i = 0; i < bins.length; i++) {
    const c = bins[i]!;
    if (c === 0 || peak === 0) continue;
    const bh = (Math.log1p(c) / peak) * (ht - 2);
    ctx.fillRect(i * barW, ht - bh, Math.max(1, barW - 0.5), bh);
  }
  ctx.fillStyle = '#f5c542';
  ctx.fillRect(toX(windowMin), 0, Math.max(1, dpr), ht);
  ctx.fillRect(toX(windowMax) - dpr, 0, Math.max(1, dpr), ht);
}
