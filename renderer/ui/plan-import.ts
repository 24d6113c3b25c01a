/**
 * A loaded plan file → the form, for the subset of useq-schema the form can show. A plan
 * using anything else (sub-sequences, other grid/z/time variants, metadata, …) is kept and
 * run verbatim; `unsupported` names the fields that keep it out of the form. Unknown keys
 * are listed too, although the host ignores them as useq does. Pure.
 */
import { emptyPlanForm, type PlanForm, type PositionRow } from './plan-builder';

export type ImportResult =
  | { ok: true; plan: Record<string, unknown>; form: PlanForm | null; unsupported: string[] }
  | { ok: false; error: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const onlyKeys = (o: Obj, keys: string[]) => Object.keys(o).every((k) => keys.includes(k));

export function importPlan(
  text: string,
  fileName: string,
  presets: readonly string[],
): ImportResult {
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${fileName}: not JSON (${(err as Error).message})` };
  }
  if (!isObj(plan)) return { ok: false, error: `${fileName}: a plan must be a JSON object` };

  const form = emptyPlanForm(presets);
  const unsupported: string[] = [];
  for (const [key, value] of Object.entries(plan)) {
    if (!readField(form, key, value)) unsupported.push(key);
  }
  return { ok: true, plan, form: unsupported.length === 0 ? form : null, unsupported };
}

/** Fills `form` from one top-level field; false when the form cannot represent it. */
function readField(form: PlanForm, key: string, v: unknown): boolean {
  switch (key) {
    case 'axis_order':
      return v === 'tpgcz' || (Array.isArray(v) && v.join('') === 'tpgcz');
    case 'channels':
      return Array.isArray(v) && v.every((c) => readChannel(form, c));
    case 'z_plan':
      return readZ(form, v);
    case 'time_plan':
      if (!isObj(v) || !onlyKeys(v, ['interval', 'loops'])) return false;
      if (!isNum(v.interval) || !Number.isInteger(v.loops)) return false;
      form.time = { enabled: true, intervalS: String(v.interval), loops: String(v.loops) };
      return true;
    case 'stage_positions':
      return Array.isArray(v) && v.every((p, i) => readPosition(form.positions, p, i));
    case 'grid_plan':
      if (!isObj(v) || !onlyKeys(v, ['rows', 'columns', 'overlap'])) return false;
      if (!Number.isInteger(v.rows) || !Number.isInteger(v.columns)) return false;
      if (v.overlap !== undefined && !isNum(v.overlap)) return false;
      form.grid = {
        enabled: true,
        rows: String(v.rows),
        columns: String(v.columns),
        overlapPct: String(v.overlap ?? 0),
      };
      return true;
    default:
      return false;
  }
}

function readChannel(form: PlanForm, c: unknown): boolean {
  const name = typeof c === 'string' ? c : isObj(c) ? c.config : undefined;
  if (typeof name !== 'string') return false;
  if (isObj(c) && !onlyKeys(c, ['config', 'exposure'])) return false;
  if (isObj(c) && c.exposure !== undefined && c.exposure !== null && !isNum(c.exposure))
    return false;
  const row = form.channels.find((r) => r.name === name);
  if (!row || row.enabled) return false; // unknown preset or listed twice: run verbatim
  row.enabled = true;
  row.exposureMs = isObj(c) && isNum(c.exposure) ? String(c.exposure) : '';
  return true;
}

function readZ(form: PlanForm, v: unknown): boolean {
  if (!isObj(v) || !isNum(v.step)) return false;
  if (onlyKeys(v, ['range', 'step']) && isNum(v.range)) {
    form.z = { ...form.z, mode: 'range', rangeUm: String(v.range), stepUm: String(v.step) };
    return true;
  }
  if (onlyKeys(v, ['top', 'bottom', 'step']) && isNum(v.top) && isNum(v.bottom)) {
    form.z = {
      ...form.z,
      mode: 'top-bottom',
      topUm: String(v.top),
      bottomUm: String(v.bottom),
      stepUm: String(v.step),
    };
    return true;
  }
  return false;
}

function readPosition(out: PositionRow[], p: unknown, i: number): boolean {
  if (!isObj(p) || !onlyKeys(p, ['x', 'y', 'z', 'name'])) return false;
  if (!isNum(p.x) || !isNum(p.y)) return false;
  if (p.z !== undefined && p.z !== null && !isNum(p.z)) return false;
  const name = typeof p.name === 'string' && p.name !== '' ? p.name : `pos${i + 1}`;
  out.push({ name, xUm: p.x, yUm: p.y, zUm: isNum(p.z) ? p.z : null });
  return true;
}
