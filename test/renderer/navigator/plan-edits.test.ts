import { describe, expect, it } from 'vitest';
import { gridExtent } from '../../../renderer/navigator/grid-handle';
import {
  applyPositionMoves,
  dropTarget,
  applyOutlineEdits,
  gridSizeFor,
} from '../../../renderer/navigator/plan-edits';
import { createAppStore } from '../../../renderer/state/store';
import { emptyPlanForm, type PlanForm } from '../../../renderer/ui/plan-builder';

const form = () => ({
  ...emptyPlanForm(['GFP']),
  positions: [
    { name: 'pos1', xUm: 10, yUm: 20, zUm: 1 },
    { name: 'pos2', xUm: -5, yUm: 0, zUm: null },
  ],
});

describe('plan edits from the map', () => {
  it('a move shifts the named position only; unknown names are reported', () => {
    const r = applyPositionMoves(form(), [
      { name: 'pos2', dxUm: 3, dyUm: -4 },
      { name: 'gone', dxUm: 1, dyUm: 1 },
      { name: 'pos2', dxUm: 1, dyUm: 1 },
    ]);
    expect(r.form.positions).toEqual([
      { name: 'pos1', xUm: 10, yUm: 20, zUm: 1 },
      { name: 'pos2', xUm: -1, yUm: -3, zUm: null },
    ]);
    expect(r.unknown).toEqual(['gone']);
    const none = form();
    expect(applyPositionMoves(none, [{ name: 'x', dxUm: 1, dyUm: 1 }]).form).toBe(none);
  });

  it('the store queues moves until the form takes them', () => {
    const store = createAppStore();
    store.getState().movePlanPosition({ name: 'pos1', dxUm: 1, dyUm: 2 });
    store.getState().movePlanPosition({ name: 'pos1', dxUm: 3, dyUm: 4 });
    expect(store.getState().takePositionMoves()).toHaveLength(2);
    expect(store.getState().takePositionMoves()).toEqual([]);
  });

  it('a grid resize sets the form grid; the size follows the dragged extent', () => {
    const r = applyPositionMoves(form(), [
      { name: 'pos1', dxUm: 1, dyUm: 0 },
      { grid: { rows: 3, columns: 5 } },
    ]);
    expect(r.form.grid).toMatchObject({ rows: '3', columns: '5' });
    expect(r.form.positions[0]!.xUm).toBe(11);
    // 100 µm fields, 10 % overlap: 90 µm steps; one field is 100 µm, three 280 µm.
    expect(gridSizeFor(100, 100, 10)).toBe(1);
    expect(gridSizeFor(280, 100, 10)).toBe(3);
    expect(gridSizeFor(320, 100, 10)).toBe(3);
    expect(gridSizeFor(340, 100, 10)).toBe(4);
    expect(gridSizeFor(10, 100, 10)).toBe(1);
    expect(gridSizeFor(500, 100, 100)).toBe(1);
  });

  it("the grid handle sits at the outer corner of the first named position's tiles", () => {
    const plan = [
      { order: 0, xUm: 0, yUm: 0, name: 'a', eventIndex: 0 },
      { order: 1, xUm: 90, yUm: 0, name: 'a', eventIndex: 1 },
      { order: 2, xUm: 90, yUm: 90, name: 'a', eventIndex: 2 },
      { order: 3, xUm: 1000, yUm: 1000, name: 'b', eventIndex: 3 },
    ];
    expect(gridExtent(plan, { widthUm: 100, heightUm: 50 })).toEqual({
      x0: -50,
      y0: -25,
      x1: 140,
      y1: 115,
    });
    expect(
      gridExtent([{ order: 0, xUm: 0, yUm: 0, eventIndex: 0 }], { widthUm: 1, heightUm: 1 }),
    ).toBeNull();
  });

  it("a vertex move sets that vertex of a loaded plan's polygon grid, in a copy", () => {
    const tri = [
      [0, 0],
      [100, 0],
      [0, 100],
    ];
    const plan = {
      grid_plan: { vertices: [...tri, [0, 0]] },
      stage_positions: [
        { x: 1, y: 2 },
        { x: 5, y: 5, sequence: { grid_plan: { vertices: tri } } },
      ],
    };
    const before = JSON.stringify(plan);
    const r = applyOutlineEdits(plan, [
      { outline: { position: 1, edit: { op: 'move', index: 2, xUm: -30, yUm: 140 } } },
      { outline: { position: null, edit: { op: 'move', index: 0, xUm: -5, yUm: -6 } } },
      { name: 'pos1', dxUm: 1, dyUm: 1 },
      { outline: { position: 0, edit: { op: 'move', index: 0, xUm: 9, yUm: 9 } } },
      { outline: { position: 1, edit: { op: 'move', index: 3, xUm: 9, yUm: 9 } } },
    ]);
    expect(JSON.stringify(plan)).toBe(before);
    expect(r.missed).toBe(2);
    expect(r.plan).toEqual({
      grid_plan: {
        vertices: [
          [-5, -6],
          [100, 0],
          [0, 100],
          [-5, -6],
        ],
      },
      stage_positions: [
        { x: 1, y: 2 },
        {
          x: 5,
          y: 5,
          sequence: {
            grid_plan: {
              vertices: [
                [0, 0],
                [100, 0],
                [-30, 140],
              ],
            },
          },
        },
      ],
    });
    // The form has no polygons: a vertex move leaves it as it was.
    const f = form();
    expect(
      applyPositionMoves(f, [
        { outline: { position: null, edit: { op: 'move', index: 0, xUm: 1, yUm: 1 } } },
      ]).form,
    ).toBe(f);
  });

  it('does not apply an outline edit that would make the polygon invalid, and says why', () => {
    const square = [
      [0, 0],
      [100, 0],
      [100, 100],
      [0, 100],
    ];
    const plan = { grid_plan: { vertices: square } };
    // Vertex 0 dragged past the right edge: the edge back to it crosses that edge.
    const crossed = applyOutlineEdits(plan, [
      { outline: { position: null, edit: { op: 'move', index: 0, xUm: 150, yUm: 50 } } },
    ]);
    expect(crossed.refused).toEqual(["the polygon's edges would cross (edges 2 and 4)"]);
    expect((crossed.plan.grid_plan as { vertices: unknown }).vertices).toEqual(square);
    const fine = applyOutlineEdits(plan, [
      { outline: { position: null, edit: { op: 'move', index: 1, xUm: 120, yUm: -10 } } },
    ]);
    expect(fine.refused).toEqual([]);
    expect((fine.plan.grid_plan as { vertices: number[][] }).vertices[1]).toEqual([120, -10]);
  });

  it('inserts, deletes and moves whole polygons in a closed or open ring; edge grids move', () => {
    const square = [
      [0, 0],
      [100, 0],
      [100, 100],
      [0, 100],
    ];
    const plan = {
      grid_plan: { vertices: [...square, [0, 0]] },
      stage_positions: [
        { x: 0, y: 0, sequence: { grid_plan: { vertices: square, overlap: 5 } } },
        { x: 0, y: 0, sequence: { grid_plan: { left: -10, right: 10, top: 20, bottom: 40 } } },
      ],
    };
    const r = applyOutlineEdits(plan, [
      // Closed ring: a vertex on edge 1 (between vertices 1 and 2), then vertex 0 removed.
      { outline: { position: null, edit: { op: 'insert', index: 2, xUm: 130, yUm: 50 } } },
      { outline: { position: null, edit: { op: 'delete', index: 0 } } },
      { outline: { position: 0, edit: { op: 'translate', dxUm: 5, dyUm: -5 } } },
      { outline: { position: 1, edit: { op: 'translate', dxUm: 1, dyUm: 2 } } },
      // An edge grid has no vertices to move.
      { outline: { position: 1, edit: { op: 'delete', index: 0 } } },
    ]);
    expect(r.missed).toBe(1);
    expect(r.refused).toEqual([]);
    expect((r.plan.grid_plan as { vertices: unknown }).vertices).toEqual([
      [100, 0],
      [130, 50],
      [100, 100],
      [0, 100],
      [100, 0],
    ]);
    const [p0, p1] = r.plan.stage_positions as { sequence: { grid_plan: object } }[];
    expect(p0!.sequence.grid_plan).toEqual({
      vertices: [
        [5, -5],
        [105, -5],
        [105, 95],
        [5, 95],
      ],
      overlap: 5,
    });
    expect(p1!.sequence.grid_plan).toEqual({ left: -9, right: 11, top: 22, bottom: 42 });
    // Never below three vertices, closed ring or not.
    const tri = { grid_plan: { vertices: [...square.slice(0, 3), [0, 0]] } };
    const gone = applyOutlineEdits(tri, [
      { outline: { position: null, edit: { op: 'delete', index: 1 } } },
    ]);
    expect(gone.refused).toEqual(['a polygon needs at least 3 vertices (it would have 2)']);
    expect(gone.plan).toEqual(tri);
  });

  it('a reorder moves the named position to the target’s place in the visiting order', () => {
    const three: PlanForm = {
      ...form(),
      positions: [
        { name: 'a', xUm: 0, yUm: 0, zUm: null },
        { name: 'b', xUm: 1, yUm: 0, zUm: null },
        { name: 'c', xUm: 2, yUm: 0, zUm: null },
      ],
    };
    const names = (f: PlanForm) => f.positions.map((p) => p.name).join('');
    expect(names(applyPositionMoves(three, [{ reorder: { name: 'c', target: 'a' } }]).form)).toBe(
      'cab',
    );
    expect(names(applyPositionMoves(three, [{ reorder: { name: 'a', target: 'c' } }]).form)).toBe(
      'bca',
    );
    expect(names(applyPositionMoves(three, [{ reorder: { name: 'a', target: 'b' } }]).form)).toBe(
      'bac',
    );
    const gone = applyPositionMoves(three, [{ reorder: { name: 'a', target: 'zz' } }]);
    expect(gone.unknown).toEqual(['zz']);
    expect(gone.form).toBe(three);
  });

  it("a drop lands on the nearest other position's marker within the radius", () => {
    const plan = [
      { order: 0, xUm: 0, yUm: 0, name: 'a', eventIndex: 0 },
      { order: 1, xUm: 100, yUm: 0, name: 'b', eventIndex: 1 },
      { order: 2, xUm: 106, yUm: 0, name: 'c', eventIndex: 2 },
      { order: 3, xUm: 50, yUm: 50, eventIndex: 3 },
    ];
    expect(dropTarget(plan, 'a', 104, 0, 5)).toBe('c');
    expect(dropTarget(plan, 'a', 102, 0, 5)).toBe('b');
    expect(dropTarget(plan, 'b', 101, 0, 5)).toBe('c'); // never itself
    expect(dropTarget(plan, 'a', 50, 50, 5)).toBeNull(); // unnamed markers are not targets
    expect(dropTarget(plan, 'a', 100, 20, 5)).toBeNull();
  });
});
