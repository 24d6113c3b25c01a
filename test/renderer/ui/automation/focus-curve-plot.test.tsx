/** The focus-curve plot: geometry from the autofocus result, and its markup. */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  FocusCurvePlot,
  focusCurveGeometry,
} from '../../../../renderer/ui/automation/focus-curve-plot';
import { extent } from '../../../../renderer/ui/automation/plot-scale';

const box = { widthPx: 120, heightPx: 60, padPx: 10 };
// Sampled out of Z order, as the coarse-to-fine search returns it.
const curve = [
  { zUm: 0, score: 5 },
  { zUm: -10, score: 1 },
  { zUm: 10, score: 2 },
  { zUm: 2, score: 4 },
];

describe('focusCurveGeometry', () => {
  it('sorts by Z, maps the Z range onto the width and the best score to the top', () => {
    const g = focusCurveGeometry({ curve, chosenZUm: 0.5, box })!;
    expect(g.points.map((p) => p.x)).toEqual([10, 60, 70, 110]);
    // Score 5 (max) at the top pad, score 1 (min) at the bottom pad.
    expect(g.points[1]!.y).toBeCloseTo(10, 6);
    expect(g.points[0]!.y).toBeCloseTo(50, 6);
    expect(g.chosenX).toBeCloseTo(62.5, 6);
    expect(g.path).toBe('M10.0,50.0 L60.0,10.0 L70.0,20.0 L110.0,40.0');
  });

  it('widens the Z axis to include the start and chosen Z outside the samples', () => {
    const g = focusCurveGeometry({ curve, chosenZUm: 12, startZUm: -14, box })!;
    expect(g.x.min).toBe(-14);
    expect(g.x.max).toBe(12);
    expect(g.startX).toBeCloseTo(10, 6);
    expect(g.chosenX).toBeCloseTo(110, 6);
  });

  it('a flat curve still plots inside the box; no samples → null', () => {
    const g = focusCurveGeometry({ curve: [{ zUm: 1, score: 3 }], chosenZUm: null, box })!;
    expect(g.chosenX).toBeNull();
    expect(g.points[0]!.x).toBeGreaterThanOrEqual(10);
    expect(g.points[0]!.x).toBeLessThanOrEqual(110);
    expect(g.points[0]!.y).toBeCloseTo(30, 6);
    expect(focusCurveGeometry({ curve: [], chosenZUm: null, box })).toBeNull();
    expect(extent([NaN, Infinity])).toBeNull();
  });
});

describe('FocusCurvePlot', () => {
  it('draws one dot per sample and the chosen-Z marker', () => {
    const html = renderToStaticMarkup(<FocusCurvePlot curve={curve} chosenZUm={0} box={box} />);
    expect(html).toContain('data-points="4"');
    expect(html.match(/<circle/g)).toHaveLength(4);
    expect(html).toContain('data-testid="focus-curve-chosen"');
    expect(html).toContain('-10.0 µm');
    expect(renderToStaticMarkup(<FocusCurvePlot curve={curve} chosenZUm={null} />)).not.toContain(
      'focus-curve-chosen',
    );
  });
});
