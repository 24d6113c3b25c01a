import { describe, expect, it } from 'vitest';
import { lutFor, planeToRgba, planeWindow } from '../../../renderer/display/plane-image';
import { createAppStore } from '../../../renderer/state/store';

describe('saved planes through the live view LUT', () => {
  it('uses the LUT of the channel: the one on screen, or the one kept for it', () => {
    const store = createAppStore();
    const s = () => store.getState();
    s().showChannel('GFP');
    s().setColormap('green');
    s().setAutoContrast(false);
    s().setWindow(100, 200);
    s().showChannel('Cy5');
    expect(lutFor(s(), 'GFP')).toMatchObject({ colormap: 'green', windowMin: 100, windowMax: 200 });
    expect(lutFor(s(), 'Cy5')).toMatchObject({ colormap: 'green' });
    expect(lutFor(s(), 'DAPI')).toBeNull();
  });

  it('manual window as set; auto-contrast (or no LUT) from the plane; colours from the map', () => {
    const px = Uint16Array.from([100, 150, 200, 4000]);
    const lut = {
      colormap: 'grey' as const,
      windowMin: 100,
      windowMax: 200,
      gamma: 1,
      autoContrast: false,
    };
    const w = planeWindow(px, 12, lut, 0);
    expect(w).toEqual({ min: 100, max: 200, gamma: 1 });
    const out = new Uint8ClampedArray(16);
    planeToRgba(px, w, 'grey', out);
    expect([...out.filter((_, i) => i % 4 === 0)]).toEqual([0, 128, 255, 255]);
    expect(out[3]).toBe(255);
    const auto = planeWindow(px, 12, null, 0);
    expect(auto.min).toBeLessThanOrEqual(100);
    expect(auto.max).toBeGreaterThanOrEqual(4000);
  });
});
