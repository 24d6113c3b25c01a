/** Test-only encoder written from the format comment in electron/api/messages.ts. */
import type { FrameMeta } from '../../../electron/api/contract';

export function sampleMeta(over: Partial<FrameMeta> = {}): FrameMeta {
  return {
    seq: 7,
    cameraSeq: 3,
    widthPx: 3,
    heightPx: 2,
    bitDepth: 12,
    binning: 1,
    pixelSizeUm: 6.5,
    exposureMs: 10,
    timestampMs: 1_700_000_000_000,
    stage: { xUm: 1, yUm: 2, zUm: 3 },
    lasersMw: { l488: 5 },
    sentAtMs: 1_700_000_000_005,
    ...over,
  };
}

export function encodeForTest(
  meta: unknown,
  pixels: ArrayLike<number>,
  headerPad = '',
): ArrayBuffer {
  const header = new TextEncoder().encode(JSON.stringify(meta) + headerPad);
  const pixelOffset = Math.ceil((8 + header.length) / 8) * 8;
  const buf = new ArrayBuffer(pixelOffset + pixels.length * 2);
  const bytes = new Uint8Array(buf);
  bytes.set([0x41, 0x51, 0x46, 0x31], 0);
  new DataView(buf).setUint32(4, header.length, true);
  bytes.set(header, 8);
  const view = new DataView(buf, pixelOffset);
  for (let i = 0; i < pixels.length; i++) view.setUint16(i * 2, pixels[i] as number, true);
  return buf;
}
