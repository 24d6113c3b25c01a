import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { byteShuffle } from '../../../electron/remote/view-pyramid';
import { decodeViewFrame } from '../../../renderer/frames/decode-view-frame';
import { encodeForTest, sampleMeta } from './encode-for-test';

/** An AQF2 frame of a 4×4 image whose view is the 2×2 region at (2, 2), level 0. */
function viewFrame(over: Record<string, unknown> = {}, payload?: Uint8Array): ArrayBuffer {
  const reduced = [10, 20, 30, 40];
  const bytes = payload ?? new Uint8Array(Uint16Array.from(reduced).buffer);
  const view = {
    level: 0,
    region: { x: 2, y: 2, width: 2, height: 2 },
    widthPx: 2,
    heightPx: 2,
    codec: 'raw',
    payloadBytes: bytes.length,
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
