/**
 * The FLImP plan's main fields as an editable list over the plan JSON (docs/automation.md).
 * Editing sets one nested value on a copy; everything else in a loaded plan is kept as is.
 * Full validation is the host's (automation.start names each bad field). Pure.
 */
type Obj = Record<string, unknown>;
export type FlimpPlan = Obj;

export interface PlanField {
  /** Dotted path into the plan; a number segment indexes an array. */
  path: string;
  label: string;
  unit?: string;
  kind: 'number' | 'integer' | 'laser' | 'text' | 'boolean';
  min?: number;
  max?: number;
}

export const PLAN_FIELDS: readonly PlanField[] = [
  { path: 'name', label: 'name', kind: 'text' },
  { path: 'scan.columns', label: 'columns', kind: 'integer', min: 1, max: 100 },
  { path: 'scan.rows', label: 'rows', kind: 'integer', min: 1, max: 100 },
  { path: 'scan.overlap', label: 'overlap', kind: 'number', min: 0, max: 0.9 },
  { path: 'tileIllumination.laserId', label: 'tile laser', kind: 'laser' },
  { path: 'tileIllumination.powerMw', label: 'tile P', unit: 'mW', kind: 'number', min: 0 },
  { path: 'tileIllumination.exposureMs', label: 'tile exp', unit: 'ms', kind: 'number', min: 0 },
  { path: 'maxRois', label: 'max ROIs', kind: 'integer', min: 1 },
  { path: 'roi.programme.0.laserId', label: 'ROI laser', kind: 'laser' },
  { path: 'roi.programme.0.powerMw', label: 'ROI P', unit: 'mW', kind: 'number', min: 0 },
  { path: 'roi.programme.0.exposureMs', label: 'ROI exp', unit: 'ms', kind: 'number', min: 0 },
  { path: 'roi.stopFraction', label: 'stop at', kind: 'number', min: 0, max: 1 },
  { path: 'roi.minFrames', label: 'min frames', kind: 'integer', min: 1 },
  { path: 'roi.maxFrames', label: 'max frames', kind: 'integer', min: 1 },
  { path: 'driftCorrection.xy', label: 'correct XY drift', kind: 'boolean' },
];

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function getField(plan: FlimpPlan, path: string): unknown {
  let cur: unknown = plan;
  for (const key of path.split('.')) {
    if (Array.isArray(cur)) cur = cur[Number(key)];
    else if (isObj(cur)) cur = cur[key];
    else return undefined;
  }
  return cur;
}

/** A copy of `plan` with `path` set to `value`, creating missing objects on the way. */
export function setField(plan: FlimpPlan, path: string, value: unknown): FlimpPlan {
  const [key, ...rest] = path.split('.') as [string, ...string[]];
  const set = (node: unknown, k: string, tail: string[]): unknown => {
    const child = (n: unknown) => (tail.length === 0 ? value : set(n, tail[0]!, tail.slice(1)));
    if (Array.isArray(node) && /^\d+$/.test(k)) {
      const copy = [...node];
      copy[Number(k)] = child(node[Number(k)]);
      return copy;
    }
    const base = isObj(node) ? node : {};
    return { ...base, [k]: child(base[k]) };
  };
  return set(plan, key, rest) as FlimpPlan;
}

/** A loaded file → a FLImP plan, or what is wrong with it (naming the file). */
export function parseFlimpPlan(
  text: string,
  fileName: string,
): { ok: true; plan: FlimpPlan } | { ok: false; error: string } {
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${fileName}: not JSON (${(err as Error).message})` };
  }
  if (!isObj(plan)) return { ok: false, error: `${fileName}: a plan must be a JSON object` };
  if (plan.kind !== 'flimp') {
    return {
      ok: false,
      error: `${fileName}: not a FLImP plan ("kind" is ${JSON.stringify(plan.kind ?? null)}, expected "flimp"); useq plans go to the Acquire tab`,
    };
  }
  return { ok: true, plan };
}

/** A small starting plan on the first configured laser: 2×2 tiles, 3 ROIs. */
export function defaultFlimpPlan(laserId: string): FlimpPlan {
  return {
    kind: 'flimp',
    name: 'flimp',
    scan: { columns: 2, rows: 2, overlap: 0.1 },
    tileIllumination: { laserId, powerMw: 20, exposureMs: 20 },
    tileFocus: { mode: 'none' },
    rois: { threshold: 'otsu', minAreaPx: 150, edgeMarginPx: 4 },
    maxRois: 3,
    driftCorrection: { xy: false },
    roi: {
      centre: true,
      focus: { mode: 'none' },
      programme: [{ laserId, powerMw: 50, exposureMs: 50 }],
      intervalMs: 0,
      stopFraction: 0.5,
      minFrames: 3,
      maxFrames: 20,
    },
  };
}
