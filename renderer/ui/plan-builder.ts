/**
 * The acquisition form's state → a useq-schema `MDASequence` JSON object (docs/plans.md),
 * and back for the subset the form can show. Pure: no React, no host. Numbers are typed as
 * text by the operator and parsed here, so every problem is reported with the field it is
 * in. Units: µm for positions and z, ms for exposure, s for the time interval, % overlap.
 */

export type ZMode = 'none' | 'range' | 'top-bottom';
export type DatasetFormat = 'ome-zarr-0.4' | 'ome-zarr-0.5' | 'ome-tiff';
export const DATASET_FORMATS: readonly DatasetFormat[] = [
  'ome-zarr-0.4',
  'ome-zarr-0.5',
  'ome-tiff',
];

export interface ChannelRow {
  /** A channel preset name (config `channels`). */
  name: string;
  enabled: boolean;
  /** Exposure override in ms; empty = the preset's exposure. */
  exposureMs: string;
}

export interface PositionRow {
  name: string;
  xUm: number;
  yUm: number;
  /** Focus z when captured; null when no focus drive is configured. */
  zUm: number | null;
}

export interface PlanForm {
  channels: ChannelRow[];
  z: { mode: ZMode; rangeUm: string; stepUm: string; topUm: string; bottomUm: string };
  time: { enabled: boolean; loops: string; intervalS: string };
  positions: PositionRow[];
  grid: { enabled: boolean; rows: string; columns: string; overlapPct: string };
}

export type MdaSequenceJson = Record<string, unknown>;
export type BuildResult = { ok: true; plan: MdaSequenceJson } | { ok: false; errors: string[] };

export function emptyPlanForm(presets: readonly string[] = []): PlanForm {
  return {
    channels: presets.map((name) => ({ name, enabled: false, exposureMs: '' })),
    z: { mode: 'none', rangeUm: '10', stepUm: '1', topUm: '', bottomUm: '' },
    time: { enabled: false, loops: '2', intervalS: '0' },
    positions: [],
    grid: { enabled: false, rows: '2', columns: '2', overlapPct: '10' },
  };
}

/** Adds presets the form has not seen yet (config reloads); keeps the operator's choices. */
export function syncPresets(form: PlanForm, presets: readonly string[]): PlanForm {
  const known = new Set(form.channels.map((c) => c.name));
  const added = presets.filter((p) => !known.has(p));
  if (added.length === 0) return form;
  return {
    ...form,
    channels: [
      ...form.channels,
      ...added.map((name) => ({ name, enabled: false, exposureMs: '' })),
    ],
  };
}

interface NumberRule {
  min?: number;
  /** Strictly greater than. */
  above?: number;
  integer?: boolean;
  /** Shown with the value and the limit ("µm", "ms", "s", "%"). */
  unit?: string;
}

class Errors {
  readonly list: string[] = [];
  num(text: string, field: string, rule: NumberRule = {}): number {
    const trimmed = text.trim();
    const v = Number(trimmed);
    const u = rule.unit ? ` ${rule.unit}` : '';
    if (trimmed === '' || !Number.isFinite(v)) {
      this.list.push(`${field}: "${text}" is not a number`);
      return NaN;
    }
    if (rule.integer && !Number.isInteger(v))
      this.list.push(`${field}: ${v} is not a whole number`);
    else if (rule.min !== undefined && v < rule.min)
      this.list.push(`${field}: ${v}${u} is below the minimum of ${rule.min}${u}`);
    else if (rule.above !== undefined && v <= rule.above)
      this.list.push(`${field}: must be more than ${rule.above}${u}`);
    return v;
  }
}

export function buildPlan(form: PlanForm): BuildResult {
  const e = new Errors();
  const plan: MdaSequenceJson = { axis_order: 'tpgcz' };

  const channels = form.channels.filter((c) => c.enabled);
  if (channels.length === 0) e.list.push('channels: choose at least one channel');
  plan.channels = channels.map((c) => {
    if (c.exposureMs.trim() === '') return { config: c.name };
    return {
      config: c.name,
      exposure: e.num(c.exposureMs, `${c.name} exposure`, { above: 0, unit: 'ms' }),
    };
  });

  if (form.z.mode === 'range') {
    plan.z_plan = {
      range: e.num(form.z.rangeUm, 'z range', { min: 0, unit: 'µm' }),
      step: e.num(form.z.stepUm, 'z step', { above: 0, unit: 'µm' }),
    };
  } else if (form.z.mode === 'top-bottom') {
    plan.z_plan = {
      top: e.num(form.z.topUm, 'z top', { unit: 'µm' }),
      bottom: e.num(form.z.bottomUm, 'z bottom', { unit: 'µm' }),
      step: e.num(form.z.stepUm, 'z step', { above: 0, unit: 'µm' }),
    };
  }

  if (form.time.enabled) {
    plan.time_plan = {
      interval: e.num(form.time.intervalS, 'time interval', { min: 0, unit: 's' }),
      loops: e.num(form.time.loops, 'time points', { min: 1, integer: true }),
    };
  }

  if (form.positions.length > 0) {
    plan.stage_positions = form.positions.map((p) => {
      const out: Record<string, unknown> = { x: p.xUm, y: p.yUm };
      if (p.zUm !== null) out.z = p.zUm;
      out.name = p.name;
      return out;
    });
  }

  if (form.grid.enabled) {
    plan.grid_plan = {
      rows: e.num(form.grid.rows, 'grid rows', { min: 1, integer: true }),
      columns: e.num(form.grid.columns, 'grid columns', { min: 1, integer: true }),
      overlap: e.num(form.grid.overlapPct, 'grid overlap', { min: 0, unit: '%' }),
    };
    const overlap = Number(form.grid.overlapPct);
    if (overlap >= 100) e.list.push(`grid overlap: ${overlap} must be below 100 %`);
  }

  return e.list.length > 0 ? { ok: false, errors: e.list } : { ok: true, plan };
}

/** The host's dataset name rule (run.start `name`): letters, digits, ".", "-", "_"; ≤ 128. */
export function datasetNameError(name: string, existing: readonly string[] = []): string | null {
  if (name === '') return null; // empty: the host names the dataset by timestamp
  if (name.length > 128) return `dataset name: ${name.length} characters, at most 128`;
  const bad = /[^A-Za-z0-9._-]/.exec(name);
  if (bad) return `dataset name: "${bad[0]}" is not allowed (letters, digits, ".", "-", "_")`;
  if (existing.includes(name))
    return `dataset name: "${name}" is already taken in the datasets folder; choose another`;
  return null;
}

/** The next free "posN" name for a captured position. */
export function nextPositionName(positions: readonly PositionRow[]): string {
  const used = new Set(positions.map((p) => p.name));
  let n = positions.length + 1;
  while (used.has(`pos${n}`)) n++;
  return `pos${n}`;
}

/**
 * Appends positions sent from elsewhere (accepted ROIs) to the form, without z (the run
 * keeps the focus it has there); a name already in the form gets a numeric suffix.
 */
export function addPositionDrafts(
  form: PlanForm,
  drafts: readonly { name: string; xUm: number; yUm: number }[],
): PlanForm {
  const positions = [...form.positions];
  const used = new Set(positions.map((p) => p.name));
  for (const d of drafts) {
    let name = d.name;
    for (let n = 2; used.has(name); n++) name = `${d.name}-${n}`;
    used.add(name);
    positions.push({ name, xUm: d.xUm, yUm: d.yUm, zUm: null });
  }
  return { ...form, positions };
}
