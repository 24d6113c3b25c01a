/**
 * Background subtraction by a coarse morphological opening, a fast stand-in for a rolling
 * ball: the frame is cut into square blocks of `radiusPx`; each block's 10th percentile
 * (from ≤ 256 evenly spread samples) is eroded (3 × 3 block minimum, the grid padded by
 * replicating its edge) then dilated (3 × 3 block maximum), and the result is interpolated
 * bilinearly between block centres and subtracted. Objects narrower than about two blocks
 * are removed from the estimate; smooth illumination gradients are kept in it (less one
 * block's rise at the frame edges). A percentile, not the minimum: the minimum of noise
 * varies from block to block by more than a threshold of a few sigma can absorb. The level
 * left after subtraction is slightly below zero; callers measure it (backgroundStats).
 */

const PERCENTILE = 0.1;
const MAX_SAMPLES = 256;

/** Subtracts the estimated background from `img` (w × h) in place. */
export function subtractBackground(
  img: Float32Array,
  w: number,
  h: number,
  radiusPx: number,
): void {
  const bs = Math.max(2, Math.round(radiusPx));
  const gw = Math.ceil(w / bs);
  const gh = Math.ceil(h / bs);
  const grid = new Float32Array(gw * gh);
  const step = Math.max(1, Math.ceil(bs / Math.sqrt(MAX_SAMPLES)));
  const scratch = new Float32Array(Math.ceil(bs / step) ** 2);
  for (let by = 0; by < gh; by++) {
    for (let bx = 0; bx < gw; bx++) {
      let n = 0;
      for (let y = by * bs; y < Math.min(h, (by + 1) * bs); y += step) {
        for (let x = bx * bs; x < Math.min(w, (bx + 1) * bs); x += step)
          scratch[n++] = img[y * w + x] as number;
      }
      const part = scratch.subarray(0, n).sort();
      grid[by * gw + bx] = part[Math.floor(PERCENTILE * (n - 1))] as number;
    }
  }
  const ext = extend(grid, gw, gh);
  const ew = gw + 2;
  const eh = gh + 2;
  const opened = neighbourhood(neighbourhood(ext, ew, eh, Math.min), ew, eh, Math.max);

  // Bilinear between block centres, clamped outside the outer ones.
  const xi = new Int32Array(w);
  const xf = new Float32Array(w);
  axis(w, bs, gw, xi, xf);
  const yi = new Int32Array(h);
  const yf = new Float32Array(h);
  axis(h, bs, gh, yi, yf);
  const line = new Float32Array(gw + 1);
  for (let y = 0; y < h; y++) {
    const r0 = ((yi[y] as number) + 1) * ew + 1;
    const r1 = r0 + (gh > 1 ? ew : 0);
    const fy = yf[y] as number;
    for (let i = 0; i < gw; i++) {
      const a = opened[r0 + i] as number;
      line[i] = a + ((opened[r1 + i] as number) - a) * fy;
    }
    line[gw] = line[gw - 1] as number;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const i0 = xi[x] as number;
      const a = line[i0] as number;
      img[row + x] =
        (img[row + x] as number) - (a + ((line[i0 + 1] as number) - a) * (xf[x] as number));
    }
  }
}

/** Per pixel: the block centre at or before it and the fraction toward the next one. */
function axis(n: number, bs: number, blocks: number, idx: Int32Array, frac: Float32Array): void {
  const centre = (b: number) => (b * bs + Math.min(n, (b + 1) * bs)) / 2;
  for (let p = 0; p < n; p++) {
    const c = p + 0.5;
    let b = Math.min(blocks - 1, Math.floor(p / bs));
    if (c < centre(b) && b > 0) b--;
    if (b === blocks - 1 || c <= centre(b)) {
      idx[p] = b;
      frac[p] = 0;
      continue;
    }
    idx[p] = b;
    frac[p] = (c - centre(b)) / (centre(b + 1) - centre(b));
  }
}

/** The grid with one more cell on every side, copied from the nearest edge cell. */
function extend(g: Float32Array, gw: number, gh: number): Float32Array {
  const ew = gw + 2;
  const out = new Float32Array(ew * (gh + 2));
  for (let j = -1; j <= gh; j++) {
    const cj = Math.min(gh - 1, Math.max(0, j));
    for (let i = -1; i <= gw; i++) {
      out[(j + 1) * ew + (i + 1)] = g[cj * gw + Math.min(gw - 1, Math.max(0, i))] as number;
    }
  }
  return out;
}

/** 3 × 3 min or max over a grid (edges use the cells that exist). */
function neighbourhood(
  g: Float32Array,
  gw: number,
  gh: number,
  pick: (a: number, b: number) => number,
): Float32Array {
  const out = new Float32Array(gw * gh);
  for (let j = 0; j < gh; j++) {
    for (let i = 0; i < gw; i++) {
      let v = g[j * gw + i] as number;
      for (let dj = -1; dj <= 1; dj++) {
        const jj = j + dj;
        if (jj < 0 || jj >= gh) continue;
        for (let di = -1; di <= 1; di++) {
          const ii = i + di;
          if (ii >= 0 && ii < gw) v = pick(v, g[jj * gw + ii] as number);
        }
      }
      out[j * gw + i] = v;
    }
  }
  return out;
}
