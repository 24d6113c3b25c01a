/** The map's travel and safety-limit frames and their legend, rendered to markup (no DOM). */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import {
  outerFrame,
  StageFrames,
  StageFramesLegend,
} from '../../../renderer/navigator/stage-frames';

const limits = { xUm: { min: -1000, max: 1000 }, yUm: { min: -800, max: 900 } };
const travel = { xUm: { min: -1500, max: 1200 }, yUm: { min: -1000, max: 1100 } };

describe('stage frames', () => {
  it('draws the travel as the outer frame, the limits inside, each titled with its ranges', () => {
    const html = renderToStaticMarkup(
      <svg>
        <StageFrames limits={limits} travel={travel} />
      </svg>,
    );
    expect(html).toContain(
      '<rect class="nav-travel" data-testid="nav-travel" x="-1500" y="-1000" width="2700" height="2100">' +
        '<title>Stage travel (mechanical): x -1500…1200 µm, y -1000…1100 µm</title></rect>',
    );
    expect(html).toContain(
      '<rect class="nav-limits" data-testid="nav-limits" x="-1000" y="-800" width="2000" height="1700">' +
        '<title>Safety limits (moves outside are refused): x -1000…1000 µm, y -800…900 µm</title></rect>',
    );
    // Drawn first, so the limits' dashes lie on top where the frames meet.
    expect(html.indexOf('nav-travel')).toBeLessThan(html.indexOf('nav-limits'));
  });

  it('without a configured travel: only the limits, and the legend names only them', () => {
    const html = renderToStaticMarkup(
      <svg>
        <StageFrames limits={limits} travel={null} />
      </svg>,
    );
    expect(html).not.toContain('nav-travel');
    expect(html).toContain('data-testid="nav-limits"');
    const legend = renderToStaticMarkup(<StageFramesLegend travel={false} />);
    expect(legend).not.toContain('travel');
    expect(legend).toContain('safety limits');
    expect(renderToStaticMarkup(<StageFramesLegend travel />)).toMatch(
      /nav-legend-travel.*travel.*nav-legend-limits.*safety limits/,
    );
  });

  it('"Fit envelope" fits the travel when known, else the limits', () => {
    expect(outerFrame(limits, travel)).toEqual({ x0: -1500, y0: -1000, x1: 1200, y1: 1100 });
    expect(outerFrame(limits, null)).toEqual({ x0: -1000, y0: -800, x1: 1000, y1: 900 });
    expect(outerFrame(null, null)).toBeNull();
  });
});
