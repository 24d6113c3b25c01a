/** Grid, polygon and random-point plans; expected positions derived by hand from useq's _grid.py. */
import { describe, expect, it } from 'vitest';
import { gridIndices } from '../../../electron/plans/grid-order';
import { gridPoints } from '../../../electron/plans/grid-plan';
import { gridPlanSchema } from '../../../electron/plans/schema';
import { nearestNeighborOrder, twoOptOrder } from '../../../electron/plans/traversal';

const noRandom = () => {
  throw new Error('a seeded plan must not use the fallback random source');
};
const xy = (plan: unknown) =>
  gridPoints(gridPlanSchema.parse(plan), noRandom).map((p) => [p.x, p.y]);

describe('grid order modes', () => {
  it('walks rows, columns, snakes and a centre-out spiral', () => {
    expect(gridIndices('row_wise', 2, 3)).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
    expect(gridIndices('row_wise_snake', 2, 3)).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 2],
      [1, 1],
      [1, 0],
    ]);
    expect(gridIndices('column_wise', 2, 3)).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
      [0, 2],
      [1, 2],
    ]);
    expect(gridIndices('column_wise_snake', 2, 3)).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
    expect(gridIndices('spiral', 3, 3)).toEqual([
      [1, 1],
      [1, 2],
      [2, 2],
      [2, 1],
      [2, 0],
      [1, 0],
      [0, 0],
      [0, 1],
      [0, 2],
    ]);
    expect(gridIndices('spiral', 2, 2)).toEqual([
      [0, 0],
      [0, 1],
      [1, 1],
      [1, 0],
    ]);
  });
});

describe('rectangular grid plans', () => {
  it('GridRowsColumns: step = fov − overlap, top_left origin, rows go to −y', () => {
    expect(
      xy({
        rows: 2,
        columns: 3,
        overlap: 10,
        fov_width: 10,
        fov_height: 10,
        relative_to: 'top_left',
        mode: 'row_wise',
      }),
    ).toEqual([
      [0, 0],
      [9, 0],
      [18, 0],
      [0, -9],
      [9, -9],
      [18, -9],
    ]);
    expect(xy({ rows: 1, columns: 2, overlap: [50, 0], fov_width: 4, fov_height: 4 })).toEqual([
      [-1, 0],
      [1, 0],
    ]);
  });

  it('GridWidthHeight: enough tiles to cover the size, centred', () => {
    expect(xy({ width: 25, height: 10, fov_width: 10, fov_height: 10 })).toEqual([
      [-10, 0],
      [0, 0],
      [10, 0],
    ]);
  });

  it('GridFromEdges: the edges bound the images when the FOV is known', () => {
    expect(xy({ top: 0, left: 0, bottom: -25, right: 30, fov_width: 10, fov_height: 10 })).toEqual([
      [5, -5],
      [15, -5],
      [25, -5],
      [25, -15],
      [15, -15],
      [5, -15],
      [5, -25],
      [15, -25],
      [25, -25],
    ]);
    // Without a FOV: useq's 1 µm fallback and centres on the edges.
    expect(xy({ top: 1, bottom: 0, left: 0, right: 2 })).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
      [2, 0],
      [1, 0],
      [0, 0],
    ]);
  });

  it('a bare {x, y} is one relative offset', () => {
    expect(gridPoints(gridPlanSchema.parse({ x: 3, y: -2 }), noRandom)).toEqual([
      { x: 3, y: -2, relative: true, name: '' },
    ]);
  });
});

describe('GridFromPolygon', () => {
  const fov = { fov_width: 10, fov_height: 10 };
  it('keeps the bounding-box tiles that touch the polygon (closed sets, as shapely)', () => {
    expect(
      xy({
        vertices: [
          [0, 0],
          [30, 0],
          [0, 30],
        ],
        ...fov,
      }),
    ).toEqual([
      [5, 25],
      [15, 25],
      [25, 15],
      [15, 15],
      [5, 15],
      [5, 5],
      [15, 5],
      [25, 5],
    ]);
  });

  it('applies the convex hull and the offset', () => {
    // An L shape misses the top-right tile; its hull does not.
    const l = [
      [0, 0],
      [20, 0],
      [20, 8],
      [8, 8],
      [8, 20],
      [0, 20],
    ];
    expect(xy({ vertices: l, ...fov, mode: 'row_wise' })).toEqual([
      [5, 15],
      [5, 5],
      [15, 5],
    ]);
    expect(xy({ vertices: l, convex_hull: true, ...fov, mode: 'row_wise' })).toEqual([
      [5, 15],
      [15, 15],
      [5, 5],
      [15, 5],
    ]);
    // A 10 µm square grown by 5 µm (mitred corners) spans −5…15: 2 × 2 tiles.
    expect(
      xy({
        vertices: [
          [0, 0],
          [10, 0],
          [10, 10],
          [0, 10],
        ],
        offset: 5,
        ...fov,
        mode: 'row_wise',
      }),
    ).toEqual([
      [0, 10],
      [10, 10],
      [0, 0],
      [10, 0],
    ]);
  });

  it('rejects self-intersecting polygons', () => {
    const r = gridPlanSchema.safeParse({
      vertices: [
        [0, 0],
        [10, 10],
        [10, 0],
        [0, 10],
      ],
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({
      path: ['vertices'],
      message: expect.stringMatching(/edges cross/),
    });
  });
});

describe('RandomPoints', () => {
  it("draws numpy's RandomState(seed) stream: ellipse", () => {
    // Expected: numpy RandomState(0).uniform(0, 1, (3, 3)) through useq's ellipse formula.
    const pts = xy({ num_points: 3, max_width: 10, max_height: 6, random_seed: 0, order: null });
    const expected = [
      [-2.191659188937103, -1.2910800553304214],
      [-1.657693777603574, -1.0086192509556893],
      [2.1311579549129513, -0.6055189101739287],
    ];
    pts.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(expected[i]![0]!, 12);
      expect(p[1]).toBeCloseTo(expected[i]![1]!, 12);
    });
  });

  it('rectangle, fixed start point, and non-overlapping placement', () => {
    const pts = xy({
      num_points: 2,
      max_width: 4,
      max_height: 8,
      shape: 'rectangle',
      random_seed: 7,
      order: null,
    });
    expect(pts[0]![0]).toBeCloseTo(-1.6947668425041713, 12);
    expect(pts[1]![1]).toBeCloseTo(1.7877214226475298, 12);
    const withStart = xy({ num_points: 3, random_seed: 1, start_at: { x: 9, y: 9 }, order: null });
    expect(withStart).toHaveLength(3);
    expect(withStart[0]).toEqual([9, 9]);
    const apart = xy({
      num_points: 5,
      max_width: 100,
      max_height: 100,
      shape: 'rectangle',
      random_seed: 3,
      allow_overlap: false,
      fov_width: 10,
      fov_height: 10,
    });
    expect(apart).toHaveLength(5);
    for (const a of apart)
      for (const b of apart)
        if (a !== b)
          expect(Math.abs(a[0]! - b[0]!) >= 10 || Math.abs(a[1]! - b[1]!) >= 10).toBe(true);
  });

  it('orders points by nearest neighbour or 2-opt', () => {
    expect(
      nearestNeighborOrder(
        [
          [0, 0],
          [10, 0],
          [1, 0],
          [11, 0],
        ],
        0,
      ),
    ).toEqual([0, 2, 1, 3]);
    expect(
      twoOptOrder(
        [
          [0, 0],
          [1, 1],
          [1, 0],
          [0, 1],
        ],
        0,
      ),
    ).toEqual([0, 2, 1, 3]);
  });
});
