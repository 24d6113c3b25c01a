/**
 * The focus lock's full-rate samples (one per loop iteration, ~50/s), kept in the host in
 * a fixed-size ring: clients get throttled state, the trace and QC figures come from here.
 */
export interface LockSample {
  /** Epoch ms. */
  tMs: number;
  /** Distance from the lock plane (+ offset), µm; null without a usable spot. */
  errorUm: number | null;
}

export class LockSamples {
  private readonly times: Float64Array;
  /** NaN for a sample without a usable spot. */
  private readonly errors: Float64Array;
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`LockSamples capacity must be a positive integer, got ${capacity}`);
    this.times = new Float64Array(capacity);
    this.errors = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(s: LockSample): void {
    this.times[this.next] = s.tMs;
    this.errors[this.next] = s.errorUm ?? Number.NaN;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.capacity, this.count + 1);
  }

  /** Samples taken after `afterMs` (exclusive), oldest first, at most `max` (the newest). */
  since(afterMs: number, max = this.capacity): LockSample[] {
    const out: LockSample[] = [];
    for (let i = 0; i < this.count && out.length < max; i++) {
      const k = (this.next - 1 - i + this.capacity) % this.capacity;
      const t = this.times[k]!;
      if (t <= afterMs) break;
      const e = this.errors[k]!;
      out.push({ tMs: t, errorUm: Number.isNaN(e) ? null : e });
    }
    return out.reverse();
  }

  /** RMS of the usable errors after `afterMs`, µm; null when there are none. */
  rmsUm(afterMs: number): number | null {
    let sum = 0;
    let n = 0;
    for (const s of this.since(afterMs)) {
      if (s.errorUm === null) continue;
      sum += s.errorUm * s.errorUm;
      n++;
    }
    return n === 0 ? null : Math.sqrt(sum / n);
  }
}
