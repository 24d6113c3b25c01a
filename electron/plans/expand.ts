/**
 * MDASequence → MDAEvents, reproducing useq-schema's `iter_sequence` (v1) decision for
 * decision: the product of the used axes in `axis_order` (last axis fastest); skips for
 * `acquire_every` and `do_stack: false` (only the middle plane by useq's num_positions);
 * z = plan value + channel z_offset (+ position z when the z plan is relative); relative
 * grid offsets added to the position; position sub-sequences recursed into with the
 * parent's x/y/z inherited where the sub-sequence has no plan of its own (and the parent's
 * event fields carried over between sub-sequence events, as useq's shared kwargs dict
 * does); `reset_event_timer` on the first t=0 event after any other; autofocus events
 * before events whose watched axes changed; `keep_shutter_open` across the listed axes.
 */
import { ValidationError } from '../../drivers/errors';
import type { MdaEvent } from './events';
import { gridIsRelative, gridPoints, type GridPoint } from './grid-plan';
import { zPlanIsRelative } from './sequence-schema';
import { timePointsS } from './time-plan';
import {
  AXES,
  type AutofocusPlan,
  type Axis,
  type Channel,
  type MdaSequence,
  type Position,
} from './types';
import { zIterate, zNumPositions } from './z-plan';

export interface ExpandOptions {
  /** Camera field of view, µm: fills grid plans' unset fov_width/fov_height (useq: 1 µm). */
  fovUm?: { widthUm: number; heightUm: number } | null;
  /** Random source for unseeded RandomPoints and the 'random' order; default Math.random. */
  random?: () => number;
}

type AxisValue = number | Position | GridPoint | Channel;
type Index = Partial<Record<Axis, number>>;
type XYZ = { x_pos: number | null; y_pos: number | null; z_pos: number | null };
/** The mutable kwargs dict useq builds each event from. */
interface Kwargs extends XYZ {
  index: Index;
  channel?: { config: string; group: string };
  exposure?: number;
  min_start_time?: number;
  pos_name?: string;
  reset_event_timer?: boolean;
}

interface Ctx {
  root: MdaSequence;
  opts: ExpandOptions;
  axisCache: Map<MdaSequence, Map<Axis, AxisValue[]>>;
  afPrevious: Map<AutofocusPlan, Index>;
}

function axisValues(seq: MdaSequence, ctx: Ctx): Map<Axis, AxisValue[]> {
  const cached = ctx.axisCache.get(seq);
  if (cached) return cached;
  const out = new Map<Axis, AxisValue[]>();
  for (const ax of seq.axis_order) {
    let values: AxisValue[] = [];
    if (ax === 't' && seq.time_plan) values = timePointsS(seq.time_plan);
    if (ax === 'p') values = seq.stage_positions;
    if (ax === 'c') values = seq.channels;
    if (ax === 'z' && seq.z_plan) values = zIterate(seq.z_plan);
    if (ax === 'g' && seq.grid_plan) {
      const fov = ctx.opts.fovUm;
      const plan = { ...seq.grid_plan };
      if (fov) {
        plan.fov_width ??= fov.widthUm;
        plan.fov_height ??= fov.heightUm;
      }
      values = gridPoints(plan, ctx.opts.random ?? Math.random);
    }
    if (values.length > 0) out.set(ax, values);
  }
  ctx.axisCache.set(seq, out);
  return out;
}

export function hasAxes(seq: MdaSequence | null): boolean {
  return (
    seq !== null &&
    (seq.time_plan !== null ||
      seq.stage_positions.length > 0 ||
      seq.z_plan !== null ||
      seq.channels.length > 0 ||
      seq.grid_plan !== null)
  );
}

