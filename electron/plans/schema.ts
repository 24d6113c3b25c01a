/**
 * useq-schema `MDASequence` (v1) as zod schemas. Field names are useq's (snake_case) so a
 * plan file written by pymmcore-plus or ImSwitch parses unchanged; lengths are µm, times
 * are seconds (held as whole µs, see duration.ts), exposures are ms.
 *
 * Like useq (pydantic `extra="ignore"`), unknown keys are dropped. Where useq picks the
 * first union member that validates (grid, z and time plans), we pick the member by its
 * distinguishing keys and then validate it strictly, so a typo gives an error naming the
 * field instead of silently becoming another plan kind. Numbers must be JSON numbers
 * (pydantic would also accept numeric strings).
 */
import { z } from 'zod';
import { durationUs } from './duration';
import { isValidPolygon } from '../api/shared/polygon';
import {
  AXES,
  type Axis,
  type AutofocusPlan,
  type Channel,
  type GridPlan,
  type TimePhase,
  type TimePlan,
  type ZPlan,
} from './types';

const num = z.number().finite();
const optNum = num.nullable().default(null);

/** Validates `value` with the schema `pick` chooses for it (or fails with the returned message), reporting issues in place. */
export function dispatch<T>(pick: (value: unknown) => z.ZodType<T> | string) {
  return z.unknown().transform((value, ctx): T => {
    const schema = pick(value);
    if (typeof schema === 'string') {
      ctx.addIssue({ code: 'custom', message: schema });
      return z.NEVER;
    }
    const r = schema.safeParse(value);
    if (!r.success) {
      for (const issue of r.error.issues)
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      return z.NEVER;
    }
    return r.data;
  });
}

/** Chooses a union member by the keys present, as the distinguishing fields of each useq plan kind. */
function pickBy<T>(what: string, pick: (keys: Set<string>) => z.ZodType<T> | string) {
  return dispatch<T>((value) =>
    value === null || typeof value !== 'object' || Array.isArray(value)
      ? `expected an object describing a ${what}`
      : pick(new Set(Object.keys(value))),
  );
}

const has = (keys: Set<string>, ...names: string[]) => names.some((n) => keys.has(n));

// ------------------------------------------------------------------------------ z plans
const goUp = z.boolean().default(true);
const zTopBottom = z
  .object({ top: num, bottom: num, step: num, go_up: goUp })
  .transform((v): ZPlan => ({ kind: 'top_bottom', ...v }));
const zAboveBelow = z
  .object({ above: num, below: num, step: num, go_up: goUp })
  .transform((v): ZPlan => ({ kind: 'above_below', ...v }));
const zRangeAround = z
  .object({ range: num, step: num, go_up: goUp })
  .transform((v): ZPlan => ({ kind: 'range_around', ...v }));
const zAbsolute = z
  .object({ absolute: z.array(num), go_up: goUp })
  .transform((v): ZPlan => ({ kind: 'absolute', ...v }));
const zRelative = z
  .object({ relative: z.array(num), go_up: goUp })
  .transform((v): ZPlan => ({ kind: 'relative', ...v }));

export const zPlanSchema = pickBy<ZPlan>('z plan', (k) => {
  if (has(k, 'top', 'bottom')) return zTopBottom;
  if (has(k, 'above', 'below')) return zAboveBelow;
  if (has(k, 'range')) return zRangeAround;
  if (has(k, 'absolute')) return zAbsolute;
  if (has(k, 'relative')) return zRelative;
  return 'not a known z plan: give top/bottom/step, above/below/step, range/step, absolute or relative';
});

// --------------------------------------------------------------------------- time plans
const loops = z.number().int().min(1);
const tIntervalDuration = z
  .object({ interval: durationUs, duration: durationUs })
  .refine((v) => v.interval > 0, { message: 'interval must be greater than 0', path: ['interval'] })
  .transform((v): TimePhase => ({
    kind: 'interval_duration',
    intervalUs: v.interval,
    durationUs: v.duration,
  }));
const tIntervalLoops = z.object({ interval: durationUs, loops }).transform((v): TimePhase => ({
  kind: 'interval_loops',
  intervalUs: v.interval,
  loops: v.loops,
}));
const tDurationLoops = z.object({ duration: durationUs, loops }).transform((v): TimePhase => ({
  kind: 'duration_loops',
  durationUs: v.duration,
  loops: v.loops,
}));

const timePhase = pickBy<TimePhase>('time plan phase', (k) => {
  if (has(k, 'interval') && has(k, 'duration')) return tIntervalDuration;
  if (has(k, 'interval')) return tIntervalLoops;
  if (has(k, 'duration')) return tDurationLoops;
  return 'not a known time plan: give interval+loops, duration+loops or interval+duration';
});

const multiPhase = z
  .object({ phases: z.array(timePhase).min(1) })
  .transform((v): TimePlan => ({ kind: 'multi_phase', phases: v.phases }));

