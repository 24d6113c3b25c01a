/**
 * The useq-schema `MDASequence` itself: fields, defaults, coercions (`"tpgcz"` strings,
 * `[x, y, z]` position tuples, bare channel names, a list as a multi-phase time plan) and
 * the cross-field rules useq enforces when a sequence is built (`_check_order`).
 */
import { z } from 'zod';
import {
  autofocusSchema,
  axisOrderSchema,
  channelSchema,
  dispatch,
  gridPlanSchema,
  timePlanSchema,
  zPlanSchema,
} from './schema';
import { AXES, type MdaSequence, type Position, type ZPlan } from './types';

const num = z.number().finite();

/** useq's `v or None`: empty objects/lists and other falsy values mean "no plan". */
function falsyToNull(v: unknown): unknown {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return null;
  if (Array.isArray(v) && v.length === 0) return null;
  if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0)
    return null;
  return v;
}

export function zPlanIsRelative(plan: ZPlan): boolean {
  return plan.kind !== 'top_bottom' && plan.kind !== 'absolute';
}

const positionObject = z.object({
  x: num.nullable().default(null),
  y: num.nullable().default(null),
  z: num.nullable().default(null),
  name: z.string().nullable().default(null),
  get sequence() {
    return mdaSequenceSchema.nullable().default(null);
  },
});

const positionTuple = z
  .array(num.nullable())
  .min(1)
  .max(3)
  .transform((v): Position => ({
    x: v[0] ?? null,
    y: v[1] ?? null,
    z: v[2] ?? null,
    name: null,
    sequence: null,
  }));

const positionSchema = dispatch<Position>((v) =>
  Array.isArray(v) ? positionTuple : (positionObject as unknown as z.ZodType<Position>),
);

const stagePositions = z.unknown().transform((v, ctx): Position[] => {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    ctx.addIssue({
      code: 'custom',
      message: 'well-plate plans are not supported yet; give a list of positions',
    });
    return z.NEVER;
  }
  const r = z.array(positionSchema).safeParse(v);
  if (!r.success) {
    for (const issue of r.error.issues)
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  }
  return r.data as Position[];
});

const shutterAxes = z.union([z.string(), z.array(z.string())]).transform((v) => [...v]);

const sequenceObject = z
  .object({
    metadata: z.record(z.string(), z.unknown()).default({}),
    axis_order: axisOrderSchema.default([...AXES]),
    stage_positions: stagePositions.default([]),
    grid_plan: gridPlanSchema.nullable().default(null),
    channels: z.array(channelSchema).default([]),
    time_plan: z.preprocess(falsyToNull, timePlanSchema.nullable()),
    z_plan: z.preprocess(falsyToNull, zPlanSchema.nullable()),
    autofocus_plan: autofocusSchema.nullable().default(null),
    keep_shutter_open_across: shutterAxes.default([]),
  })
  .superRefine((seq, ctx) => checkOrder(seq as MdaSequence, ctx));

function checkOrder(seq: MdaSequence, ctx: z.RefinementCtx): void {
  const order = seq.axis_order;
  const at = (a: string) => order.indexOf(a as never);
  seq.stage_positions.forEach((p, i) => {
    const sub = p.sequence;
    if (!sub) return;
    const path = ['stage_positions', i, 'sequence'];
    if (at('z') >= 0 && at('p') >= 0 && at('z') < at('p') && seq.z_plan && sub.z_plan)
      ctx.addIssue({
        code: 'custom',
        path: ['axis_order'],
        message: `"z" cannot precede "p" when stage_positions[${i}] has its own z_plan`,
      });
    if (at('p') >= 0 && sub.stage_positions.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'stage_positions'],
        message: 'a position sub-sequence cannot have stage positions of its own',
      });
    if (sub.keep_shutter_open_across.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'keep_shutter_open_across'],
        message: 'keep_shutter_open_across cannot be set on a position sub-sequence',
      });
  });
  if (at('z') >= 0 && seq.z_plan && !zPlanIsRelative(seq.z_plan)) {
    const msg = 'absolute z positions cannot be used with an autofocus plan';
    if (seq.autofocus_plan)
      ctx.addIssue({ code: 'custom', path: ['autofocus_plan'], message: msg });
    seq.stage_positions.forEach((p, i) => {
      if (p.sequence?.autofocus_plan)
        ctx.addIssue({
          code: 'custom',
          path: ['stage_positions', i, 'sequence', 'autofocus_plan'],
          message: msg,
        });
    });
  }
}

export const mdaSequenceSchema: z.ZodType<MdaSequence> = z.lazy(
  () => sequenceObject as unknown as z.ZodType<MdaSequence>,
);
