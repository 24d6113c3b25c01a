/**
 * Opt-in timing of a FLImP run's steps (tile move, snap, ROI finding; ROI move, dataset
 * wait, time series, close, registration), for the benchmark's per-step breakdown
 * (test/bench/automation/flimp-run.ts). Off unless a tracer is installed: `traced` then
 * only calls its function. One tracer per process; runs do not overlap in one host.
 */

export interface StepSpan {
  step: string;
  /** performance.now() at start and end. */
  startMs: number;
  endMs: number;
}

let spans: StepSpan[] | null = null;

/** Starts recording (dropping what an earlier trace recorded). */
export function startStepTrace(): void {
  spans = [];
}

/** Stops recording and returns the spans, in the order they ended. */
export function stopStepTrace(): StepSpan[] {
  const out = spans ?? [];
  spans = null;
  return out;
}

/** Runs `f`, recording its duration as `step` while a trace is on. */
export async function traced<T>(step: string, f: () => Promise<T>): Promise<T> {
  const rec = spans;
  if (!rec) return f();
  const startMs = performance.now();
  try {
    return await f();
  } finally {
    rec.push({ step, startMs, endMs: performance.now() });
  }
}
