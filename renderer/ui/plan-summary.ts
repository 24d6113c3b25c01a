/**
 * What a plan the form cannot show will run, line by line, for the read-only summary that
 * replaces the form while such a plan is loaded. Channel names are checked against the
 * presets here too (the host's plan check is the authority; this flags them before the
 * estimate answers): unknown channels and a plan without channels (dark frames) are flagged.
 * Pure.
 */

export interface SummaryRow {
  label: string;
  value: string;
  /** A problem the operator must see next to the row. */
  flag?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const LABELS: Record<string, string> = {
  axis_order: 'axis order',
  channels: 'channels',
  z_plan: 'z',
  time_plan: 'time',
  stage_positions: 'positions',
  grid_plan: 'grid',
};

/** Compact JSON, cut at `max` characters. */
function compact(v: unknown, max = 120): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function channelName(c: unknown): string | null {
  if (typeof c === 'string') return c;
  return isObj(c) && typeof c.config === 'string' ? c.config : null;
}

function channelsRow(v: unknown, presets: readonly string[]): SummaryRow {
  const list = Array.isArray(v) ? v : [];
  if (list.length === 0)
    return {
      label: 'channels',
      value: 'none',
      flag: 'No channels: every frame is taken with all lasers off (dark frames).',
    };
  const names = list.map((c) => channelName(c) ?? compact(c, 40));
  const unknown = names.filter((n) => !presets.includes(n));
  return {
    label: 'channels',
    value: list
      .map((c, i) => {
        const exposure = isObj(c) && typeof c.exposure === 'number' ? ` ${c.exposure} ms` : '';
        return `${names[i]}${exposure}`;
      })
      .join(', '),
    ...(unknown.length
      ? {
          flag: `Unknown channel${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}: this microscope has ${presets.length ? presets.join(', ') : 'no channel presets'}.`,
        }
      : {}),
  };
}

function positionsValue(v: unknown): string {
  if (!Array.isArray(v)) return compact(v);
  const shown = v.slice(0, 3).map((p) => {
    if (!isObj(p)) return compact(p, 40);
    const z = typeof p.z === 'number' ? `, ${p.z}` : '';
    return `${typeof p.name === 'string' ? `${p.name}: ` : ''}${String(p.x)}, ${String(p.y)}${z} µm`;
  });
  return `${v.length}: ${shown.join('; ')}${v.length > 3 ? '; …' : ''}`;
}

export function summarizePlan(plan: Obj, presets: readonly string[]): SummaryRow[] {
  const rows: SummaryRow[] = [channelsRow(plan.channels, presets)];
  for (const [key, value] of Object.entries(plan)) {
    if (key === 'channels') continue;
    const label = LABELS[key] ?? key;
    rows.push({ label, value: key === 'stage_positions' ? positionsValue(value) : compact(value) });
  }
  return rows;
}
