import { describe, expect, it } from 'vitest';
import { PixelFormats, toMono16 } from '../../../../drivers/cameras/genicam/pixels';

describe('monochrome pixel formats into 16-bit frames', () => {
  it('widens Mono8', () => {
    expect([...toMono16(PixelFormats.Mono8, Buffer.from([0, 7, 255, 128]), 2, 2)]).toEqual([
      0, 7, 255, 128,
    ]);
  });

  it('reads Mono12/Mono16 as little-endian words, also from odd offsets', () => {
    const raw = Buffer.from([0xff, 0x34, 0x12, 0xff, 0x0f]);
    expect([...toMono16(PixelFormats.Mono16, raw.subarray(1), 2, 1)]).toEqual([0x1234, 0x0fff]);
    expect([...toMono16(PixelFormats.Mono12, Buffer.from([0x34, 0x02]), 1, 1)]).toEqual([0x234]);
  });

  it('unpacks Mono12Packed (two pixels in three bytes), odd pixel counts too', () => {
    // A = 0xABC, B = 0x123, C = 0xFED
    const raw = Buffer.from([0xab, 0x3c, 0x12, 0xfe, 0x0d]);
    expect([...toMono16(PixelFormats.Mono12Packed, raw, 3, 1)]).toEqual([0xabc, 0x123, 0xfed]);
  });

  it('unpacks Mono12p (PFNC, LSB first), odd pixel counts too', () => {
    // A = 0xABC, B = 0x123, C = 0xFED
    const raw = Buffer.from([0xbc, 0x3a, 0x12, 0xed, 0x0f]);
    expect([...toMono16(PixelFormats.Mono12p, raw, 3, 1)]).toEqual([0xabc, 0x123, 0xfed]);
  });

  it('fills the caller buffer of the right size', () => {
    const into = new ArrayBuffer(8);
    const out = toMono16(PixelFormats.Mono8, Buffer.from([1, 2, 3, 4]), 4, 1, into);
    expect(out.buffer).toBe(into);
    expect(
      toMono16(PixelFormats.Mono8, Buffer.from([1, 2, 3, 4]), 4, 1, new ArrayBuffer(6)).buffer,
    ).not.toBe(into);
  });

  it('refuses short payloads and colour formats', () => {
    expect(() => toMono16(PixelFormats.Mono16, Buffer.alloc(3), 2, 1)).toThrow(
      /Mono16 frame of 2×1 needs 4 bytes, got 3/,
    );
    expect(() => toMono16(0x02180014, Buffer.alloc(12), 2, 2)).toThrow(
      /pixel format 0x2180014 is not a supported monochrome format/,
    );
  });
});
