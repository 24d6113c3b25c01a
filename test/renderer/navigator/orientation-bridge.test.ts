/**
 * The navigator and the jog pad read one setting, the config's stageOrientation: for each of
 * its eight values the map places an image offset on the stage exactly where the jog pad's
 * mapping says that image direction lies.
 */
import { describe, expect, it } from 'vitest';
import type { StageOrientation } from '../../../electron/api/contract';
import { viewDeltaToStage } from '../../../renderer/input/stage-orientation';
import {
  cameraOrientationOf,
  imageToStageOffset,
  stageToImageOffset,
} from '../../../renderer/navigator/frame-placement';

const all: StageOrientation[] = [];
for (const flipX of [false, true])
  for (const flipY of [false, true])
    for (const rotate90 of [false, true]) all.push({ flipX, flipY, rotate90 });

describe('stageOrientation → navigator orientation', () => {
  it.each(all)('%o: image offsets map to the stage as the jog pad maps them', (o) => {
    const co = cameraOrientationOf(o);
    for (const img of [
      { x: 3, y: 0 },
      { x: 0, y: -7 },
      { x: 2, y: 5 },
    ]) {
      const jog = viewDeltaToStage(o, img.x, img.y);
      const map = imageToStageOffset(co, img);
      expect(map.x + 0).toBeCloseTo(jog.dxUm, 12);
      expect(map.y + 0).toBeCloseTo(jog.dyUm, 12);
      const back = stageToImageOffset(co, map);
      expect(back.x + 0).toBeCloseTo(img.x, 12);
      expect(back.y + 0).toBeCloseTo(img.y, 12);
    }
  });

  it('identity without a host setting', () => {
    expect(cameraOrientationOf(undefined)).toEqual({ flipX: false, flipY: false, rotate90: 0 });
  });
});
