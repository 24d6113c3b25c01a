/**
 * The outlines of a plan's absolute grid plans (useq `GridFromPolygon`, `GridFromEdges`) in
 * stage µm, for the navigator's map (issue #17). Both are absolute in useq (their points
 * replace the position's x/y), so the outline is the grid's own geometry whatever position
 * carries it: a polygon's processed ring (offset, then convex hull: `polygonOf`, the ring
 * its tiles are kept against) and, for edges, the rectangle that bounds the images.
 * Relative grids have no outline of their own here (their tiles are drawn).
 */
import { polygonOf } from './grid-plan';
import { openRing, type Pt } from '../api/shared/polygon';
import type { GridPlan, MdaSequence } from './types';

export interface GridOutline {
  kind: 'polygon' | 'edges';
  /**
   * Where the grid plan sits: null for the sequence's own `grid_plan`, else the index of the
   * stage position whose sub-sequence carries it.
   */
  position: number | null;
  /** The outline's vertices, (x, y) stage µm, an open ring. */
  verticesUm: Pt[];
  /**
   * The outline's vertices are the plan's own `vertices` in order (a polygon without offset or
   * convex hull), so vertex j of the outline can be edited as the plan's vertex j.
   */
  editable: boolean;
  /**
   * A polygon with an offset or convex hull: the plan's own vertices and how the outline
   * derives from them (gridPolygonRing), so they can be edited while the outline follows.
   */
  source?: { verticesUm: Pt[]; offsetUm: number | null; convexHull: boolean };
}

type OwnOutline = Omit<GridOutline, 'position'>;

function outlineOf(plan: GridPlan): OwnOutline | null {
  if (plan.kind === 'from_polygon') {
    const editable = !plan.convex_hull && !plan.offset;
    return {
      kind: 'polygon',
      verticesUm: polygonOf(plan),
      editable,
      ...(editable
        ? {}
        : {
            source: {
              verticesUm: openRing(plan.vertices),
              offsetUm: plan.offset,
              convexHull: plan.convex_hull,
            },
          }),
    };
  }
  if (plan.kind !== 'from_edges') return null;
  const { left, right, top, bottom } = plan;
  return {
    kind: 'edges',
    verticesUm: [
      [left, top],
      [right, top],
      [right, bottom],
      [left, bottom],
    ],
    editable: false,
  };
}

/** The sequence's absolute grid outlines: its own grid plan first, then its positions' in order. */
export function gridOutlines(seq: MdaSequence): GridOutline[] {
  const out: GridOutline[] = [];
  const own = seq.grid_plan && outlineOf(seq.grid_plan);
  if (own) out.push({ ...own, position: null });
  seq.stage_positions.forEach((p, i) => {
    const plan = p.sequence?.grid_plan;
    const o = plan && outlineOf(plan);
    if (o) out.push({ ...o, position: i });
  });
  return out;
}
