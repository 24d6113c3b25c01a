/** What every `npm run bench:automation` section returns (test/bench/automation.ts runs them). */
export interface SectionReport {
  /** Short name, e.g. 'autofocus'. */
  section: string;
  /** Human-readable lines, printed as they are. */
  lines: string[];
  /** The section's figures by name (units in the name: Ms, Um, Px, Pct…). */
  figures: Record<string, number>;
  /** Whether the section's goal from issue #12 was met in this run. */
  goalMet: boolean;
}

/** Fixed-width table: first row is the header. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  '),
  );
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}

/** p in 0..1, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))] ?? NaN;
}

/**
 * CPU time of this process over a span, ms: the machine is shared, so wall time would
 * measure the neighbours too. Use it around single-threaded work while other threads idle.
 */
export function cpuClock(): { stop(): number } {
  const start = process.cpuUsage();
  return {
    stop() {
      const d = process.cpuUsage(start);
      return (d.user + d.system) / 1000;
    },
  };
}
