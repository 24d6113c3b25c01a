/** Image measurements shared by the simulator tests. */

export function mean(px: Uint16Array): number {
  let s = 0;
  for (const v of px) s += v;
  return s / px.length;
}

export function std(px: Uint16Array): number {
  const m = mean(px);
  let s = 0;
  for (const v of px) s += (v - m) * (v - m);
  return Math.sqrt(s / px.length);
}

/** Sum of (pixel − offset) over the frame: total signal in ADU. */
export function signalAdu(px: Uint16Array, offsetAdu: number): number {
  let s = 0;
  for (const v of px) s += v - offsetAdu;
  return s;
}

/** RMS radius (px) of the background-subtracted light in a (2r+1)² window around (cx, cy). */
export function rmsRadiusPx(
  px: Uint16Array,
  widthPx: number,
  cx: number,
  cy: number,
  r: number,
  offsetAdu: number,
): number {
  let w = 0;
  let m2 = 0;
  for (let y = cy - r; y <= cy + r; y++) {
    for (let x = cx - r; x <= cx + r; x++) {
      const v = Math.max(0, (px[y * widthPx + x] ?? 0) - offsetAdu);
      w += v;
      m2 += v * ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2);
    }
  }
  return Math.sqrt(m2 / w);
}

/** Sum of squared differences of horizontal neighbours: falls as the image blurs. */
export function gradientEnergy(px: Uint16Array, widthPx: number): number {
  let s = 0;
  for (let i = 0; i + 1 < px.length; i++) {
    if ((i + 1) % widthPx === 0) continue;
    const d = (px[i + 1] ?? 0) - (px[i] ?? 0);
    s += d * d;
  }
  return s;
}

/** Offset-subtracted projection of the image on the x (axis 0) or y (axis 1) axis. */
export function projection(
  px: Uint16Array,
  widthPx: number,
  heightPx: number,
  axis: 0 | 1,
  offsetAdu: number,
): Float64Array {
  const out = new Float64Array(axis === 0 ? widthPx : heightPx);
  for (let y = 0; y < heightPx; y++) {
    for (let x = 0; x < widthPx; x++) {
      const i = axis === 0 ? x : y;
      out[i] = (out[i] ?? 0) + (px[y * widthPx + x] ?? 0) - offsetAdu;
    }
  }
  return out;
}

/** Shift s (px) maximising Σ a[i]·b[i+s]: content of `a` appears at i+s in `b`. */
export function bestShift(a: Float64Array, b: Float64Array, maxShift: number): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let s = -maxShift; s <= maxShift; s++) {
    let score = 0;
    for (let i = 0; i < a.length; i++) {
      const j = i + s;
      if (j >= 0 && j < b.length) score += (a[i] ?? 0) * (b[j] ?? 0);
    }
    if (score > bestScore) {
      bestScore = score;
      best = s;
    }
  }
  return best;
}

/**
 * Horizontal autocorrelation half-width (px): the first lag at which the mean-subtracted
 * image correlates with its shifted self at less than half of lag 0. Grows with spot size.
 */
export function autocorrelationHalfWidthPx(
  px: Uint16Array,
  widthPx: number,
  heightPx: number,
  maxLag: number,
): number {
  const m = mean(px);
  const acf = (k: number) => {
    let s = 0;
    for (let y = 0; y < heightPx; y++) {
      const row = y * widthPx;
      for (let x = 0; x + k < widthPx; x++) {
        s += ((px[row + x] ?? 0) - m) * ((px[row + x + k] ?? 0) - m);
      }
    }
    return s;
  };
  const a0 = acf(0);
  for (let k = 1; k <= maxLag; k++) if (acf(k) < 0.5 * a0) return k;
  return maxLag + 1;
}
