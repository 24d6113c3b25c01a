import { describe, expect, it } from 'vitest';
import {
  computeHistogram,
  histogramBins,
  histogramRange,
  rebin,
} from '../../../renderer/display/histogram';

describe('histogram', () => {
  it('uses at most 4096 power-of-two-wide bins', () => {
    expect(histogramBins(256)).toEqual({ bins: 256, binWidth: 1 });
    expect(histogramBins(4096)).toEqual({ bins: 4096, binWidth: 1 });
    expect(histogramBins(65536)).toEqual({ bins: 4096, binWidth: 16 });
  });

  it('adapts the range to the data, within the bit depth', () => {
    expect(histogramRange(100, 16)).toBe(256);
    expect(histogramRange(256, 16)).toBe(512);
    expect(histogramRange(4000, 12)).toBe(4096);
    expect(histogramRange(5000, 12)).toBe(4096);
    expect(histogramRange(65535, 16)).toBe(65536);
    expect(histogramRange(300, 8)).toBe(256);
  });

  it('a dim 16-bit frame gets one-value bins', () => {
    const h = computeHistogram(new Uint16Array([96, 100, 100, 104]), 16);
    expect(h.rangeMax).toBe(256);
    expect(h.binWidth).toBe(1);
    expect(h.counts[100]).toBe(2);
  });

  it('counts every pixel when under the sample budget, with min/max', () => {
    const h = computeHistogram(new Uint16Array([0, 15, 16, 65535, 65535]), 16, 100);
    expect(h.samples).toBe(5);
    expect(h.counts[0]).toBe(2);
    expect(h.counts[1]).toBe(1);
    expect(h.counts[4095]).toBe(2);
    expect([h.minValue, h.maxValue]).toEqual([0, 65535]);
    expect(h.rangeMax).toBe(65536);
  });

  it('subsamples with a stride and reuses the target array', () => {
    const px = new Uint16Array(1000);
    for (let i = 0; i < px.length; i++) px[i] = i % 2 === 0 ? 10 : 20;
    const target = new Uint32Array(256).fill(7);
    const h = computeHistogram(px, 8, 100, target);
    expect(h.counts).toBe(target);
    expect(h.samples).toBe(100);
    // stride 10 lands only on even indices
    expect(h.counts[10]).toBe(100);
    expect(h.counts[20]).toBe(0);
  });

  it('puts values above the bit depth in the top bin instead of overflowing', () => {
    const h = computeHistogram(new Uint16Array([5000, 4095]), 12);
    expect(h.counts[4095]).toBe(2);
    expect(h.counts.length).toBe(4096);
  });

  it('rebins preserving the total', () => {
    const counts = new Uint32Array(4096).map((_, i) => i % 7);
    const r = rebin(counts, 256);
    expect(r.length).toBe(256);
    expect(r.reduce((a, b) => a + b, 0)).toBe(counts.reduce((a, b) => a + b, 0));
    expect(r[0]).toBe(counts.subarray(0, 16).reduce((a, b) => a + b, 0));
  });
});
