/**
 * The XY positions an expanded plan visits, in run order, for drawing the plan on the
 * navigator's map before it runs. Consecutive events at the same XY (channels, z-planes,
 * autofocus) count as one visit; returning to an earlier position later is a new visit.
 * Events without an XY (plans with no stage positions) are skipped.
 */
import type { PlanPosition } from '../api/navigator-schema';
import type { MdaEvent } from './events';

export function planXyPath(events: Iterable<MdaEvent>): PlanPosition[] {
  const out: PlanPosition[] = [];
  let last: PlanPosition | undefined;
  let eventIndex = -1;
  for (const e of events) {
    eventIndex++;
    if (e.x_pos === undefined || e.y_pos === undefined) continue;
    if (last && last.xUm === e.x_pos && last.yUm === e.y_pos) continue;
    last = { order: out.length, xUm: e.x_pos, yUm: e.y_pos, eventIndex };
    if (e.pos_name !== undefined) last.name = e.pos_name;
    out.push(last);
  }
  return out;
}
