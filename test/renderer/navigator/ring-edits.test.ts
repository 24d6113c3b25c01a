import { describe, expect, it } from 'vitest';
import { polygonProblem, type Pt } from '../../../electron/api/shared/polygon';
import { gridOutlines } from '../../../electron/plans/grid-outlines';
import { parsePlan } from '../../../electron/plans/load';
import { applyOutlineEdits } from '../../../renderer/navigator/plan-edits';
import {
  dragEdit,
  edgeMidpoint,
  editRing,
  outlineOf,
  ownRing,
  ringCentre,
  ringWith,
} from '../../../renderer/navigator/ring-edits';

const square: Pt[] = [
  [0, 0],
  [100, 0],
  [100, 100],
  [0, 100],
];

describe('polygon edits on the map', () => {
  it("the host's rule says why a ring is not a polygon", () => {
    expect(polygonProblem(square)).toBeNull();
    expect(polygonProblem(square.slice(0, 2))).toBe(
      'a polygon needs at least 3 vertices (it would have 2)',
    );
    expect(
      polygonProblem([
        [0, 0],
        [50, 0],
        [100, 0],
      ]),
    ).toBe('the polygon would have no area');
    // A bow tie: edges 1 and 3 cross (its signed area is 0 too; the crossing is named).
    expect(
      polygonProblem([
        [0, 0],
        [100, 100],
        [100, 0],
        [0, 100],
      ]),
    ).toBe("the polygon's edges would cross (edges 1 and 3)");
    // A closed ring (first vertex repeated) is the same polygon.
    expect(polygonProblem([...square, [0, 0]])).toBeNull();
  });

  it('move, insert, delete and translate give the expected rings', () => {
    expect(editRing(square, { op: 'move', index: 2, xUm: 120, yUm: 130 })).toEqual({
      ok: true,
      ring: [
        [0, 0],
        [100, 0],
        [120, 130],
        [0, 100],
      ],
    });
    expect(editRing(square, { op: 'insert', index: 1, xUm: 50, yUm: -20 })).toEqual({
      ok: true,
      ring: [
        [0, 0],
        [50, -20],
        [100, 0],
        [100, 100],
        [0, 100],
      ],
    });
    // Inserting at the end goes on the closing edge (last vertex → first).
    expect(ringWith(square, { op: 'insert', index: 4, xUm: -20, yUm: 50 })!.at(-1)).toEqual([
      -20, 50,
    ]);
    expect(editRing(square, { op: 'delete', index: 3 })).toEqual({
      ok: true,
      ring: square.slice(0, 3),
    });
    expect(editRing(square, { op: 'translate', dxUm: -10, dyUm: 5 })).toEqual({
      ok: true,
      ring: [
        [-10, 5],
        [90, 5],
        [90, 105],
        [-10, 105],
      ],
    });
  });

  it('refuses what would not be a valid polygon, or a vertex that is not there', () => {
    // Vertex 0 dragged past the right edge: edges cross.
    expect(editRing(square, { op: 'move', index: 0, xUm: 150, yUm: 50 })).toEqual({
      ok: false,
      reason: "the polygon's edges would cross (edges 2 and 4)",
    });
    // A vertex inserted across the square makes the ring cross itself.
    expect(editRing(square, { op: 'insert', index: 1, xUm: 50, yUm: 150 }).ok).toBe(false);
    const tri = square.slice(0, 3);
    expect(editRing(tri, { op: 'delete', index: 0 })).toEqual({
      ok: false,
      reason: 'a polygon needs at least 3 vertices (it would have 2)',
    });
    expect(editRing(square, { op: 'delete', index: 4 })).toMatchObject({
      ok: false,
      missing: true,
    });
    expect(editRing(square, { op: 'insert', index: 5, xUm: 0, yUm: 0 })).toMatchObject({
      ok: false,
      missing: true,
    });
    expect(ringWith(square, { op: 'move', index: -1, xUm: 0, yUm: 0 })).toBeNull();
  });

  it('a drag becomes the edit of the part it holds', () => {
    expect(edgeMidpoint(square, 3)).toEqual([0, 50]);
    expect(ringCentre(square)).toEqual([50, 50]);
    expect(dragEdit(square, { outline: 0, part: 'vertex', index: 1 }, 5, -5)).toEqual({
      op: 'move',
      index: 1,
      xUm: 105,
      yUm: -5,
    });
    // Edge 1 runs from vertex 1 to vertex 2: its new vertex takes place 2.
    expect(dragEdit(square, { outline: 0, part: 'edge', index: 1 }, 20, 0)).toEqual({
      op: 'insert',
      index: 2,
      xUm: 120,
      yUm: 50,
    });
    expect(dragEdit(square, { outline: 0, part: 'body' }, 3, 4)).toEqual({
      op: 'translate',
      dxUm: 3,
      dyUm: 4,
    });
  });

  it('a polygon with an offset or hull is edited by its own vertices, its outline derived again', () => {
    const notched = [...square.slice(0, 3), [50, 80], square[3]!];
    for (const grid of [
      { vertices: notched, offset: 10 },
      { vertices: notched, convex_hull: true },
      { vertices: notched, offset: -5, convex_hull: true },
    ]) {
      const plan = { grid_plan: grid };
      const [o] = gridOutlines(parsePlan(JSON.stringify(plan), 'plan'));
      expect(o!.editable).toBe(false);
      expect(ownRing(o!)).toEqual(notched);
      // Drag the notch (own vertex 3: the hull has no such vertex) down by 30 µm.
      const e = dragEdit(ownRing(o!)!, { outline: 0, part: 'vertex', index: 3 }, 0, 30);
      const r = editRing(ownRing(o!)!, e);
      expect(r.ok).toBe(true);
      const drawn = outlineOf(o!, (r as { ring: Pt[] }).ring);
      // What the map draws while dragging is what the host makes of the edited plan.
      const applied = applyOutlineEdits(plan, [{ outline: { position: null, edit: e } }]);
      expect(applied.refused).toEqual([]);
      expect((applied.plan.grid_plan as { vertices: Pt[] }).vertices[3]).toEqual([50, 110]);
      const [after] = gridOutlines(parsePlan(JSON.stringify(applied.plan), 'plan'));
      expect(drawn).toEqual(after!.verticesUm);
      expect(drawn).not.toEqual(o!.verticesUm);
      expect(after!.source!.verticesUm[3]).toEqual([50, 110]);
    }
    // An outline that is its own ring is edited as drawn; an edge grid has no own ring.
    const [plain] = gridOutlines(
      parsePlan(JSON.stringify({ grid_plan: { vertices: square } }), 'p'),
    );
    expect(ownRing(plain!)).toBe(plain!.verticesUm);
    expect(outlineOf(plain!, square)).toBe(square);
    const [edges] = gridOutlines(
      parsePlan(JSON.stringify({ grid_plan: { top: 1, left: 0, bottom: 0, right: 1 } }), 'p'),
    );
    expect(ownRing(edges!)).toBeNull();
  });
});
