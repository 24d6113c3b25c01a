/**
 * When each laser line really emitted, as the safety layer saw it confirmed (host clock,
 * Date.now ms): a line is on from the moment its switch-on resolved (the driver confirmed
 * emission) until its switch-off resolved; a line whose off was not confirmed stays on
 * here. From this, the dose of any exposure window: power × time emitted inside it.
 */

interface Segment {
  fromMs: number;
  /** null while the line still emits. */
  toMs: number | null;
  powerMw: number;
}

/** Segments kept per line; older ones are dropped (frames ask about the last moments). */
const SEGMENTS_PER_LINE = 256;

export class EmissionLog {
  private readonly segments = new Map<string, Segment[]>();

  /** Emission confirmed on at `atMs` with the given setpoint; no-op if already on. */
  on(laserId: string, powerMw: number, atMs = Date.now()): void {
    if (this.open(laserId)) return;
    let list = this.segments.get(laserId);
    if (!list) this.segments.set(laserId, (list = []));
    list.push({ fromMs: atMs, toMs: null, powerMw });
    if (list.length > SEGMENTS_PER_LINE) list.shift();
  }

  /** Emission confirmed off at `atMs`. */
  off(laserId: string, atMs = Date.now()): void {
    const seg = this.open(laserId);
    if (seg) seg.toMs = atMs;
  }

  /** A new setpoint acknowledged while the line emits starts a new segment. */
  power(laserId: string, powerMw: number, atMs = Date.now()): void {
    const seg = this.open(laserId);
    if (!seg || seg.powerMw === powerMw) return;
    seg.toMs = atMs;
    this.on(laserId, powerMw, atMs);
  }

  /** mW·ms per line emitted within [startMs, endMs]; lines that did not emit are absent. */
  doseMwMs(startMs: number, endMs: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [id, list] of this.segments) {
      let dose = 0;
      for (const s of list) {
        const overlap = Math.min(s.toMs ?? endMs, endMs) - Math.max(s.fromMs, startMs);
        if (overlap > 0) dose += overlap * s.powerMw;
      }
      if (dose > 0) out[id] = dose;
    }
    return out;
  }

  private open(laserId: string): Segment | undefined {
    const last = this.segments.get(laserId)?.at(-1);
    return last && last.toMs === null ? last : undefined;
  }
}
