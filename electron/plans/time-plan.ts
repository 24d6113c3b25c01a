/**
 * Time plan → the `min_start_time` of each timepoint, in whole µs (see duration.ts),
 * following useq-schema's `TimePlan.deltas()`:
 * - TIntervalLoops: loops timepoints, interval apart.
 * - TDurationLoops: interval = duration / (loops − 1), rounded half-even to 1 µs
 *   (useq raises ZeroDivisionError for loops = 1; we give the single timepoint 0).
 * - TIntervalDuration: loops = floor(duration / interval) + 1.
 * - MultiPhaseTimePlan: 0, then each phase's deltas shifted by the end of the previous
 *   phase, skipping each phase's own leading 0.
 */
import { divRoundHalfEven, usToSeconds } from './duration';
import type { TimePhase, TimePlan } from './types';

function phaseDeltasUs(phase: TimePhase): number[] {
  let loops: number;
  let intervalUs: number;
  switch (phase.kind) {
    case 'interval_loops':
      loops = phase.loops;
      intervalUs = phase.intervalUs;
      break;
    case 'duration_loops':
      loops = phase.loops;
      intervalUs = loops > 1 ? divRoundHalfEven(phase.durationUs, loops - 1) : 0;
      break;
    case 'interval_duration':
      loops = Math.floor(phase.durationUs / phase.intervalUs) + 1;
      intervalUs = phase.intervalUs;
      break;
  }
  const out: number[] = [];
  for (let i = 0, t = 0; i < loops; i++, t += intervalUs) out.push(t);
  return out;
}

export function timeDeltasUs(plan: TimePlan): number[] {
  if (plan.kind !== 'multi_phase') return phaseDeltasUs(plan);
  const out = [0];
  let accum = 0;
  for (const phase of plan.phases) {
    const deltas = phaseDeltasUs(phase);
    deltas.forEach((td, i) => {
      if (i === 0 && td === 0) return;
      out.push(td + accum);
    });
    const last = deltas[deltas.length - 1];
    if (last !== undefined) accum += last;
  }
  return out;
}

/** Seconds from the start (or the last timer reset) for each timepoint. */
export function timePointsS(plan: TimePlan): number[] {
  return timeDeltasUs(plan).map(usToSeconds);
}
