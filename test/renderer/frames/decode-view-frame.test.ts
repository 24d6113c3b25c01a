import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { byteShuffle, encodeHistogramCounts } from '../../../electron/remote/view-pyramid';
import { decodeViewFrame } from '../../../renderer/frames/decode-view-frame';
import { encodeForTest, sampleMeta } from './encode-for-test';

/**
 * An AQF2 frame of a 4×4 image whose view is the 2×2 region at (2, 2), level 0; `counts`
 * (a histogram's encoded counts) go between the header and the payload.
 */
function viewFrame(
  over: Record<string, unknown> = {},
  payload?: Uint8Array,
  counts: Uint8Array = new Uint8Array(0),
): ArrayBuffer {
  const reduced = [10, 20, 30, 40];
  const pixelBytes = payload ?? new Uint8Array(Uint16Array.from(reduced).buffer);
  const bytes = new Uint8Array(counts.length + pixelBytes.length);
  bytes.set(counts);
  bytes.set(pixelBytes, counts.length);
  const view = {
    level: 0,
    region: { x: 2, y: 2, width: 2, height: 2 },
    widthPx: 2,
    heightPx: 2,
    codec: 'raw',
    payloadBytes: pixelBytes.length,
    ...over,
  };
  // encodeForTest writes uint16 pixels; pad odd payloads, then cut the buffer to size.
  const words = Array.from(
    { length: Math.ceil(bytes.length / 2) },
    (_, i) => (bytes[2 * i] ?? 0) | ((bytes[2 * i + 1] ?? 0) << 8),
  );
  const buf = encodeForTest({ ...sampleMeta({ widthPx: 4, heightPx: 4 }), view }, words);
  new Uint8Array(buf)[3] = 0x32; // "AQF2"
  return buf.slice(0, buf.byteLength - (words.length * 2 - bytes.length));
}

describe('decodeViewFrame', () => {
  it('places a raw view in image coordinates', async () => {
    const f = await decodeViewFrame(viewFrame());
    expect(f.view?.region).toEqual({ x: 2, y: 2, width: 2, height: 2 });
    expect(Array.from(f.pixels)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 20, 0, 0, 30, 40]);
  });

  it('inflates and un-shuffles a deflated view bit-exactly', async () => {
    const px = Uint16Array.from([0, 65535, 256, 4097]);
    const payload = new Uint8Array(deflateRawSync(byteShuffle(px), { level: 1 }));
    const f = await decodeViewFrame(viewFrame({ codec: 'deflate' }, payload));
    expect(Array.from(f.pixels.subarray(10, 12))).toEqual([0, 65535]);
    expect(Array.from(f.pixels.subarray(14, 16))).toEqual([256, 4097]);
  });

  it('keeps the reduced pixels at their own size and the host histogram; lut8 bytes as display values', async () => {
    const counts = encodeHistogramCounts(Uint32Array.of(10, 0, 6));
    const hist = {
      binWidth: 1,
      rangeMax: 4096,
      samples: 16,
      minValue: 3,
      maxValue: 5,
      firstBin: 3,
      bins: 3,
      bytes: counts.length,
    };
    const window = { min: 0, max: 100, gamma: 1 };
    const payload = new Uint8Array(deflateRawSync(Uint8Array.of(0, 7, 128, 255), { level: 1 }));
    const lut8 = (h: object, c = counts) =>
      viewFrame({ codec: 'lut8', window, histogram: h }, payload, c);
    const f = await decodeViewFrame(lut8(hist));
    // One byte per pixel as inflated (uploaded as an R8UI texture), not widened to uint16.
    expect(f.reduced).toBeInstanceOf(Uint8Array);
    expect(Array.from(f.reduced!)).toEqual([0, 7, 128, 255]);
    expect(f.histogram?.counts.length).toBe(4096);
    expect(Array.from(f.histogram!.counts.subarray(2, 7))).toEqual([0, 10, 0, 6, 0]);
    expect(f.histogram).toMatchObject({ samples: 16, minValue: 3, maxValue: 5, rangeMax: 4096 });
    expect(f.pixels[10]).toBe(0); // expanded only on demand, then placed as before
    expect(f.pixels[15]).toBe(255);
    await expect(decodeViewFrame(viewFrame({ codec: 'lut8' }, payload))).rejects.toThrow(
      /lut8 without a window/,
    );
    await expect(decodeViewFrame(lut8({ ...hist, firstBin: 4095 }))).rejects.toThrow(
      /histogram: bins 4095..4098 \(header says 3\) outside 0..4096/,
    );
    await expect(decodeViewFrame(lut8({ ...hist, bins: 4 }))).rejects.toThrow(
      /histogram: bins 3..6 \(header says 4\)/,
    );
    await expect(decodeViewFrame(lut8({ ...hist, bytes: 1000 }))).rejects.toThrow(
      /histogram.bytes: 1000 does not fit the \d+ bytes after the header/,
    );
    const corrupt = Uint8Array.from(counts, () => 0xff);
    await expect(decodeViewFrame(lut8(hist, corrupt))).rejects.toThrow(
      /deflate histogram is corrupt/,
    );
  });

  it('reads the histogram as binary counts after the header, not as JSON', async () => {
    const counts = Uint32Array.of(1, 0, 70000, 2 ** 32 - 1);
    const bytes = encodeHistogramCounts(counts);
    const hist = { binWidth: 16, rangeMax: 65536, samples: 4, minValue: 16, maxValue: 99 };
    const head = { ...hist, firstBin: 1, bins: 4, bytes: bytes.length };
    const f = await decodeViewFrame(viewFrame({ histogram: head }, undefined, bytes));
    expect(Array.from(f.histogram!.counts.subarray(0, 6))).toEqual([
      0,
      1,
      0,
      70000,
      2 ** 32 - 1,
      0,
    ]);
    // The pixels still start after the counts.
    expect(Array.from(f.reduced!)).toEqual([10, 20, 30, 40]);
  });

  const bad: [string, () => ArrayBuffer, RegExp][] = [
    ['unknown codec', () => viewFrame({ codec: 'lz4' }), /unknown codec "lz4"/],
    [
      'region outside the image',
      () => viewFrame({ region: { x: 3, y: 2, width: 2, height: 2 } }),
      /lies outside the 4×4 image/,
    ],
    ['size not matching the level', () => viewFrame({ level: 1 }), /does not match the region/],
    ['payload length', () => viewFrame({ payloadBytes: 6 }), /8 payload bytes, header says 6/],
    [
      'corrupt deflate data',
      () => viewFrame({ codec: 'deflate' }, Uint8Array.from([0xff, 0xff, 0xff])),
      /deflate payload is corrupt/,
    ],
    [
      'deflate data of the wrong size',
      () => viewFrame({ codec: 'deflate' }, new Uint8Array(deflateRawSync(new Uint8Array(6)))),
      /inflated to 6 bytes, expected 8/,
    ],
  ];
  for (const [what, make, message] of bad) {
    it(`refuses ${what}`, async () => {
      await expect(decodeViewFrame(make())).rejects.toThrow(message);
    });
  }
});
