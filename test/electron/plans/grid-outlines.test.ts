import { describe, expect, it } from 'vitest';
import { expandSequence } from '../../../electron/plans/expand';
import { gridOutlines } from '../../../electron/plans/grid-outlines';
import { parsePlan } from '../../../electron/plans/load';
import { intersectsRect } from '../../../electron/api/shared/polygon';
import { planXyPath } from '../../../electron/plans/xy-path';

const seq = (plan: object) => parsePlan(JSON.stringify(plan), 'plan');
const FOV = { widthUm: 100, heightUm: 100 };

describe('grid outlines', () => {
  it("a position's polygon grid is outlined at its own stage µm, whatever the position's x/y", () => {
    const s = seq({
      stage_positions: [
        { x: 5000, y: 5000, name: 'a' },
        {
          x: 9000,
          y: -9000,
          name: 'poly',
          sequence: {
            grid_plan: {
              vertices: [
                [0, 0],
                [400, 0],
                [400, 300],
              ],
              fov_width: 100,
              fov_height: 100,
            },
          },
        },
      ],
    });
    expect(gridOutlines(s)).toEqual([
      {
        kind: 'polygon',
        position: 1,
        editable: true,
        verticesUm: [
          [0, 0],
          [400, 0],
          [400, 300],
        ],
      },
    ]);
    // Each of the position's tiles touches the outline (the tiles the map draws beside it).
    const ring = gridOutlines(s)[0]!.verticesUm;
    const tiles = planXyPath(expandSequence(s, { fovUm: FOV })).filter((q) => q.name === 'poly');
    expect(tiles.length).toBeGreaterThan(1);
    for (const q of tiles)
      expect(intersectsRect(ring, q.xUm - 50, q.yUm - 50, q.xUm + 50, q.yUm + 50)).toBe(true);
  });

  it('the outline is the processed ring: offset moves the edges, convex hull drops notches', () => {
    const outline = (grid: { vertices: number[][]; offset?: number; convex_hull?: boolean }) => {
      const [o] = gridOutlines(seq({ grid_plan: grid }));
      expect(o!.position).toBeNull();
      // Only a ring that is the plan's own vertices can be edited vertex by vertex.
      expect(o!.editable).toBe(!grid.offset && !grid.convex_hull);
      // A derived ring carries the plan's own vertices and how it derives from them.
      expect(o!.source).toEqual(
        o!.editable
          ? undefined
          : {
              verticesUm: grid.vertices,
              offsetUm: grid.offset ?? null,
              convexHull: grid.convex_hull ?? false,
            },
      );
      return o!.verticesUm.map(([x, y]) => [Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6]);
    };
    const square: number[][] = [
      [0, 0],
      [100, 0],
      [100, 100],
      [0, 100],
    ];
    expect(outline({ vertices: square, offset: 10 })).toEqual([
      [-10, -10],
      [110, -10],
      [110, 110],
      [-10, 110],
    ]);
    const notched = [...square.slice(0, 3), [50, 80], square[3]!];
    expect(outline({ vertices: notched })).toHaveLength(5);
    const hull = outline({ vertices: notched, convex_hull: true });
    expect(hull).toHaveLength(4);
    expect(hull).not.toContainEqual([50, 80]);
    for (const p of square) expect(hull).toContainEqual(p);
  });

  it('edges are outlined as the rectangle bounding the images; relative grids have none', () => {
    expect(
      gridOutlines(
        seq({
          grid_plan: { top: 200, left: -100, bottom: -50, right: 300 },
          stage_positions: [
            { x: 0, y: 0, sequence: { grid_plan: { rows: 2, columns: 2 } } },
            { x: 1, y: 1 },
          ],
        }),
      ),
    ).toEqual([
      {
        kind: 'edges',
        position: null,
        editable: false,
        verticesUm: [
          [-100, 200],
          [300, 200],
          [300, -50],
          [-100, -50],
        ],
      },
    ]);
  });
});
