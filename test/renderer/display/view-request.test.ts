import { describe, expect, it } from 'vitest';
import { planView, type ViewRequest } from '../../../electron/api/frame-view';
import {
  streamPreference,
  ViewReporter,
  visibleViewRequest,
} from '../../../renderer/display/view-request';
import { fitView, screenToImage, zoomAt } from '../../../renderer/display/view-transform';

describe('visibleViewRequest', () => {
  it('asks for level 1 when a 2048² image is fitted into a 1024² canvas', () => {
    const v = fitView(2048, 2048, 1024, 1024);
    const req = visibleViewRequest(v, 1024, 1024, 1, 2048, 2048);
    expect(req).toEqual({
      canvasWidthPx: 1024,
      canvasHeightPx: 1024,
      region: { x: 0, y: 0, width: 2048, height: 2048 },
    });
    expect(planView(2048, 2048, req).level).toBe(1);
    // A 2× device pixel ratio shows every camera pixel: level 0.
    expect(planView(2048, 2048, visibleViewRequest(v, 1024, 1024, 2, 2048, 2048)).level).toBe(0);
  });

  it('asks for exact pixels of the visible region when zoomed in, and the click maps to it', () => {
    const v = zoomAt(fitView(2048, 2048, 1024, 1024), 4, 512, 512); // 2 screen px per image px
    const req = visibleViewRequest(v, 1024, 1024, 1, 2048, 2048);
    expect(req.region).toEqual({ x: 768, y: 768, width: 512, height: 512 });
    const plan = planView(2048, 2048, req);
    expect(plan.level).toBe(0);
    // The canvas centre (where alt+click centres the stage) lies inside the region sent.
    const centre = screenToImage(v, 512, 512);
    expect(centre.x).toBeGreaterThanOrEqual(plan.region.x);
    expect(centre.x).toBeLessThan(plan.region.x + plan.region.width);
  });
});

describe('ViewReporter', () => {
  it('sends a fitted view once per change, nothing for the default full stream', () => {
    const sent: unknown[] = [];
    const r = new ViewReporter(streamPreference('?stream=fit&codec=deflate'), (v, c) =>
      sent.push([v, c]),
    );
    const req = { canvasWidthPx: 10, canvasHeightPx: 10 };
    r.update(() => req);
    r.update(() => ({ ...req }));
    r.update(() => ({ ...req, canvasWidthPx: 11 }));
    expect(sent).toEqual([
      [req, 'deflate'],
      [{ ...req, canvasWidthPx: 11 }, 'deflate'],
    ]);
    const none: unknown[] = [];
    new ViewReporter(streamPreference(''), (v, c) => none.push([v, c])).update(() => req);
    expect(none).toEqual([]);
    const full: unknown[] = [];
    const f = new ViewReporter(streamPreference('?codec=deflate'), (v, c) => full.push([v, c]));
    f.update(() => req);
    f.update(() => req);
    expect(full).toEqual([[null, 'deflate']]);
  });

  it('sends the display window for lut8 and auto, again when it changes, and asks for paced chunks', () => {
    const sent: unknown[] = [];
    const r = new ViewReporter(streamPreference('?stream=fit&codec=lut8'), (v, c, o) =>
      sent.push([v, c, o]),
    );
    const req = { canvasWidthPx: 10, canvasHeightPx: 10 };
    const win = { min: 100, max: 900, gamma: 1 };
    r.update(() => req, win);
    r.update(() => req, { ...win });
    r.update(() => req, { ...win, max: 950 });
    expect(sent).toEqual([
      [req, 'lut8', { chunks: true, window: win }],
      [req, 'lut8', { chunks: true, window: { ...win, max: 950 } }],
    ]);
    const deflate: unknown[] = [];
    const d = new ViewReporter(streamPreference('?stream=fit&codec=deflate'), (v, c, o) =>
      deflate.push(o),
    );
    d.update(() => req, win);
    d.update(() => req, { ...win, max: 950 }); // the window does not matter to deflate
    expect(deflate).toEqual([{ chunks: true }]);
    expect(streamPreference('?stream=fit&codec=auto').codec).toBe('auto');
    expect(streamPreference('?stream=fit&codec=zstd').codec).toBe('raw');
    // The Electron window always takes the fitted level of the whole image, whatever the URL says.
    expect(streamPreference('', true)).toEqual({ fit: true, codec: 'raw', crop: false });
    const electron: unknown[] = [];
    const e = new ViewReporter(streamPreference('?stream=fit&codec=lut8', true), (v) =>
      electron.push(v),
    );
    const zoomed = zoomAt(fitView(2048, 2048, 1024, 1024), 4, 512, 512);
    e.update((crop) => visibleViewRequest(zoomed, 1024, 1024, 1, 2048, 2048, crop), win);
    // Zoomed in to 2 screen px per image px: the whole image at level 0 (the full frame).
    expect(electron).toEqual([{ canvasWidthPx: 4096, canvasHeightPx: 4096 }]);
    expect(planView(2048, 2048, electron[0] as ViewRequest).level).toBe(0);
  });
});
