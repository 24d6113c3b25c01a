/**
 * Edits of a plan outline's ring made on the map (issue #17): move, insert or delete one
 * vertex, or move the whole ring. Each result is checked with the host's own polygon rule
 * (electron/api/shared/polygon.ts) so a refused edit says why, while it is being dragged.
 * A polygon with an offset or convex hull is edited by its own vertices (the plan's), its
 * outline derived from them again (the host's gridPolygonRing). Rings are open (no repeated
 * closing vertex), (x, y) stage µm. Pure.
 */
import type { GridOutlineView } from '../../electron/api/contract';
import { gridPolygonRing, polygonProblem, type Pt } from '../../electron/api/shared/polygon';

export type RingEdit =
  | { op: 'move'; index: number; xUm: number; yUm: number }
  /** The new vertex takes place `index` (on the edge from vertex index − 1 to the old index). */
  | { op: 'insert'; index: number; xUm: number; yUm: number }
  | { op: 'delete'; index: number }
  | { op: 'translate'; dxUm: number; dyUm: number };

export type RingOutcome =
  | { ok: true; ring: Pt[] }
  /** `missing`: the edit names a vertex or edge the ring does not have. */
  | { ok: false; reason: string; missing?: true };

/** `ring` with `e` applied, unchecked; null when `e` names a vertex or edge it lacks. */
export function ringWith(ring: readonly Pt[], e: RingEdit): Pt[] | null {
  const n = ring.length;
  switch (e.op) {
    case 'translate':
      return ring.map(([x, y]): Pt => [x + e.dxUm, y + e.dyUm]);
    case 'move':
      if (e.index < 0 || e.index >= n) return null;
      return ring.map((p, i): Pt => (i === e.index ? [e.xUm, e.yUm] : [p[0], p[1]]));
    case 'insert':
      if (e.index < 0 || e.index > n) return null;
      return [...ring.slice(0, e.index), [e.xUm, e.yUm], ...ring.slice(e.index)];
    case 'delete':
      if (e.index < 0 || e.index >= n) return null;
      return ring.filter((_, i) => i !== e.index);
  }
}

/** `ring` with `e` applied, or why the result would not be a valid polygon. */
export function editRing(ring: readonly Pt[], e: RingEdit): RingOutcome {
  const out = ringWith(ring, e);
  if (!out) {
    const what = e.op === 'insert' ? 'edge before vertex' : 'vertex';
    return { ok: false, reason: `no ${what} ${'index' in e ? e.index + 1 : ''}`, missing: true };
  }
  const problem = polygonProblem(out);
  return problem ? { ok: false, reason: problem } : { ok: true, ring: out };
}

/** Midpoint of edge `j` (vertex j to vertex j + 1, wrapping). */
export function edgeMidpoint(ring: readonly Pt[], j: number): Pt {
  const a = ring[j]!;
  const b = ring[(j + 1) % ring.length]!;
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}

/** Mean of the vertices: where the ring's move handle sits. */
export function ringCentre(ring: readonly Pt[]): Pt {
  const sx = ring.reduce((s, p) => s + p[0], 0);
  const sy = ring.reduce((s, p) => s + p[1], 0);
  return [sx / ring.length, sy / ring.length];
}

/** What part of an outline a drag holds, by outline index. */
export type OutlinePart =
  | { outline: number; part: 'vertex'; index: number }
  | { outline: number; part: 'edge'; index: number }
  | { outline: number; part: 'body' };

/**
 * The edit a drag of `key` by (dx, dy) µm makes of `ring`: a vertex moves, an edge's
 * midpoint handle becomes a new vertex after edge's first vertex, the body moves the ring.
 */
export function dragEdit(
  ring: readonly Pt[],
  key: OutlinePart,
  dxUm: number,
  dyUm: number,
): RingEdit {
  if (key.part === 'body') return { op: 'translate', dxUm, dyUm };
  if (key.part === 'vertex') {
    const v = ring[key.index]!;
    return { op: 'move', index: key.index, xUm: v[0] + dxUm, yUm: v[1] + dyUm };
  }
  const m = edgeMidpoint(ring, key.index);
  return { op: 'insert', index: key.index + 1, xUm: m[0] + dxUm, yUm: m[1] + dyUm };
}

/**
 * The ring the map edits vertex by vertex: the plan's own vertices (an outline's `source`, or
 * the outline itself when it is them); null when it has none (an edge grid: moved whole).
 */
export function ownRing(o: GridOutlineView): Pt[] | null {
  if (o.source) return o.source.verticesUm;
  return o.editable ? o.verticesUm : null;
}

/** The outline drawn for the own ring `ring` of `o` (derived again when `o` has a source). */
export function outlineOf(o: GridOutlineView, ring: Pt[]): Pt[] {
  const s = o.source;
  return s ? gridPolygonRing(ring, s.offsetUm, s.convexHull) : ring;
}
