/** Deterministic test pixels per frame index; test/python/verify_dataset.py computes the same. */
import type { DatasetLayout, FrameIndex } from '../../../electron/storage/layout';

export function patternPlane(
  l: Pick<DatasetLayout, 'sizes' | 'pixelType'>,
  i: FrameIndex,
): ArrayBuffer {
  const { y, x } = l.sizes;
  const base = 31 * i.z + 257 * i.c + 1031 * i.t + 4099 * i.p;
  if (l.pixelType === 'uint8') {
    const a = new Uint8Array(y * x);
    for (let r = 0; r < y; r++) for (let q = 0; q < x; q++) a[r * x + q] = (base + 3 * r + q) % 251;
    return a.buffer;
  }
  const a = new Uint16Array(y * x);
  for (let r = 0; r < y; r++) for (let q = 0; q < x; q++) a[r * x + q] = (base + 3 * r + q) % 65521;
  return a.buffer;
}