export const timePlanSchema = z.preprocess(
  (v) => (Array.isArray(v) ? { phases: v } : v),
  pickBy<TimePlan>('time plan', (k) => (has(k, 'phases') ? multiPhase : timePhase)),
);

// --------------------------------------------------------------------------- grid plans
const overlap = z
  .union([num, z.tuple([num, num])])
  .default(0)
  .transform((v): [number, number] => (typeof v === 'number' ? [v, v] : v));
const orderMode = z
  .enum(['row_wise', 'column_wise', 'row_wise_snake', 'column_wise_snake', 'spiral'])
  .default('row_wise_snake');
const relativeTo = z.enum(['center', 'top_left']).default('center');
const fov = { fov_width: optNum, fov_height: optNum };
const gridCommon = { ...fov, overlap, mode: orderMode };

const gridFromEdges = z
  .object({ top: num, left: num, bottom: num, right: num, ...gridCommon })
  .transform((v): GridPlan => ({ kind: 'from_edges', ...v }));
const gridFromPolygon = z
  .object({
    vertices: z
      .array(z.tuple([num, num]))
      .min(3)
      .refine(isValidPolygon, 'not a valid polygon: it has no area or its edges cross'),
    convex_hull: z.boolean().nullable().default(false),
    offset: optNum,
    ...gridCommon,
  })
  .transform((v): GridPlan => ({
    kind: 'from_polygon',
    ...v,
    convex_hull: v.convex_hull ?? false,
  }));
const gridRowsColumns = z
  .object({
    rows: z.number().int().min(1),
    columns: z.number().int().min(1),
    relative_to: relativeTo,
    ...gridCommon,
  })
  .transform((v): GridPlan => ({ kind: 'rows_columns', ...v }));
const gridWidthHeight = z
  .object({ width: num.positive(), height: num.positive(), relative_to: relativeTo, ...gridCommon })
  .transform((v): GridPlan => ({ kind: 'width_height', ...v }));
const relativeXY = z.object({ x: num.default(0), y: num.default(0), z: num.default(0) });
const randomPoints = z
  .object({
    num_points: z.number().int().positive(),
    max_width: num.positive().default(1),
    max_height: num.positive().default(1),
    shape: z.enum(['ellipse', 'rectangle']).default('ellipse'),
    random_seed: z.number().int().min(0).max(0xffff_ffff).nullable().default(null),
    allow_overlap: z.boolean().default(true),
    order: z.enum(['nearest_neighbor', 'two_opt', 'random']).nullable().default('two_opt'),
    start_at: z.union([z.number().int().min(0), relativeXY]).default(0),
    ...fov,
  })
  .transform((v): GridPlan => {
    // useq clamps an index start_at to the last point (with a warning).
    const start =
      typeof v.start_at === 'number' ? Math.min(v.start_at, v.num_points - 1) : v.start_at;
    return { kind: 'random_points', ...v, start_at: start };
  });
const relativePosition = relativeXY
  .extend(fov)
  .transform((v): GridPlan => ({ kind: 'relative_position', ...v }));

export const gridPlanSchema = pickBy<GridPlan>('grid plan', (k) => {
  if (has(k, 'top', 'left', 'bottom', 'right')) return gridFromEdges;
  if (has(k, 'vertices')) return gridFromPolygon;
  if (has(k, 'rows', 'columns')) return gridRowsColumns;
  if (has(k, 'width', 'height')) return gridWidthHeight;
  if (has(k, 'num_points')) return randomPoints;
  return relativePosition;
});

// ----------------------------------------------------------------- channels, autofocus
const channelObject = z.object({
  config: z.string(),
  group: z.string().default('Channel'),
  exposure: num.positive().nullable().default(null),
  do_stack: z.boolean().default(true),
  z_offset: num.default(0),
  acquire_every: z.number().int().positive().default(1),
  camera: z.string().nullable().default(null),
});
const channelName = z.string().transform((config): Channel => ({
  config,
  group: 'Channel',
  exposure: null,
  do_stack: true,
  z_offset: 0,
  acquire_every: 1,
  camera: null,
}));
export const channelSchema = dispatch<Channel>((v) =>
  typeof v === 'string' ? channelName : channelObject,
);

export const autofocusSchema = z
  .object({
    axes: z.array(z.string()),
    autofocus_device_name: z.string().nullable().default(null),
    autofocus_motor_offset: optNum,
  })
  .transform((v): AutofocusPlan => ({ kind: 'axes_based', ...v }));

export const axisOrderSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((v, ctx): Axis[] => {
    const order = [...v].map((a) => a.toLowerCase());
    const extra = order.filter((a) => !(AXES as readonly string[]).includes(a));
    if (extra.length)
      ctx.addIssue({
        code: 'custom',
        message: `unknown axes ${extra.join(', ')}; use t, p, g, c, z`,
      });
    if (new Set(order).size < order.length)
      ctx.addIssue({ code: 'custom', message: `duplicate axes in "${order.join('')}"` });
    return order as Axis[];
  });
