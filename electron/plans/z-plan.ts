/**
 * Z plan positions (µm) with useq-schema's exact arithmetic: ranges are numpy
 * `arange(start, stop + step/2, step)` (numpy fills element i as start + i·δ with
 * δ = (start + step) − start), while the "middle plane" used by `do_stack: false` comes
 * from useq's separate `num_positions()` = ceil(round((stop + step − start)/step, 6)),
 * which can differ from the number of positions visited when step does not divide range.
 */
import type { ZPlan } from './types';

/** numpy.arange for float arguments, element for element. */
export function arange(start: number, stop: number, step: number): number[] {
  const len = Math.ceil((stop - start) / step);
  if (!(len > 0)) return [];
  const out = [start];
  if (len === 1) return out;
  const second = start + step;
  const delta = second - start;
  out.push(second);
  for (let i = 2; i < len; i++) out.push(start + i * delta);
  return out;
}

function startStopStep(plan: ZPlan): [number, number, number] | null {
  switch (plan.kind) {
    case 'top_bottom':
      return [plan.bottom, plan.top, plan.step];
    case 'range_around':
      return [-plan.range / 2, plan.range / 2, plan.step];
    case 'above_below':
      return [-Math.abs(plan.below), Math.abs(plan.above), plan.step];
    default:
      return null;
  }
}

/** Positions in list order (before `go_up` is applied). */
export function zPositions(plan: ZPlan): number[] {
  if (plan.kind === 'absolute') return [...plan.absolute];
  if (plan.kind === 'relative') return [...plan.relative];
  const [start, stop, step] = startStopStep(plan)!;
  if (step === 0) return [start];
  return arange(start, stop + step / 2, step);
}

/** Positions in visiting order: reversed when `go_up` is false. */
export function zIterate(plan: ZPlan): number[] {
  const p = zPositions(plan);
  return plan.go_up ? p : p.reverse();
}

/** Python's round(x, 6) for the magnitudes that occur here. */
function round6(x: number): number {
  return Number(x.toFixed(6));
}

export function zNumPositions(plan: ZPlan): number {
  if (plan.kind === 'absolute') return plan.absolute.length;
  if (plan.kind === 'relative') return plan.relative.length;
  const [start, stop, step] = startStopStep(plan)!;
  if (step === 0) return 1;
  return Math.ceil(round6((stop + step - start) / step));
}
