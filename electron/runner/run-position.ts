/**
 * Where a run is, for the operator's readout (issue #18 §9): the current event's t / p / c /
 * z indices, channel, position name and target coordinates, and each axis's size. Pure.
 */
import type { RunPosition } from '../api/contract';
import type { MdaEvent } from '../plans/events';

/** The event at `eventIndex` (clamped to the last), or null for a run without events. */
export function runPosition(events: readonly MdaEvent[], eventIndex: number): RunPosition | null {
  const e = events[Math.max(0, Math.min(eventIndex, events.length - 1))];
  if (!e) return null;
  const index: Record<string, number> = {};
  for (const [axis, i] of Object.entries(e.index)) if (i !== undefined) index[axis] = i;
  return {
    index,
    channel: e.channel?.config ?? null,
    position: e.pos_name ?? null,
    xUm: e.x_pos ?? null,
    yUm: e.y_pos ?? null,
    zUm: e.z_pos ?? null,
  };
}

/** Axis → number of distinct indices over the run (1 + the largest index). */
export function axisSizes(events: readonly MdaEvent[]): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const e of events)
    for (const [axis, i] of Object.entries(e.index))
      if (i !== undefined) sizes[axis] = Math.max(sizes[axis] ?? 0, i + 1);
  return sizes;
}
