/**
 * Checks a plan against the instrument before it runs: every expanded event's x, y and z
 * (z plan offsets included, as the runner will move: event positions are absolute) against
 * the safety envelope; channel names against the presets; a plan that would take frames
 * with no channel (dark frames, a warning); and the devices the plan needs (a camera, an
 * XY stage for XY positions, a focus drive for Z). Each problem names the plan field it
 * comes from (`z_plan.range`, `stage_positions[3].z`, `channels[0].config`) and the limit
 * in words with units. One problem per field and axis: the worst value, and how many
 * events it affects.
 */
import type { LimitRange, PlanProblem } from '../api/contract';
import type { AquilaConfig } from '../config/schema';
import { isAcquisition, type MdaEvent } from './events';
import { expandSequence } from './expand';
import { prepareRun, type PreparedRun } from './prepare';
import { planBinding, unknownChannels, type CameraGeometry, type PlanBinding } from './resolve';
import type { MdaSequence, ZPlan } from './types';

export type { PlanProblem };

export interface CheckedPlan {
  problems: PlanProblem[];
  events: MdaEvent[];
  /** What the estimate uses (channel names not checked). */
  binding: PlanBinding;
  /** Ready to run; null when a channel name is unknown. */
  prepared: PreparedRun | null;
}

type AxisName = 'x' | 'y' | 'z';

interface Excursion {
  path: string;
  axis: AxisName;
  /** Furthest value outside the range, µm. */
  worst: number;
  events: number;
}

function zPlanField(plan: ZPlan, above: boolean): string {
  switch (plan.kind) {
    case 'range_around':
      return 'z_plan.range';
    case 'above_below':
      return above ? 'z_plan.above' : 'z_plan.below';
    case 'top_bottom':
      return above ? 'z_plan.top' : 'z_plan.bottom';
    case 'absolute':
      return 'z_plan.absolute';
    case 'relative':
      return 'z_plan.relative';
  }
}

const outside = (v: number, r: LimitRange) => v < r.min || v > r.max;

/** The plan field an out-of-range coordinate of `e` comes from. */
function fieldOf(seq: MdaSequence, e: MdaEvent, axis: AxisName, value: number, r: LimitRange) {
  const p = e.index.p;
  const pos = p !== undefined ? seq.stage_positions[p] : undefined;
  const posPath = (a: string) =>
    p !== undefined ? `stage_positions[${p}].${a}` : 'stage_positions';
  if (axis === 'z') {
    if (pos?.z != null && outside(pos.z, r)) return posPath('z');
    if (seq.z_plan && e.index.z !== undefined) return zPlanField(seq.z_plan, value > r.max);
    return pos ? posPath('z') : 'z_plan';
  }
  if (e.index.g !== undefined && seq.grid_plan) return 'grid_plan';
  const v = pos?.[axis];
  if (pos?.sequence?.grid_plan && !(v != null && outside(v, r)))
    return `stage_positions[${p}].sequence.grid_plan`;
  return posPath(axis);
}

function describe(x: Excursion, r: LimitRange): string {
  const above = x.worst > r.max;
  const limit = above
    ? `above the upper limit of ${r.max} µm`
    : `below the lower limit of ${r.min} µm`;
  const objective = x.axis === 'z' && above ? ' (protects the objective)' : '';
  const many = x.events > 1 ? ` (${x.events} events outside)` : '';
  return `${x.axis} ${x.worst} µm is ${limit}${objective}${many}`;
}

function envelopeProblems(seq: MdaSequence, events: MdaEvent[], config: AquilaConfig) {
  const limits: Record<AxisName, LimitRange> = {
    x: config.limits.xUm,
    y: config.limits.yUm,
    z: config.limits.zUm,
  };
  const found = new Map<string, Excursion>();
  for (const e of events) {
    const coords: [AxisName, number | undefined][] = [
      ['x', e.x_pos],
      ['y', e.y_pos],
      ['z', e.z_pos],
    ];
    for (const [axis, value] of coords) {
      const r = limits[axis];
      if (value === undefined || !outside(value, r)) continue;
      const path = fieldOf(seq, e, axis, value, r);
      const side = value > r.max ? 'above' : 'below';
      const key = `${path} ${axis} ${side}`;
      const x = found.get(key);
      if (!x) found.set(key, { path, axis, worst: value, events: 1 });
      else {
        x.events++;
        if (Math.abs(value) > Math.abs(x.worst)) x.worst = value;
      }
    }
  }
  return [...found.values()].map((x): PlanProblem => ({
    severity: 'error',
    path: x.path,
    message: describe(x, limits[x.axis]),
  }));
}

function deviceProblems(seq: MdaSequence, events: MdaEvent[], config: AquilaConfig) {
  const has = (kind: string) => config.devices.some((d) => d.kind === kind);
  const problems: PlanProblem[] = [];
  const error = (path: string, message: string) =>
    problems.push({ severity: 'error', path, message });
  if (!has('camera')) error('(top level)', 'this instrument has no camera: nothing can be imaged');
  if (!has('z-drive') && events.some((e) => e.z_pos !== undefined))
    error(
      seq.z_plan ? 'z_plan' : 'stage_positions',
      'the plan moves in Z but this instrument has no focus (Z) drive',
    );
  if (!has('xy-stage') && events.some((e) => e.x_pos !== undefined || e.y_pos !== undefined))
    error(
      seq.grid_plan ? 'grid_plan' : 'stage_positions',
      'the plan moves in XY but this instrument has no XY stage',
    );
  return problems;
}

/** Expands the plan once, checks it and, when its channels are known, prepares the run. */
/** `connectedCamera`: a connected camera's geometry, for configs without one (see bindPlan). */
export function checkPlan(
  seq: MdaSequence,
  config: AquilaConfig,
  connectedCamera: CameraGeometry | null = null,
): CheckedPlan {
  const binding = planBinding(config, connectedCamera);
  const events = [...expandSequence(seq, { fovUm: binding.fovUm })];
  const channels = unknownChannels(seq, config).map((p): PlanProblem => ({
    severity: 'error',
    ...p,
  }));
  const dark = events.filter((e) => isAcquisition(e) && !e.channel).length;
  if (dark > 0)
    channels.push({
      severity: 'warning',
      path: 'channels',
      message: `${dark} frame${dark === 1 ? '' : 's'} without a channel: taken with every laser off (dark frames)`,
    });
  return {
    problems: [
      ...deviceProblems(seq, events, config),
      ...channels,
      ...envelopeProblems(seq, events, config),
    ],
    events,
    binding,
    prepared: channels.some((p) => p.severity === 'error')
      ? null
      : prepareRun(seq, config, connectedCamera, events),
  };
}

/** One line per problem: `path: message`, errors first. */
export function formatProblems(problems: readonly PlanProblem[]): string[] {
  return [...problems]
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1))
    .map((p) => `${p.severity === 'warning' ? 'warning: ' : ''}${p.path}: ${p.message}`);
}
