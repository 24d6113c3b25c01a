/**
 * Visiting orders for random points (useq-schema `TraversalOrder`): greedy nearest
 * neighbour, or 2-opt improvement of the closed tour until an improvement round gains
 * less than 5 %. Both return indices into `points`; ≤ 2 points are left as they are.
 */
export type Point = [number, number];

const dist = (a: Point, b: Point) => Math.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2);

export function nearestNeighborOrder(points: Point[], startAt: number): number[] {
  const n = points.length;
  const visited = new Array<boolean>(n).fill(false);
  const order = [startAt];
  visited[startAt] = true;
  for (let i = 1; i < n; i++) {
    const last = points[order[i - 1]!]!;
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < n; j++) {
      // useq adds 1e9 to visited points' distances rather than excluding them.
      const d = dist(points[j]!, last) + (visited[j] ? 1e9 : 0);
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    order.push(best);
    visited[best] = true;
  }
  return order;
}

export function twoOptOrder(points: Point[], startAt: number, threshold = 0.05): number[] {
  const n = points.length;
  const route = Array.from({ length: n }, (_, i) => (i + startAt) % n);
  const d = points.map((a) => points.map((b) => dist(a, b)));
  let best = 0;
  for (let i = 0; i < n; i++) best += dist(points[route[i]!]!, points[route[(i - 1 + n) % n]!]!);
  let improvement = 1;
  while (improvement > threshold) {
    const toBeat = best;
    for (let i = 1; i < n - 2; i++) {
      for (let k = i + 1; k < n; k++) {
        const ri = route[i]!;
        const ri1 = route[i - 1]!;
        const rk = route[k]!;
        const y = route[(k + 1) % n]!;
        const before = d[ri1]![ri]! + d[rk]![y]!;
        const after = d[ri1]![rk]! + d[ri]![y]!;
        if (after < before) {
          const seg = route.slice(i, k + 1).reverse();
          route.splice(i, seg.length, ...seg);
          best = best - before + after;
        }
      }
    }
    improvement = 1 - best / toBeat;
  }
  return route;
}

export function orderPoints(
  points: Point[],
  order: 'nearest_neighbor' | 'two_opt' | 'random',
  startAt: number,
  random: () => number,
): Point[] {
  if (points.length <= 2) return points;
  const start = Math.min(startAt, points.length - 1);
  let idx: number[];
  if (order === 'nearest_neighbor') idx = nearestNeighborOrder(points, start);
  else if (order === 'two_opt') idx = twoOptOrder(points, start);
  else {
    // useq uses numpy's global generator here, so this order is never reproducible.
    idx = points.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
  }
  return idx.map((i) => points[i]!);
}
