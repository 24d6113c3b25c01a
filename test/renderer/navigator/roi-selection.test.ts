import { describe, expect, it } from 'vitest';
import type {
  AutomationRoiView,
  CameraOrientation,
  RoiFinderView,
} from '../../../electron/api/contract';
import { mapKeyAction } from '../../../renderer/navigator/map-keys';
import {
  foundRoiBox,
  roiDetails,
  roiSelections,
  stepRoi,
} from '../../../renderer/navigator/roi-selection';
import { createAppStore } from '../../../renderer/state/store';

const I: CameraOrientation = { flipX: false, flipY: false, rotate90: 0 };

/** An ROI centred at pixel (xPx, yPx) with a w × h box starting at (bx, by). */
const roi = (xPx: number, yPx: number, xUm: number, yUm: number, bx: number, by: number) => ({
  xPx,
  yPx,
  xUm,
  yUm,
  areaPx: 321.6,
  meanIntensity: 88.4,
  integratedIntensity: 9_000,
  circularity: 0.8,
  bbox: { xPx: bx, yPx: by, widthPx: 20, heightPx: 10 },
  score: 0.8125,
});

const found: RoiFinderView = {
  frameSeq: 42,
  widthPx: 256,
  heightPx: 256,
  atStageUm: { xUm: 0, yUm: 0 },
  umPerPx: 0.5,
  // Box columns 90..109 and rows 95..104 around centre pixel (100, 100).
  rois: [roi(100, 100, 30, -10, 90, 95), roi(10, 10, -5, 5, 5, 5)],
  verdicts: ['accepted', 'pending'],
};

const auto: AutomationRoiView[] = [
  { id: 3, tile: 1, xUm: 100, yUm: 200, state: 'skipped', reason: 'outside limits', frames: 0 },
  { id: 4, tile: 1, xUm: 110, yUm: 210, state: 'imaged', frames: 12, dataset: 'roi-004' },
];

describe('ROI selection on the map', () => {
  it("a found ROI's box spans its pixels, from the ROI's own centre, turned with the camera", () => {
    const r = found.rois[0]!;
    // Columns 89.5..109.5 (20 px) and rows 94.5..104.5 around pixel 100 → µm at 0.5 µm/px.
    expect(foundRoiBox(r, 0.5, I)).toEqual({ x0: 24.75, y0: -12.75, x1: 34.75, y1: -7.75 });
    // A quarter turn swaps the box's width and height on the stage.
    const turned = foundRoiBox(r, 0.5, { ...I, rotate90: 1 });
    expect(turned.x1 - turned.x0).toBeCloseTo(5, 9);
    expect(turned.y1 - turned.y0).toBeCloseTo(10, 9);
    // flipX mirrors the box about the ROI's centre.
    expect(foundRoiBox(r, 0.5, { ...I, flipX: true })).toEqual({
      x0: 25.25,
      y0: -12.75,
      x1: 35.25,
      y1: -7.75,
    });
  });

  it('details: a found ROI with its numbers and verdict, an automation ROI with its state', () => {
    const f = roiDetails({ kind: 'found-roi', frameSeq: 42, index: 0 }, auto, found, I)!;
    expect(f).toMatchObject({
      title: 'Found ROI 1',
      xUm: 30,
      yUm: -10,
      sizePx: { widthPx: 20, heightPx: 10 },
      areaPx: 321.6,
      score: 0.8125,
      status: 'accepted',
      boxUm: { x0: 24.75, y0: -12.75, x1: 34.75, y1: -7.75 },
    });
    // Without the pixel size (an older host) the size is in pixels only.
    const { umPerPx: _, ...old } = found;
    expect(roiDetails({ kind: 'found-roi', frameSeq: 42, index: 1 }, null, old, I)).toMatchObject({
      boxUm: null,
      status: 'pending',
      title: 'Found ROI 2',
    });
    expect(roiDetails({ kind: 'auto-roi', id: 3 }, auto, found, I)).toMatchObject({
      title: 'Automation ROI 3',
      xUm: 100,
      yUm: 200,
      status: 'skipped',
      reason: 'outside limits',
      frames: 0,
      areaPx: null,
    });
    expect(roiDetails({ kind: 'auto-roi', id: 4 }, auto, found, I)?.dataset).toBe('roi-004');
  });

  it('a selection whose ROI is gone (a new list, an index past its end) shows nothing', () => {
    expect(roiDetails({ kind: 'found-roi', frameSeq: 41, index: 0 }, auto, found, I)).toBeNull();
    expect(roiDetails({ kind: 'found-roi', frameSeq: 42, index: 2 }, auto, found, I)).toBeNull();
    expect(roiDetails({ kind: 'auto-roi', id: 9 }, auto, found, I)).toBeNull();
    expect(roiDetails({ kind: 'vertex', position: null, index: 0 }, auto, found, I)).toBeNull();
    expect(roiDetails(null, auto, found, I)).toBeNull();
  });

  it('stepping goes through automation ROIs then found ones, wrapping both ways', () => {
    const all = roiSelections(auto, found);
    expect(all).toEqual([
      { kind: 'auto-roi', id: 3 },
      { kind: 'auto-roi', id: 4 },
      { kind: 'found-roi', frameSeq: 42, index: 0 },
      { kind: 'found-roi', frameSeq: 42, index: 1 },
    ]);
    expect(stepRoi(all, null, 1)).toEqual(all[0]);
    expect(stepRoi(all, null, -1)).toEqual(all[3]);
    expect(stepRoi(all, all[1]!, 1)).toEqual(all[2]);
    expect(stepRoi(all, all[3]!, 1)).toEqual(all[0]);
    expect(stepRoi(all, all[0]!, -1)).toEqual(all[3]);
    // A stale found-ROI selection (older list) starts again.
    expect(stepRoi(all, { kind: 'found-roi', frameSeq: 1, index: 0 }, 1)).toEqual(all[0]);
    expect(stepRoi([], all[0]!, 1)).toBeNull();
  });

  it('keys act on what is selected, and leave other keys to the page', () => {
    const roiSel = { kind: 'found-roi', frameSeq: 42, index: 0 } as const;
    const vertex = { kind: 'vertex', position: null, index: 2 } as const;
    expect(mapKeyAction('Escape', false, roiSel)).toBe('unselect');
    expect(mapKeyAction('Escape', false, null)).toBeNull();
    expect(mapKeyAction('Tab', false, roiSel)).toBe('next');
    expect(mapKeyAction('Tab', true, roiSel)).toBe('previous');
    expect(mapKeyAction('Tab', false, null)).toBeNull(); // focus moves on as usual
    expect(mapKeyAction('ArrowRight', false, null)).toBe('next');
    expect(mapKeyAction('ArrowUp', false, roiSel)).toBe('previous');
    expect(mapKeyAction('Enter', false, roiSel)).toBe('goto');
    expect(mapKeyAction('Enter', false, vertex)).toBeNull();
    expect(mapKeyAction('Delete', false, vertex)).toBe('delete-vertex');
    expect(mapKeyAction('Backspace', false, roiSel)).toBeNull();
    expect(mapKeyAction('ArrowLeft', false, vertex)).toBeNull();
    expect(mapKeyAction('a', false, roiSel)).toBeNull();
  });

  it('the store holds one map selection', () => {
    const store = createAppStore();
    store.getState().selectOnMap({ kind: 'auto-roi', id: 3 });
    expect(store.getState().mapSelection).toEqual({ kind: 'auto-roi', id: 3 });
    store.getState().selectOnMap(null);
    expect(store.getState().mapSelection).toBeNull();
  });
});
