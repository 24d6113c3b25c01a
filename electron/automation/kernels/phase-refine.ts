/**
 * Sub-pixel refinement for phase-correlation.ts: the correlation surface of a low-frequency
 * band of the cross-power spectrum, evaluated directly (not by an inverse FFT) at the few
 * points a parabolic peak fit needs.
 */

export interface Band {
  /** Half-widths: u in [−U, U), v in [−V, V). */
  u: number;
  v: number;
  re: Float64Array;
  im: Float64Array;
}

/**
 * The low-frequency quarter of the (unwhitened) cross-power, tapered, indexed
 * [(v + V)·2U + (u + U)]: its correlation surface weighs each frequency by its signal, so
 * the peak is smooth where whitened noise would make it ragged.
 */
export function lowBand(re: Float64Array, im: Float64Array, w: number, h: number): Band {
  const U = Math.max(1, w / 4);
  const V = Math.max(1, h / 4);
  const out: Band = {
    u: U,
    v: V,
    re: new Float64Array(4 * U * V),
    im: new Float64Array(4 * U * V),
  };
  for (let v = -V; v < V; v++) {
    const tv = 0.5 + 0.5 * Math.cos((Math.PI * v) / V);
    const row = ((v + h) % h) * w;
    for (let u = -U; u < U; u++) {
      const t = tv * (0.5 + 0.5 * Math.cos((Math.PI * u) / U));
      const k = (v + V) * 2 * U + (u + U);
      out.re[k] = t * (re[row + ((u + w) % w)] as number);
      out.im[k] = t * (im[row + ((u + w) % w)] as number);
    }
  }
  return out;
}

/** One parabolic step on a 3 × 3 grid of the band-limited correlation around (x, y). */
export function refine(
  b: Band,
  w: number,
  h: number,
  x: number,
  y: number,
  step: number,
): [number, number] {
  const xs = [x - step, x, x + step];
  const ys = [y - step, y, y + step];
  const c = surface(b, w, h, xs, ys);
  const at = (i: number, j: number) => c[j * 3 + i] as number;
  return [
    x + vertex(at(0, 1), at(1, 1), at(2, 1), step),
    y + vertex(at(1, 0), at(1, 1), at(1, 2), step),
  ];
}

/** Offset of a parabola's vertex through (−s, a), (0, b), (s, c), limited to ±s. */
function vertex(a: number, b: number, c: number, s: number): number {
  const den = a - 2 * b + c;
  if (!(den < 0)) return a > c ? -s : c > a ? s : 0;
  return Math.max(-s, Math.min(s, (s * (a - c)) / (2 * den)));
}

/** Re Σ S(u, v)·e^{2πi(u·x/w + v·y/h)} at every (xs[i], ys[j]), as c[j·nx + i]. */
function surface(b: Band, w: number, h: number, xs: number[], ys: number[]): Float64Array {
  const U2 = 2 * b.u;
  const V2 = 2 * b.v;
  const nx = xs.length;
  const ex = xs.map((x) => phasors(-b.u, U2, x / w));
  const tRe = new Float64Array(nx * V2);
  const tIm = new Float64Array(nx * V2);
  for (let r = 0; r < V2; r++) {
    const o = r * U2;
    for (let k = 0; k < nx; k++) {
      const [cr, ci] = ex[k] as [Float64Array, Float64Array];
      let sr = 0;
      let si = 0;
      for (let u = 0; u < U2; u++) {
        const a = b.re[o + u] as number;
        const c = b.im[o + u] as number;
        const pr = cr[u] as number;
        const pi = ci[u] as number;
        sr += a * pr - c * pi;
        si += a * pi + c * pr;
      }
      tRe[k * V2 + r] = sr;
      tIm[k * V2 + r] = si;
    }
  }
  const out = new Float64Array(nx * ys.length);
  ys.forEach((y, j) => {
    const [cr, ci] = phasors(-b.v, V2, y / h);
    for (let k = 0; k < nx; k++) {
      let s = 0;
      for (let r = 0; r < V2; r++) {
        s +=
          (tRe[k * V2 + r] as number) * (cr[r] as number) -
          (tIm[k * V2 + r] as number) * (ci[r] as number);
      }
      out[j * nx + k] = s;
    }
  });
  return out;
}

/** e^{2πi·f·(first + n)} for n in [0, count), as cos and sin arrays. */
function phasors(first: number, count: number, f: number): [Float64Array, Float64Array] {
  const c = new Float64Array(count);
  const s = new Float64Array(count);
  for (let n = 0; n < count; n++) {
    const a = 2 * Math.PI * f * (first + n);
    c[n] = Math.cos(a);
    s[n] = Math.sin(a);
  }
  return [c, s];
}
