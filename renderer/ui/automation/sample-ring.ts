/**
 * A fixed-capacity ring of (timeMs, value) samples for live traces. Pushing never
 * allocates; the oldest sample is overwritten once full.
 */
export class SampleRing {
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`SampleRing capacity must be a positive integer, got ${capacity}`);
    }
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(timeMs: number, value: number): void {
    this.times[this.next] = timeMs;
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.capacity, this.count + 1);
  }

  clear(): void {
    this.next = 0;
    this.count = 0;
  }

  /** Time of the oldest sample kept, or null when empty. */
  oldestTimeMs(): number | null {
    if (this.count === 0) return null;
    return this.times[(this.next - this.count + this.capacity) % this.capacity]!;
  }

  /** Visits the samples oldest first. */
  forEach(visit: (timeMs: number, value: number) => void): void {
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) {
      const k = (start + i) % this.capacity;
      visit(this.times[k]!, this.values[k]!);
    }
  }

  /** Largest |value| among samples at or after `sinceMs` (0 when there are none). */
  maxAbsSince(sinceMs: number): number {
    let m = 0;
    this.forEach((t, v) => {
      if (t >= sinceMs) m = Math.max(m, Math.abs(v));
    });
    return m;
  }
}
