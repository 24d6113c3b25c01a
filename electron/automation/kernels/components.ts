/**
 * Connected components (8-connectivity) of the pixels of a float image above a threshold:
 * a raster pass with union-find, a pass that compacts the labels, a pass that measures
 * them; no per-pixel allocations, one Int32 label image. Pixel (i, j) is centred at (i, j) (electron/automation/pixel-to-stage.ts);
 * centroids are weighted by the value above the threshold (sub-pixel, and barely moved by
 * which rim pixels happen to pass it).
 */

export interface Component {
  areaPx: number;
  /** Σ max(value, 0) over the component's pixels. */
  integrated: number;
  xPx: number;
  yPx: number;
  /** Inclusive-exclusive pixel bounds. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Pixel edges shared with background or the frame border (4-neighbour exposure). */
  exposedEdges: number;
  /** Highest value in the component. */
  peak: number;
}

const STRIDE = 11; // area, integrated, Σwx, Σwy, x0, y0, x1, y1, edges, Σw, peak

/** Labels (1..count, 0 = background) of the 8-connected regions above the threshold. */
export function labelImage(
  img: Float32Array,
  w: number,
  h: number,
  threshold: number,
): { labels: Int32Array; count: number } {
  const labels = new Int32Array(w * h);
  let parent = new Int32Array(1 << 16);
  let next = 1;
  const find = (a: number): number => {
    let r = a;
    while ((parent[r] as number) !== r) r = parent[r] as number;
    while ((parent[a] as number) !== r) {
      const up = parent[a] as number;
      parent[a] = r;
      a = up;
    }
    return r;
  };
  const union = (a: number, b: number): number => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return ra;
    const [lo, hi] = ra < rb ? [ra, rb] : [rb, ra];
    parent[hi] = lo;
    return lo;
  };

  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      if (!((img[i] as number) > threshold)) continue;
      let l = 0;
      if (y > 0) l = labels[i - w] as number; // N: W, NW and NE are already joined to it
      if (l === 0) {
        const west = x > 0 ? (labels[i - 1] as number) : 0;
        const nw = x > 0 && y > 0 ? (labels[i - w - 1] as number) : 0;
        const ne = x + 1 < w && y > 0 ? (labels[i - w + 1] as number) : 0;
        const left = west || nw;
        if (left && ne) l = union(left, ne);
        else l = left || ne;
      }
      if (l === 0) {
        if (next === parent.length) {
          const grown = new Int32Array(parent.length * 2);
          grown.set(parent);
          parent = grown;
        }
        parent[next] = next;
        l = next++;
      }
      labels[i] = l;
    }
  }
  // Compact: every region gets the next number in raster order.
  const compact = new Int32Array(next);
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i] as number;
    if (l === 0) continue;
    const root = find(l);
    if (compact[root] === 0) compact[root] = ++count;
    labels[i] = compact[root] as number;
  }
  return { labels, count };
}

/**
 * Measures labelled regions (1..count). A pixel edge is exposed where the neighbour has
 * another label (background, a split-off neighbour) or lies outside the frame.
 */
export function measureComponents(
  img: Float32Array,
  w: number,
  h: number,
  labels: Int32Array,
  count: number,
  threshold: number,
): Component[] {
  const stats = new Float64Array(STRIDE * (count + 1));
  for (let s = 1; s <= count; s++) {
    const o = s * STRIDE;
    stats[o + 4] = Infinity;
    stats[o + 5] = Infinity;
    stats[o + 10] = -Infinity;
  }
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      const l = labels[i] as number;
      if (l === 0) continue;
      const o = l * STRIDE;
      const v = img[i] as number;
      const wc = v - threshold;
      stats[o] = (stats[o] as number) + 1;
      stats[o + 1] = (stats[o + 1] as number) + (v > 0 ? v : 0);
      stats[o + 2] = (stats[o + 2] as number) + wc * x;
      stats[o + 3] = (stats[o + 3] as number) + wc * y;
      if (x < (stats[o + 4] as number)) stats[o + 4] = x;
      if (y < (stats[o + 5] as number)) stats[o + 5] = y;
      if (x + 1 > (stats[o + 6] as number)) stats[o + 6] = x + 1;
      if (y + 1 > (stats[o + 7] as number)) stats[o + 7] = y + 1;
      let edges = 0;
      if (x === 0 || labels[i - 1] !== l) edges++;
      if (x === w - 1 || labels[i + 1] !== l) edges++;
      if (y === 0 || labels[i - w] !== l) edges++;
      if (y === h - 1 || labels[i + w] !== l) edges++;
      stats[o + 8] = (stats[o + 8] as number) + edges;
      stats[o + 9] = (stats[o + 9] as number) + wc;
      if (v > (stats[o + 10] as number)) stats[o + 10] = v;
    }
  }
  const out: Component[] = [];
  for (let s = 1; s <= count; s++) {
    const o = s * STRIDE;
    const area = stats[o] as number;
    if (area === 0) continue;
    const integrated = stats[o + 1] as number;
    const weight = stats[o + 9] as number;
    const x0 = stats[o + 4] as number;
    const y0 = stats[o + 5] as number;
    const x1 = stats[o + 6] as number;
    const y1 = stats[o + 7] as number;
    out.push({
      areaPx: area,
      integrated,
      xPx: weight > 0 ? (stats[o + 2] as number) / weight : (x0 + x1 - 1) / 2,
      yPx: weight > 0 ? (stats[o + 3] as number) / weight : (y0 + y1 - 1) / 2,
      x0,
      y0,
      x1,
      y1,
      exposedEdges: stats[o + 8] as number,
      peak: stats[o + 10] as number,
    });
  }
  return out;
}

export function labelComponents(
  img: Float32Array,
  w: number,
  h: number,
  threshold: number,
): Component[] {
  const { labels, count } = labelImage(img, w, h, threshold);
  return measureComponents(img, w, h, labels, count, threshold);
}