function shouldSkip(
  pos: Position | undefined,
  ch: Channel | undefined,
  index: Index,
  seq: MdaSequence,
): boolean {
  if (ch) {
    if (index.t !== undefined && index.t % ch.acquire_every !== 0) return true;
    if (!ch.do_stack && seq.z_plan) {
      if (index.z === undefined)
        throw new ValidationError(
          `channel "${ch.config}": do_stack=false needs a z axis with positions`,
        );
      if (index.z !== Math.floor(zNumPositions(seq.z_plan) / 2)) return true;
    }
  }
  const sub = pos?.sequence;
  if (!sub || sub.autofocus_plan) return false;
  const plans = sub.grid_plan !== null || sub.z_plan !== null || sub.time_plan !== null;
  if ((index.c ?? 0) !== 0 && ((sub.channels.length > 0 && plans) || !plans)) return true;
  if (index.z !== undefined && index.z !== 0 && sub.z_plan) return true;
  if (index.g !== undefined && index.g !== 0 && sub.grid_plan) return true;
  return false;
}

function xyzPos(
  pos: Position | undefined,
  ch: Channel | undefined,
  seq: MdaSequence,
  grid: GridPoint | undefined,
  z: number | undefined,
): XYZ {
  let zPos: number | null = null;
  if (z !== undefined) {
    zPos = z;
    if (ch) zPos += ch.z_offset;
    if (seq.z_plan && zPlanIsRelative(seq.z_plan)) zPos += pos?.z || 0;
  } else if (pos) zPos = pos.z;
  if (grid) {
    const dx = grid.relative ? pos?.x || 0 : 0;
    const dy = grid.relative ? pos?.y || 0 : 0;
    return { x_pos: grid.x + dx, y_pos: grid.y + dy, z_pos: zPos };
  }
  return { x_pos: pos?.x ?? null, y_pos: pos?.y ?? null, z_pos: zPos };
}

function toEvent(kw: Kwargs): MdaEvent {
  const e: MdaEvent = { index: { ...kw.index } };
  if (kw.channel) e.channel = { ...kw.channel };
  if (kw.exposure !== undefined) e.exposure = kw.exposure;
  if (kw.min_start_time !== undefined) e.min_start_time = kw.min_start_time;
  if (kw.pos_name !== undefined) e.pos_name = kw.pos_name;
  if (kw.x_pos !== null) e.x_pos = kw.x_pos;
  if (kw.y_pos !== null) e.y_pos = kw.y_pos;
  if (kw.z_pos !== null) e.z_pos = kw.z_pos;
  if (kw.reset_event_timer) e.reset_event_timer = true;
  return e;
}

function autofocusEvent(plan: AutofocusPlan, e: MdaEvent, ctx: Ctx): MdaEvent | null {
  const previous = ctx.afPrevious.get(plan) ?? {};
  ctx.afPrevious.set(plan, { ...e.index });
  const changed = Object.entries(e.index).some(
    ([axis, i]) => plan.axes.includes(axis) && previous[axis as Axis] !== i,
  );
  if (!changed) return null;
  const af: MdaEvent = {
    ...e,
    action: {
      type: 'hardware_autofocus',
      autofocus_device_name: plan.autofocus_device_name,
      autofocus_motor_offset: plan.autofocus_motor_offset,
    },
  };
  // Autofocus runs at the stack's home plane: undo the root's relative z-plan offset.
  const zPlan = ctx.root.z_plan;
  if (e.z_pos !== undefined && zPlan && zPlanIsRelative(zPlan) && e.index.z !== undefined) {
    const offset = zIterate(zPlan)[e.index.z];
    if (offset !== undefined) af.z_pos = e.z_pos - offset;
  }
  return af;
}

