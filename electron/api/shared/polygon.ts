/**
 * Plane geometry for useq-schema `GridFromPolygon` (which uses shapely): polygon validity,
 * convex hull, outward/inward offset with mitred corners, bounds, and the closed-set
 * polygon ∩ rectangle test that decides which tiles are kept. Points are (x, y) µm.
 *
 * Offset quirk: shapely's buffer limits mitres to 5× the offset and bevels beyond that,
 * and can split a polygon eroded past its narrowest part; we mitre every corner and do not
 * split, so only very sharp corners (< ~23°) or such erosions differ.
 *
 * Pure, no imports: the host expands plans with it and the navigator checks a dragged vertex.
 */
export type Pt = [number, number];

const cross = (o: Pt, a: Pt, b: Pt) =>
  (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

function onSegment(p: Pt, a: Pt, b: Pt): boolean {
  return (
    Math.min(a[0], b[0]) <= p[0] &&
    p[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= p[1] &&
    p[1] <= Math.max(a[1], b[1])
  );
}

/** Closed segments a–b and c–d share at least one point. */
export function segmentsIntersect(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
    return true;
  return (
    (d1 === 0 && onSegment(a, c, d)) ||
    (d2 === 0 && onSegment(b, c, d)) ||
    (d3 === 0 && onSegment(c, a, b)) ||
    (d4 === 0 && onSegment(d, a, b))
  );
}

const edges = (poly: Pt[]): [Pt, Pt][] => poly.map((p, i) => [p, poly[(i + 1) % poly.length]!]);

/** Drops a repeated closing vertex. */
export function openRing(poly: Pt[]): Pt[] {
  const first = poly[0];
  const last = poly[poly.length - 1];
  if (poly.length > 3 && first && last && first[0] === last[0] && first[1] === last[1])
    return poly.slice(0, -1);
  return poly;
}

export function signedArea(poly: Pt[]): number {
  let a = 0;
  for (const [p, q] of edges(poly)) a += p[0] * q[1] - q[0] * p[1];
  return a / 2;
}

/**
 * Why `poly` is not a simple polygon with non-zero area (what shapely calls valid for a
 * hole-free ring), or null when it is one.
 */
export function polygonProblem(poly: Pt[]): string | null {
  const ring = openRing(poly);
  const n = ring.length;
  if (n < 3) return `a polygon needs at least 3 vertices (it would have ${n})`;
  const es = edges(ring);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const adjacent = j === i + 1 || (i === 0 && j === n - 1);
      if (adjacent) continue;
      if (segmentsIntersect(es[i]![0], es[i]![1], es[j]![0], es[j]![1]))
        return `the polygon's edges would cross (edges ${i + 1} and ${j + 1})`;
    }
  }
  if (signedArea(ring) === 0) return 'the polygon would have no area';
  return null;
}

export function isValidPolygon(poly: Pt[]): boolean {
  return polygonProblem(poly) === null;
}

/** Closed point-in-polygon: boundary points count as inside. */
export function containsPoint(poly: Pt[], p: Pt): boolean {
  let inside = false;
  for (const [a, b] of edges(poly)) {
    if (cross(a, b, p) === 0 && onSegment(p, a, b)) return true;
    if (a[1] > p[1] !== b[1] > p[1]) {
      const x = a[0] + ((p[1] - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
      if (p[0] < x) inside = !inside;
    }
  }
  return inside;
}

export function convexHull(poly: Pt[]): Pt[] {
  const pts = [...poly].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const half = (list: Pt[]) => {
    const h: Pt[] = [];
    for (const p of list) {
      while (h.length >= 2 && cross(h[h.length - 2]!, h[h.length - 1]!, p) <= 0) h.pop();
      h.push(p);
    }
    h.pop();
    return h;
  };
  return [...half(pts), ...half([...pts].reverse())];
}

/**
 * A useq `GridFromPolygon`'s processed ring from its own vertices: the open ring, offset by
 * `offsetUm` (null or 0: none), then its convex hull when asked — the ring its tiles are
 * kept against (the host's expansion) and the outline the navigator draws while the
 * operator's vertices are dragged.
 */
export function gridPolygonRing(vertices: Pt[], offsetUm: number | null, hull: boolean): Pt[] {
  let poly = openRing(vertices);
  if (offsetUm !== null && offsetUm !== 0) poly = offsetPolygon(poly, offsetUm);
  return hull ? convexHull(poly) : poly;
}

/** Moves every edge `distanceUm` outward (negative: inward) and joins neighbours at their mitre point. */
export function offsetPolygon(poly: Pt[], distanceUm: number): Pt[] {
  const ring = openRing(poly);
  const ccw = signedArea(ring) > 0 ? 1 : -1;
  const lines = edges(ring).map(([a, b]) => {
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    // Outward normal of a counter-clockwise ring is (dy, −dx).
    const nx = ((b[1] - a[1]) / len) * ccw * distanceUm;
    const ny = (-(b[0] - a[0]) / len) * ccw * distanceUm;
    return [
      [a[0] + nx, a[1] + ny],
      [b[0] + nx, b[1] + ny],
    ] as [Pt, Pt];
  });
  return lines.map((cur, i) => {
    const prev = lines[(i - 1 + lines.length) % lines.length]!;
    const [p1, p2] = prev;
    const [p3, p4] = cur;
    const den = (p1[0] - p2[0]) * (p3[1] - p4[1]) - (p1[1] - p2[1]) * (p3[0] - p4[0]);
    if (Math.abs(den) < 1e-12) return p3;
    const t = ((p1[0] - p3[0]) * (p3[1] - p4[1]) - (p1[1] - p3[1]) * (p3[0] - p4[0])) / den;
    return [p1[0] + t * (p2[0] - p1[0]), p1[1] + t * (p2[1] - p1[1])] as Pt;
  });
}

export function bounds(poly: Pt[]): { minX: number; minY: number; maxX: number; maxY: number } {
  const xs = poly.map((p) => p[0]);
  const ys = poly.map((p) => p[1]);
  return {
    minX: Math.min(...xs),
    minY: Math.min(...ys),
    maxX: Math.max(...xs),
    maxY: Math.max(...ys),
  };
}

/** Closed polygon and closed axis-aligned rectangle share at least one point. */
export function intersectsRect(
  poly: Pt[],
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): boolean {
  const rect: Pt[] = [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
  ];
  if (poly.some((p) => p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1)) return true;
  if (rect.some((c) => containsPoint(poly, c))) return true;
  for (const [a, b] of edges(poly))
    for (const [c, d] of edges(rect)) if (segmentsIntersect(a, b, c, d)) return true;
  return false;
}
