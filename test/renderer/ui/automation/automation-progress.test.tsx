/** The automation panel's plan fields and the run's progress as the operator sees it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AutomationView } from '../../../../electron/api/contract';
import {
  defaultFlimpPlan,
  getField,
  parseFlimpPlan,
  PLAN_FIELDS,
  setField,
} from '../../../../renderer/ui/automation/flimp-plan-fields';
import { tilesReached } from '../../../../renderer/ui/automation/automation-progress';
import { sampleState } from '../../state/sample-state';
import { render, textOf } from '../render-app';

const fixture = readFileSync(
  path.join(__dirname, '../../../fixtures/plans/flimp-small.json'),
  'utf8',
);

describe('FLImP plan fields', () => {
  it('reads every main field of the example plan', () => {
    const r = parseFlimpPlan(fixture, 'flimp-small.json');
    if (!r.ok) throw new Error(r.error);
    for (const f of PLAN_FIELDS) expect(getField(r.plan, f.path), f.path).toBeDefined();
    expect(getField(r.plan, 'roi.programme.0.exposureMs')).toBe(50);
    expect(getField(r.plan, 'roi.nothing.here')).toBeUndefined();
  });

  it('sets a nested value on a copy, keeping everything else', () => {
    const r = parseFlimpPlan(fixture, 'flimp-small.json');
    if (!r.ok) throw new Error(r.error);
    const edited = setField(r.plan, 'roi.programme.0.powerMw', 7);
    expect(getField(edited, 'roi.programme.0.powerMw')).toBe(7);
    expect(getField(edited, 'roi.programme.0.laserId')).toBe('laser488');
    expect(getField(r.plan, 'roi.programme.0.powerMw')).toBe(100);
    expect(edited.rois).toBe(r.plan.rois);
    expect(getField(setField({}, 'scan.rows', 2), 'scan.rows')).toBe(2);
    expect(getField(defaultFlimpPlan('l640'), 'tileIllumination.laserId')).toBe('l640');
    const drift = setField(r.plan, 'driftCorrection.xy', true);
    expect(getField(drift, 'driftCorrection')).toEqual({ xy: true });
  });

  it('refuses files that are not FLImP plans, naming the file and the problem', () => {
    expect(parseFlimpPlan('{', 'a.json')).toMatchObject({ ok: false, error: /^a\.json: not JSON/ });
    expect(parseFlimpPlan('[1]', 'b.json')).toMatchObject({
      ok: false,
      error: 'b.json: a plan must be a JSON object',
    });
    expect(parseFlimpPlan('{"channels": []}', 'c.json')).toMatchObject({
      ok: false,
      error: /c\.json: not a FLImP plan \("kind" is null, expected "flimp"\)/,
    });
  });
});

function view(over: Partial<AutomationView> = {}): AutomationView {
  return {
    name: 'flimp-small-1',
    dir: '/data/flimp-small-1',
    phase: 'imaging',
    pauseRequested: false,
    tileIndex: 2,
    tileTotal: 4,
    currentRoi: 1,
    found: 3,
    imaged: 1,
    skipped: 1,
    remaining: 1,
    rois: [
      { id: 0, tile: 0, xUm: 10, yUm: -5, state: 'imaged', frames: 12, dataset: 'd0' },
      { id: 1, tile: 1, xUm: 20.25, yUm: 0, state: 'imaging', frames: 3 },
      { id: 2, tile: 1, xUm: 30, yUm: 4, state: 'skipped', frames: 0, reason: 'no focus found' },
    ],
    etaS: 95,
    startedAtMs: 0,
    endedAtMs: null,
    failure: null,
    report: null,
    ...over,
  };
}

describe('AutomationProgress in the Automate tab', () => {
  it('counts tiles from the 0-based tileIndex once scanning started', () => {
    expect(tilesReached(view({ phase: 'starting', tileIndex: 0 }))).toBe(0);
    expect(tilesReached(view({ phase: 'scanning', tileIndex: 0 }))).toBe(1);
    expect(tilesReached(view({ phase: 'finished', tileIndex: 3 }))).toBe(4);
  });

  it('no run yet', () => {
    const html = render(sampleState());
    expect(html).toMatch(/data-testid="automation-phase" data-phase="none"/);
    expect(html).not.toMatch(/data-testid="automation-start"[^>]*disabled/);
    // The default plan's drift correction is off, shown as an unchecked box.
    expect(html).toMatch(/<input type="checkbox" data-testid="flimp-driftCorrection-xy"\/>/);
  });

  it('a running run: tiles, counts, ETA, per-ROI status with skip reasons; Start disabled', () => {
    const s = sampleState();
    s.automation = view();
    const html = render(s);
    expect(html).toMatch(/data-testid="automation-phase" data-phase="imaging"/);
    // tileIndex 2 is the third tile (0-based).
    expect(html).toMatch(/aria-valuemax="4" aria-valuenow="3" data-testid="automation-tiles">/);
    expect(html).toMatch(/width:75.0%.*?tile 3 \/ 4/s);
    expect(textOf(html, 'automation-found')).toBe('3');
    expect(textOf(html, 'automation-imaged')).toBe('1');
    expect(textOf(html, 'automation-skipped')).toBe('1');
    expect(textOf(html, 'automation-eta')).toBe('1 min 35 s');
    expect(html).toMatch(/data-testid="automation-roi-2" data-state="skipped"/);
    expect(html).toContain('no focus found');
    expect(html).toMatch(/class="imaging current" data-testid="automation-roi-1"/);
    expect(html).toMatch(/data-testid="automation-start"[^>]*disabled/);
    expect(html).not.toMatch(/data-testid="automation-pause"[^>]*disabled/);
    expect(html).not.toContain('automation-report');
  });

  it('paused shows Resume; finished shows the report path and enables Start', () => {
    const s = sampleState();
    s.automation = view({ phase: 'paused' });
    expect(render(s)).toContain('data-testid="automation-resume"');
    const t = sampleState();
    t.automation = view({ phase: 'finished', report: '/data/flimp-small-1/report.html' });
    const html = render(t);
    expect(textOf(html, 'automation-report')).toBe('/data/flimp-small-1/report.html');
    expect(html).not.toMatch(/data-testid="automation-start"[^>]*disabled/);
    expect(html).toMatch(/data-testid="automation-cancel"[^>]*disabled/);
  });
});
