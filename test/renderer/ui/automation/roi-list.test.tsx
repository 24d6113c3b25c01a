/** ROI finder state, list and overlay markup, and the image layer's transform. */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { imageLayerTransform, screenToImage } from '../../../../renderer/display/view-transform';
import type { AppState } from '../../../../electron/api/contract';
import type { FoundRoi, RoiVerdict } from '../../../../renderer/state/roi-slice';
import { RoiList } from '../../../../renderer/ui/automation/roi-list';
import { overlayCurrent, roiBoxes } from '../../../../renderer/ui/automation/roi-overlay';
import { sampleState } from '../../state/sample-state';
import { render, textOf } from '../render-app';

function roi(i: number): FoundRoi {
  return {
    xPx: 40 + i * 50,
    yPx: 60,
    xUm: 12.345 + i,
    yUm: -7.5,
    areaPx: 812.4 + i,
    meanIntensity: 321.6,
    integratedIntensity: 1e5,
    circularity: 0.9,
    bbox: { xPx: 30 + i * 50, yPx: 48, widthPx: 21, heightPx: 25 },
    score: 1 - i / 10,
  };
}
const rois = [roi(0), roi(1), roi(2)];
/** AppState.roiFinder with these verdicts, found where `sampleState()`'s stage is unless told. */
function withFinder(verdicts: RoiVerdict[], atStageUm?: { xUm: number; yUm: number }): AppState {
  const s = sampleState();
  s.roiFinder = {
    frameSeq: 9,
    widthPx: 256,
    heightPx: 200,
    atStageUm: atStageUm ?? { xUm: s.stage!.xUm, yUm: s.stage!.yUm },
    rois,
    verdicts,
  };
  return s;
}

describe('RoiList', () => {
  it('one row per ROI with position, area, intensity, verdict and a Go-to refusal', () => {
    const html = renderToStaticMarkup(
      <RoiList
        rois={rois}
        verdicts={['accepted', 'rejected', 'pending']}
        moveErrors={
          new Map([[2, { name: 'LimitError', code: 'E_LIMIT', message: 'x 30000 µm is outside' }]])
        }
        movingIndex={null}
        onVerdict={() => undefined}
        onGoTo={() => undefined}
      />,
    );
    expect(html.match(/data-testid="roi-row-/g)).toHaveLength(3);
    expect(textOf(html, 'roi-x-1')).toBe('13.3');
    expect(textOf(html, 'roi-y-0')).toBe('-7.5');
    expect(textOf(html, 'roi-area-0')).toBe('812');
    expect(textOf(html, 'roi-mean-2')).toBe('322');
    expect(html).toMatch(/data-testid="roi-row-0" data-verdict="accepted"/);
    expect(html).toMatch(/data-testid="roi-row-1" data-verdict="rejected"/);
    expect(textOf(html, 'roi-goto-error-2')).toBe('x 30000 µm is outside (E_LIMIT)');
    expect(html).not.toContain('roi-goto-error-0');
  });
});

describe('ROI overlay', () => {
  it('boxes sit at the bboxes in image pixels, with their verdicts', () => {
    expect(roiBoxes(rois, ['accepted'])).toEqual([
      { index: 0, x: 30, y: 48, w: 21, h: 25, verdict: 'accepted' },
      { index: 1, x: 80, y: 48, w: 21, h: 25, verdict: 'pending' },
      { index: 2, x: 130, y: 48, w: 21, h: 25, verdict: 'pending' },
    ]);
  });

  it('renders inside the live view only when there are ROIs and the overlay is on', () => {
    expect(render(sampleState())).not.toContain('roi-overlay');
    const html = render(withFinder(['pending', 'pending', 'rejected']));
    expect(html).toMatch(/data-testid="image-layer"[^>]*><svg[^>]*data-testid="roi-overlay"/);
    expect(html).toContain('viewBox="0 0 256 200"');
    expect(html).toMatch(/class="roi-box rejected" data-testid="roi-box-2"><rect x="130" y="48"/);
    expect(textOf(html, 'roi-summary')).toBe('3 found · 0 accepted · 1 rejected');
    expect(render(withFinder([]), { showRoiOverlay: false })).not.toContain('roi-overlay');
  });

  it('hides the boxes once the stage has left the field they were found in', () => {
    expect(overlayCurrent({ xUm: 0, yUm: 0 }, { xUm: 0.3, yUm: 0.3 })).toBe(true);
    expect(overlayCurrent({ xUm: 0, yUm: 0 }, { xUm: 0.4, yUm: 0.4 })).toBe(false);
    expect(overlayCurrent(null, { xUm: 5, yUm: 5 })).toBe(true);
    const s = sampleState();
    const at = { xUm: s.stage!.xUm, yUm: s.stage!.yUm };
    const here = render(withFinder([], at));
    expect(here).toContain('data-testid="roi-overlay"');
    expect(here).not.toContain('roi-stale');
    const moved = render(withFinder([], { xUm: at.xUm + 10, yUm: at.yUm }));
    expect(moved).not.toContain('data-testid="roi-overlay"');
    expect(moved).toContain('data-testid="roi-stale"');
    expect(moved).toContain('data-testid="roi-list"');
  });

  it('the image layer transform maps image pixels where the view draws them', () => {
    const view = { scale: 2.5, offsetX: -40, offsetY: 12 };
    expect(imageLayerTransform(view)).toBe('translate(-40px, 12px) scale(2.5)');
    // translate(t) scale(s) with origin 0 0: image point p lands at t + s·p.
    const p = { x: 130, y: 48 };
    const screen = { x: view.offsetX + view.scale * p.x, y: view.offsetY + view.scale * p.y };
    expect(screenToImage(view, screen.x, screen.y)).toEqual(p);
  });
});
