import { describe, expect, it } from 'vitest';
import { CodecChooser } from '../../../electron/remote/codec-choice';

describe('CodecChooser', () => {
  const RAW = 2 * 1024 * 1024; // a fitted 1024² uint16 view

  it('sends raw on a link with no limit and compresses on a slow one', () => {
    const c = new CodecChooser();
    expect(c.choose(RAW, Infinity, true)).toBe('raw');
    // 20 Mbit/s = 2500 bytes/ms: raw is 840 ms of link, deflate ~170 ms + encode.
    expect(c.choose(RAW, 2500, false)).toBe('deflate');
    expect(c.choose(RAW, 2500, true)).toBe('lut8');
  });

  it('learns from measurements: a codec that compresses badly or encodes slowly loses', () => {
    const c = new CodecChooser();
    // Noise that deflate cannot pack, and a slow encoder: raw wins at 100 Mbit/s (12.5 kB/ms).
    for (let i = 0; i < 20; i++) c.record('deflate', RAW, 0.95 * RAW, 120);
    expect(c.estimate('deflate').ratio).toBeCloseTo(0.95, 2);
    expect(c.choose(RAW, 12_500, false)).toBe('raw');
    // At 1 Mbit/s even 5 % saved is worth 120 ms.
    expect(c.choose(RAW, 125, false)).toBe('deflate');
  });
});
