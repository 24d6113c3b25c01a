/** Compact views of expanded events for hand-written golden lists. */
import type { MdaEvent } from '../../../electron/plans/events';
import { expandSequence, type ExpandOptions } from '../../../electron/plans/expand';
import { mdaSequenceSchema } from '../../../electron/plans/sequence-schema';

export function events(plan: unknown, opts?: ExpandOptions): MdaEvent[] {
  return [...expandSequence(mdaSequenceSchema.parse(plan), opts)];
}

/** "t0 p1 c0 z2 | A x=1 y=2 z=3 @0.5 R" — index in key order, channel, positions, min_start_time, flags. */
export function brief(e: MdaEvent): string {
  const idx = Object.entries(e.index)
    .map(([k, v]) => `${k}${v}`)
    .join(' ');
  const parts = [idx, '|'];
  if (e.action) parts.push('AF');
  if (e.channel) parts.push(e.channel.config);
  if (e.exposure !== undefined) parts.push(`exp=${e.exposure}`);
  if (e.x_pos !== undefined) parts.push(`x=${e.x_pos}`);
  if (e.y_pos !== undefined) parts.push(`y=${e.y_pos}`);
  if (e.z_pos !== undefined) parts.push(`z=${e.z_pos}`);
  if (e.min_start_time !== undefined) parts.push(`@${e.min_start_time}`);
  if (e.pos_name !== undefined) parts.push(`"${e.pos_name}"`);
  if (e.reset_event_timer) parts.push('R');
  if (e.keep_shutter_open) parts.push('K');
  return parts.join(' ');
}

export const briefs = (plan: unknown, opts?: ExpandOptions) => events(plan, opts).map(brief);
