import { describe, expect, it } from 'vitest';
import { decodeFrame, FrameDecodeError } from '../../../renderer/frames/decode-frame';
import { encodeForTest, sampleMeta } from './encode-for-test';

describe('decodeFrame', () => {
  it('round-trips metadata and little-endian pixels for every header padding', () => {
    // Header lengths covering all 8 residues, so every padding amount is exercised.
    for (let pad = 0; pad < 8; pad++) {
      const meta = sampleMeta({ seq: 100 + pad });
      const pixels = [0, 1, 255, 256, 4095, 65535];
      const { meta: got, pixels: px } = decodeFrame(encodeForTest(meta, pixels, ' '.repeat(pad)));
      expect(got).toEqual(meta);
      expect(Array.from(px)).toEqual(pixels);
    }
  });

  it('returns a view on the received buffer, not a copy', () => {
    const buf = encodeForTest(sampleMeta(), [1, 2, 3, 4, 5, 6]);
    expect(decodeFrame(buf).pixels.buffer).toBe(buf);
  });

  it('handles odd widths (rows not 4-byte aligned)', () => {
    const meta = sampleMeta({ widthPx: 5, heightPx: 3 });
    const pixels = Array.from({ length: 15 }, (_, i) => i * 1000);
    expect(Array.from(decodeFrame(encodeForTest(meta, pixels)).pixels)).toEqual(pixels);
  });

  const bad: [string, () => ArrayBuffer, RegExp][] = [
    ['short message', () => new ArrayBuffer(5), /shorter than the 8-byte preamble/],
    [
      'wrong magic',
      () => {
        const b = encodeForTest(sampleMeta(), [1, 2, 3, 4, 5, 6]);
        new Uint8Array(b)[3] = 0x39;
        return b;
      },
      /magic is "AQF9", expected "AQF1" or "AQF2"/,
    ],
    [
      'header length past the end',
      () => {
        const b = encodeForTest(sampleMeta(), [1, 2, 3, 4, 5, 6]);
        new DataView(b).setUint32(4, 10_000, true);
        return b;
      },
      /header length 10000 runs past the end/,
    ],
    [
      'header not JSON',
      () => {
        const b = encodeForTest(sampleMeta(), [1, 2, 3, 4, 5, 6]);
        new Uint8Array(b)[8] = 0x7a;
        return b;
      },
      /frame header: not UTF-8 JSON/,
    ],
    [
      'zero width',
      () => encodeForTest(sampleMeta({ widthPx: 0 }), []),
      /header\.widthPx: expected a positive integer, got 0/,
    ],
    [
      'missing sentAtMs',
      () => encodeForTest({ ...sampleMeta(), sentAtMs: undefined }, [1, 2, 3, 4, 5, 6]),
      /header\.sentAtMs: expected a finite number/,
    ],
    [
      'truncated pixels',
      () => encodeForTest(sampleMeta(), [1, 2, 3, 4, 5]),
      /frame 7: 10 pixel bytes .* expected 12 for 3×2 uint16/,
    ],
  ];
  it.each(bad)('rejects %s with a message saying what is wrong', (_, make, message) => {
    let caught: unknown;
    try {
      decodeFrame(make());
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(FrameDecodeError);
    expect((caught as Error).message).toMatch(message);
  });
});
