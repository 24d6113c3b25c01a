/**
 * Splits regions made of touching round objects (cells that merged under smoothing), the
 * classic way: markers are maxima of the distance to the background (the objects' centres),
 * and each pixel goes to the marker it is nearest to after subtracting the marker's
 * distance (an additively weighted Voronoi cut, which falls at the neck between objects).
 *
 * A maximum becomes a marker only when it is at least MIN_RATIO × the region's strongest
 * marker, lies outside the inscribed disc of every stronger marker of its region, and the
 * distance map dips along the segment between them below NECK × the smaller of the two (a
 * real neck, not a bumpy outline of one elongated object). Distances are 3-4 chamfer
 * (within 8 % of Euclidean). Limits seen on the simulator: big dim cells whose outline is
 * ragged can still be cut in two or three (sparse cells, 24 e⁻ per emitter).
 */

const NECK = 0.7;
const MIN_RATIO = 0.6;

/**
 * Splits in place; labels 1..count become 1..newCount. `minRadiusPx`: maxima closer than
 * this to the background never become markers.
 */
export function splitTouching(
  labels: Int32Array,
  count: number,
  w: number,
  h: number,
  minRadiusPx: number,
): number {
  const dist = chamfer(labels, w, h);
  const candidates: { i: number; d: number; l: number }[] = [];
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const d = dist[i] as number;
      if (d < minRadiusPx) continue;
      let isMax = true;
      for (let dy = -1; dy <= 1 && isMax; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          if ((dist[i + dy * w + dx] as number) > d) {
            isMax = false;
            break;
          }
        }
      }
      if (isMax) candidates.push({ i, d, l: labels[i] as number });
    }
  }
  candidates.sort((a, b) => b.d - a.d);
  const markers = new Map<number, { x: number; y: number; d: number }[]>();
  for (const c of candidates) {
    const x = c.i % w;
    const y = Math.floor(c.i / w);
    const list = markers.get(c.l) ?? [];
    const strongest = list[0]?.d ?? c.d;
    const separate =
      c.d >= MIN_RATIO * strongest &&
      list.every(
        (m) =>
          Math.hypot(m.x - x, m.y - y) > m.d &&
          neckMin(dist, w, m, x, y) < NECK * Math.min(m.d, c.d),
      );
    if (separate) {
      list.push({ x, y, d: c.d });
      markers.set(c.l, list);
    }
  }
  const extra = new Map<number, number>(); // label → first new label of its other markers
  let next = count;
  for (const [l, list] of markers) {
    if (list.length < 2) continue;
    extra.set(l, next + 1);
    next += list.length - 1;
  }
  if (extra.size === 0) return count;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i] as number;
    const first = extra.get(l);
    if (first === undefined) continue;
    const list = markers.get(l) as { x: number; y: number; d: number }[];
    const x = i % w;
    const y = (i - x) / w;
    let best = 0;
    let bestCost = Infinity;
    list.forEach((m, k) => {
      const cost = Math.hypot(m.x - x, m.y - y) - m.d;
      if (cost < bestCost) {
        bestCost = cost;
        best = k;
      }
    });
    if (best > 0) labels[i] = first + best - 1;
  }
  return next;
}

/** Lowest distance on the segment from marker m to (x, y), sampled every pixel. */
function neckMin(
  dist: Float32Array,
  w: number,
  m: { x: number; y: number },
  x: number,
  y: number,
): number {
  const n = Math.ceil(Math.hypot(x - m.x, y - m.y));
  let low = Infinity;
  for (let k = 0; k <= n; k++) {
    const px = Math.round(m.x + ((x - m.x) * k) / n);
    const py = Math.round(m.y + ((y - m.y) * k) / n);
    low = Math.min(low, dist[py * w + px] as number);
  }
  return low;
}

/** Distance (px) of every labelled pixel to the nearest unlabelled one or the frame edge. */
function chamfer(labels: Int32Array, w: number, h: number): Float32Array {
  const d = new Float32Array(w * h);
  const big = w + h;
  for (let i = 0; i < d.length; i++) d[i] = labels[i] === 0 ? 0 : big;
  const A = 1; // orthogonal step (3-4 chamfer, scaled by 1/3)
  const B = 4 / 3;
  const at = (x: number, y: number) =>
    x < 0 || y < 0 || x >= w || y >= h ? 0 : (d[y * w + x] as number);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (d[i] === 0) continue;
      d[i] = Math.min(
        d[i] as number,
        at(x - 1, y) + A,
        at(x, y - 1) + A,
        at(x - 1, y - 1) + B,
        at(x + 1, y - 1) + B,
      );
    }
  }
  for (let y = h - 1; y >= 0; y--) {
    for (let x = w - 1; x >= 0; x--) {
      const i = y * w + x;
      if (d[i] === 0) continue;
      d[i] = Math.min(
        d[i] as number,
        at(x + 1, y) + A,
        at(x, y + 1) + A,
        at(x + 1, y + 1) + B,
        at(x - 1, y + 1) + B,
      );
    }
  }
  return d;
}