function* iterSequence(
  seq: MdaSequence,
  ctx: Ctx,
  autofocus: AutofocusPlan | null,
  base: Kwargs | null,
  overrides: Partial<Kwargs> | null,
  offsets: Partial<XYZ> | null,
  lastT: number,
): Generator<MdaEvent> {
  const values = axisValues(seq, ctx);
  const used = seq.axis_order.filter((a) => values.has(a));
  if (used.length === 0) return;
  const lists = used.map((a) => values.get(a)!);
  const counter = used.map(() => 0);
  for (;;) {
    const item = new Map<Axis, [number, AxisValue]>();
    used.forEach((a, i) => item.set(a, [counter[i]!, lists[i]![counter[i]!]!]));
    const index: Index = {};
    for (const a of AXES) if (item.has(a)) index[a] = item.get(a)![0];
    const time = item.get('t')?.[1] as number | undefined;
    const pos = item.get('p')?.[1] as Position | undefined;
    const grid = item.get('g')?.[1] as GridPoint | undefined;
    const ch = item.get('c')?.[1] as Channel | undefined;
    const z = item.get('z')?.[1] as number | undefined;

    if (!shouldSkip(pos, ch, index, seq)) {
      const kw: Kwargs = base ?? { index: {}, x_pos: null, y_pos: null, z_pos: null };
      kw.index = { ...kw.index, ...index };
      Object.assign(kw, xyzPos(pos, ch, seq, grid, z));
      if (pos?.name) kw.pos_name = pos.name;
      if (ch) {
        kw.channel = { config: ch.config, group: ch.group };
        if (ch.exposure !== null) kw.exposure = ch.exposure;
      }
      if (time !== undefined) kw.min_start_time = time;
      if (overrides) Object.assign(kw, overrides);
      if (offsets)
        for (const [k, v] of Object.entries(offsets) as [keyof XYZ, number][])
          if (kw[k] !== null) kw[k] = kw[k]! + v;

      let af = seq.autofocus_plan ?? autofocus;
      const sub = pos?.sequence ?? null;
      if (sub && hasAxes(sub)) {
        const subOverrides: Partial<Kwargs> = { reset_event_timer: false };
        const subOffsets: Partial<XYZ> = {};
        if (!sub.z_plan) subOverrides.z_pos = kw.z_pos;
        else if (zPlanIsRelative(sub.z_plan)) subOffsets.z_pos = pos?.z || 0;
        if (!sub.grid_plan) {
          subOverrides.x_pos = kw.x_pos;
          subOverrides.y_pos = kw.y_pos;
        } else if (gridIsRelative(sub.grid_plan)) {
          subOffsets.x_pos = pos?.x || 0;
          subOffsets.y_pos = pos?.y || 0;
        }
        if (pos?.name) subOverrides.pos_name = pos.name;
        yield* iterSequence(
          sub,
          ctx,
          sub.autofocus_plan ?? af,
          { ...kw },
          subOverrides,
          subOffsets,
          lastT,
        );
      } else {
        if (sub?.autofocus_plan) af = sub.autofocus_plan;
        if (kw.index.t === 0 && lastT !== 0) kw.reset_event_timer = true;
        const event = toEvent(kw);
        const afEvent = af ? autofocusEvent(af, event, ctx) : null;
        if (afEvent) yield afEvent;
        yield event;
        lastT = event.index.t ?? lastT;
      }
    }
    // Advance the odometer: the last used axis changes fastest.
    let k = used.length - 1;
    while (k >= 0) {
      counter[k]!++;
      if (counter[k]! < lists[k]!.length) break;
      counter[k] = 0;
      k--;
    }
    if (k < 0) return;
  }
}

/** All events of `seq` in acquisition order, autofocus events included. */
export function* expandSequence(seq: MdaSequence, opts: ExpandOptions = {}): Generator<MdaEvent> {
  const ctx: Ctx = { root: seq, opts, axisCache: new Map(), afPrevious: new Map() };
  const it = iterSequence(seq, ctx, null, null, null, null, -1);
  const across = seq.keep_shutter_open_across;
  if (across.length === 0) {
    yield* it;
    return;
  }
  let prev: MdaEvent | undefined;
  for (const next of it) {
    if (prev) {
      const changed = Object.entries(prev.index).filter(([a, i]) => next.index[a as Axis] !== i);
      if (changed.every(([a]) => across.includes(a))) prev = { ...prev, keep_shutter_open: true };
      yield prev;
    }
    prev = next;
  }
  if (prev) yield prev;
}
