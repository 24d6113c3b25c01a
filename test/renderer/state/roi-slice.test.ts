import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../../renderer/state/store';
import type { RoiFinderView } from '../../../electron/api/contract';

const roi = (xUm: number, yUm: number) => ({
  xPx: 0,
  yPx: 0,
  xUm,
  yUm,
  areaPx: 100,
  meanIntensity: 50,
  integratedIntensity: 5_000,
  circularity: 0.9,
  bbox: { xPx: 0, yPx: 0, widthPx: 10, heightPx: 10 },
  score: 4_500,
});

const found: RoiFinderView = {
  frameSeq: 1,
  widthPx: 256,
  heightPx: 256,
  atStageUm: { xUm: 0, yUm: 0 },
  rois: [roi(10, 20), roi(-5, 7.5), roi(300, -40)],
  verdicts: ['pending', 'pending', 'pending'],
};

describe('ROI slice: accepted ROIs to the plan', () => {
  it('queues only the accepted ROIs, in list order, and the inbox empties when taken', () => {
    const store = createAppStore();
    const s = () => store.getState();
    expect(s().sendAcceptedToPlan(found)).toBe(0);
    expect(s().sendAcceptedToPlan(null)).toBe(0);
    expect(s().planInbox).toEqual([]);
    const judged = { ...found, verdicts: ['accepted', 'rejected', 'accepted'] } as const;
    expect(s().sendAcceptedToPlan({ ...judged, verdicts: [...judged.verdicts] })).toBe(2);
    expect(s().planInbox).toEqual([
      { name: 'roi1', xUm: 10, yUm: 20 },
      { name: 'roi3', xUm: 300, yUm: -40 },
    ]);
    expect(s().takePlanInbox()).toHaveLength(2);
    expect(s().planInbox).toEqual([]);
    expect(s().takePlanInbox()).toEqual([]);
  });
});

describe('ROI slice: one ROI to the plan (the map card)', () => {
  it('queues the named ROI by index, skipping indices not in the list', () => {
    const store = createAppStore();
    const s = () => store.getState();
    expect(s().sendRoisToPlan(found, [1, 7])).toBe(1);
    expect(s().planInbox).toEqual([{ name: 'roi2', xUm: -5, yUm: 7.5 }]);
    expect(s().sendRoisToPlan(found, [])).toBe(0);
    expect(s().planInbox).toHaveLength(1);
  });
});
