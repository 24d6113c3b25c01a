/** The map's ROI card rendered to markup for given host states and selections (no DOM). */
import { describe, expect, it } from 'vitest';
import type { AutomationView } from '../../../electron/api/contract';
import { sampleState } from '../state/sample-state';
import { render, textOf } from '../ui/render-app';

const automation = (): AutomationView => ({
  name: 'r',
  dir: '/d/r',
  phase: 'finished',
  pauseRequested: false,
  tileIndex: 0,
  tileTotal: 1,
  currentRoi: null,
  found: 2,
  imaged: 1,
  skipped: 1,
  remaining: 0,
  rois: [
    { id: 0, tile: 0, xUm: 1, yUm: 2, state: 'imaged', frames: 3, dataset: 'roi-000' },
    { id: 1, tile: 0, xUm: -40.25, yUm: 7, state: 'skipped', reason: 'outside limits', frames: 0 },
  ],
  etaS: null,
  startedAtMs: 0,
  endedAtMs: 1,
  failure: null,
  report: null,
});

const found = {
  frameSeq: 9,
  widthPx: 256,
  heightPx: 256,
  atStageUm: { xUm: 0, yUm: 0 },
  umPerPx: 0.25,
  rois: [
    {
      xPx: 10,
      yPx: 10,
      xUm: 12.34,
      yUm: -5.67,
      areaPx: 140.4,
      meanIntensity: 50,
      integratedIntensity: 7000,
      circularity: 0.9,
      bbox: { xPx: 4, yPx: 6, widthPx: 12, heightPx: 8 },
      score: 0.4567,
    },
  ],
  verdicts: ['accepted' as const],
};

describe('ROI card on the map', () => {
  it('shows nothing without a selection, or when the selected ROI is gone', () => {
    const s = sampleState();
    s.automation = automation();
    expect(render(s)).not.toContain('data-testid="nav-roi-card"');
    expect(render(s, { mapSelection: { kind: 'auto-roi', id: 7 } })).not.toContain(
      'data-testid="nav-roi-card"',
    );
    expect(render(s, { mapSelection: { kind: 'found-roi', frameSeq: 9, index: 0 } })).not.toContain(
      'data-testid="nav-roi-card"',
    );
  });

  it('an automation ROI: its state, skip reason and Go to, no verdict buttons', () => {
    const s = sampleState();
    s.automation = automation();
    const html = render(s, { mapSelection: { kind: 'auto-roi', id: 1 } });
    expect(textOf(html, 'nav-roi-card-title')).toBe('Automation ROI 1');
    expect(textOf(html, 'nav-roi-card-x')).toBe('-40.3');
    expect(textOf(html, 'nav-roi-card-status')).toBe('skipped');
    expect(html).toContain('outside limits');
    expect(html).toContain('data-testid="nav-roi-goto"');
    expect(html).not.toContain('data-testid="nav-roi-accept"');
    expect(html).toMatch(/class="nav-roi skipped selected"[^>]*data-testid="nav-roi-1"/);
    expect(html).toMatch(/class="nav-roi imaged"[^>]*data-testid="nav-roi-0"/);
  });

  it('a found ROI: size in µm and px, area, score, its verdict pressed, Add to plan enabled', () => {
    const s = sampleState();
    s.roiFinder = found;
    const html = render(s, { mapSelection: { kind: 'found-roi', frameSeq: 9, index: 0 } });
    expect(textOf(html, 'nav-roi-card-title')).toBe('Found ROI 1');
    expect(textOf(html, 'nav-roi-card-size')).toBe('3.0 × 2.0 µm (12 × 8 px)');
    expect(textOf(html, 'nav-roi-card-area')).toBe('140 px');
    expect(textOf(html, 'nav-roi-card-score')).toBe('0.457');
    expect(textOf(html, 'nav-roi-card-status')).toBe('accepted');
    expect(html).toMatch(/data-testid="nav-roi-accept" aria-pressed="true"/);
    expect(html).toMatch(/data-testid="nav-roi-reject" aria-pressed="false"/);
    expect(html).not.toMatch(/data-testid="nav-roi-to-plan" disabled/);
    expect(html).toContain('data-testid="nav-roi-box"');
    // Still pending: nothing to add to the plan yet.
    const p = sampleState();
    p.roiFinder = { ...found, verdicts: ['pending'] };
    const pending = render(p, { mapSelection: { kind: 'found-roi', frameSeq: 9, index: 0 } });
    expect(pending).toMatch(/data-testid="nav-roi-to-plan" disabled/);
  });
});
