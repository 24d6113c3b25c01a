/** Min, max and mean of a frame's pixels (one pass; no copy). */
export function frameStats(pixels: Uint16Array): { min: number; max: number; mean: number } {
  if (pixels.length === 0) return { min: 0, max: 0, mean: 0 };
  let min = 65_535;
  let max = 0;
  let sum = 0;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, max, mean: sum / pixels.length };
}
