/**
 * Background subtraction by a coarse morphological opening, a fast stand-in for a rolling
 * ball: the frame is cut into square blocks of `radiusPx`; each block's minimum is eroded
 * (3 × 3 block minimum) then dilated (3 × 3 block maximum), and the result is interpolated
 * bilinearly between block centres and subtracted. Objects narrower than about two blocks
 * are removed from the estimate; smooth illumination gradients are kept in it. Run it on a
 * smoothed frame: the minimum of raw noise sits several sigma below the true level (the
 * offset is uniform, so thresholds absorb what remains).
 */

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
  const grid = new Float32Array(gw * gh).fill(Infinity);
  for (let y = 0; y < h; y++) {
    const g = Math.floor(y / bs) * gw;
    const row = y * w;
    for (let bx = 0; bx < gw; bx++) {
      const end = row + Math.min(w, (bx + 1) * bs);
      let m = grid[g + bx] as number;
      for (let i = row + bx * bs; i < end; i++) {
        const v = img[i] as number;
        if (v < m) m = v;
      }
      grid[g + bx] = m;
    }
  }
  // The grid is extended by one extrapolated cell a side, so a gradient survives the
  // opening up to the frame edges.
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

/** The grid with one more cell on every side, linearly extrapolated from the two inner ones. */
function extend(g: Float32Array, gw: number, gh: number): Float32Array {
  const ew = gw + 2;
  const out = new Float32Array(ew * (gh + 2));
  const at = (i: number, j: number) =>
    g[Math.min(gh - 1, Math.max(0, j)) * gw + Math.min(gw - 1, Math.max(0, i))] as number;
  const lin = (edge: number, inner: number, n: number) => (n > 1 ? 2 * edge - inner : edge);
  for (let j = -1; j <= gh; j++) {
    for (let i = -1; i <= gw; i++) {
      const ci = Math.min(gw - 1, Math.max(0, i));
      const cj = Math.min(gh - 1, Math.max(0, j));
      let v = at(ci, cj);
      if (i < 0) v += lin(at(0, cj), at(1, cj), gw) - at(0, cj);
      if (i >= gw) v += lin(at(gw - 1, cj), at(gw - 2, cj), gw) - at(gw - 1, cj);
      if (j < 0) v += lin(at(ci, 0), at(ci, 1), gh) - at(ci, 0);
      if (j >= gh) v += lin(at(ci, gh - 1), at(ci, gh - 2), gh) - at(ci, gh - 1);
      out[(j + 1) * ew + (i + 1)] = v;
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
