/**
 * Per-step breakdown of a traced FLImP run (electron/automation/flimp/step-trace.ts): for
 * each step, how often it ran and its ms in all, per ROI and per call; plus the time between
 * an ROI's series end and the next ROI's move (the executor's own turn-around: journal,
 * settle, checkpoints, scanning ahead). Steps marked "bg" overlap the next ROI's imaging.
 */
import type { StepSpan } from '../../../../electron/automation/flimp/step-trace';
import { table } from '../report';

/** Steps that run beside the critical path (the next ROI's imaging or the scan's snap). */
const BACKGROUND = new Set(['roi.close', 'roi.register', 'tile.find']);

export function stepBreakdown(spans: readonly StepSpan[], rois: number): string[] {
  const by = new Map<string, number[]>();
  for (const s of spans) {
    const list = by.get(s.step) ?? [];
    list.push(s.endMs - s.startMs);
    by.set(s.step, list);
  }
  const series = spans.filter((s) => s.step === 'roi.series');
  const moves = spans.filter((s) => s.step === 'roi.move');
  const between = series
    .map((s) => moves.find((m) => m.startMs >= s.endMs)?.startMs)
    .map((next, i) => (next === undefined ? NaN : next - series[i]!.endMs))
    .filter((ms) => Number.isFinite(ms));
  if (between.length) by.set('roi.between (executor)', between);
  const rows = [['step', 'calls', 'ms total', 'ms / ROI', 'ms / call (median)', 'max']];
  for (const [step, ms] of [...by].sort(([a], [b]) => a.localeCompare(b))) {
    const total = ms.reduce((a, b) => a + b, 0);
    const sorted = [...ms].sort((a, b) => a - b);
    rows.push([
      BACKGROUND.has(step) ? `${step} (bg)` : step,
      String(ms.length),
      total.toFixed(0),
      (total / Math.max(1, rois)).toFixed(1),
      sorted[Math.floor(sorted.length / 2)]!.toFixed(1),
      sorted[sorted.length - 1]!.toFixed(1),
    ]);
  }
  return table(rows).map((l) => `    ${l}`);
}
