import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../renderer/ui/plan-builder';
import { importPlan } from '../../../renderer/ui/plan-import';

const presets = ['DAPI', 'GFP'];

describe('importPlan', () => {
  it('a plan the form wrote comes back into the form and rebuilds to the same JSON', () => {
    const plan = {
      axis_order: 'tpgcz',
      channels: [{ config: 'DAPI' }, { config: 'GFP', exposure: 20 }],
      z_plan: { top: 5, bottom: -5, step: 2.5 },
      time_plan: { interval: 30, loops: 4 },
      stage_positions: [
        { x: 1, y: 2, z: 3, name: 'A1' },
        { x: 4, y: 5 },
      ],
      grid_plan: { rows: 2, columns: 2, overlap: 15 },
    };
    const r = importPlan(JSON.stringify(plan), 'p.json', presets);
    if (!r.ok || !r.form) throw new Error(`not imported into the form: ${JSON.stringify(r)}`);
    expect(r.unsupported).toEqual([]);
    expect(r.form.positions[1]).toEqual({ name: 'pos2', xUm: 4, yUm: 5, zUm: null });
    const rebuilt = buildPlan(r.form);
    expect(rebuilt).toEqual({
      ok: true,
      plan: { ...plan, stage_positions: [plan.stage_positions[0], { x: 4, y: 5, name: 'pos2' }] },
    });
  });

  it('plain channel names and a z range are read', () => {
    const r = importPlan('{"channels":["GFP"],"z_plan":{"range":2,"step":1}}', 'p.json', presets);
    expect(r.ok && r.form?.z).toMatchObject({ mode: 'range', rangeUm: '2', stepUm: '1' });
    expect(r.ok && r.form?.channels.find((c) => c.name === 'GFP')?.enabled).toBe(true);
  });

  it('a richer useq plan is kept verbatim, naming what the form cannot show', () => {
    const file = path.resolve(import.meta.dirname, '../../fixtures/plans/timelapse-zstack.json');
    const text = readFileSync(file, 'utf8');
    const r = importPlan(text, 'timelapse-zstack.json', presets);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.form).toBeNull();
    expect(r.plan).toEqual(JSON.parse(text));
    expect(r.unsupported).toEqual([
      'metadata',
      'stage_positions',
      'channels',
      'time_plan',
      'z_plan',
      'keep_shutter_open_across',
      'some_future_field',
    ]);
  });

  it('an unknown preset keeps the plan out of the form (the host reports it)', () => {
    const r = importPlan('{"channels":["FITC"]}', 'p.json', presets);
    expect(r.ok && r.unsupported).toEqual(['channels']);
  });

  it('not JSON, or not an object: an error naming the file', () => {
    const bad = importPlan('{oops', 'broken.json', presets);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^broken\.json: not JSON \(/);
    expect(importPlan('[1,2]', 'list.json', presets)).toEqual({
      ok: false,
      error: 'list.json: a plan must be a JSON object',
    });
  });
});
