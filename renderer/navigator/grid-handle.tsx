/**
 * The plan grid's corner handle on the map: a square at the outer corner (+X, +Y) of the first
 * position's grid tiles. Dragging it resizes the grid; on release the rows and columns that fit
 * the dragged extent (gridSizeFor, with the plan's field of view and overlap) go to the
 * Acquire form through the same queue as dragged positions. Shown when the plan has a grid.
 */
import type { PlanPosition } from '../../electron/api/contract';
import { useUi } from '../ui/host-context';
import { useMapDrag } from './map-drag';
import { gridSizeFor } from './plan-edits';

interface Fov {
  widthUm: number;
  heightUm: number;
}

/** Outer extent of the first named position's tiles, and the grid size it gives. */
export function gridExtent(plan: readonly PlanPosition[], fov: Fov) {
  const name = plan.find((q) => q.name !== undefined)?.name;
  const tiles = plan.filter((q) => q.name === name);
  if (name === undefined || tiles.length === 0) return null;
  const xs = tiles.map((q) => q.xUm);
  const ys = tiles.map((q) => q.yUm);
  const x0 = Math.min(...xs) - fov.widthUm / 2;
  const y0 = Math.min(...ys) - fov.heightUm / 2;
  const x1 = Math.max(...xs) + fov.widthUm / 2;
  const y1 = Math.max(...ys) + fov.heightUm / 2;
  return { x0, y0, x1, y1 };
}

export function GridHandle({ plan, fov }: { plan: readonly PlanPosition[]; fov: Fov | null }) {
  const grid = useUi((s) => s.draftPlan?.grid_plan as { overlap?: number } | undefined);
  const edit = useUi((s) => s.movePlanPosition);
  const box = fov ? gridExtent(plan, fov) : null;
  const overlap = grid?.overlap ?? 0;
  const size = (dx: number, dy: number) =>
    box && fov
      ? {
          columns: gridSizeFor(box.x1 - box.x0 + dx, fov.widthUm, overlap),
          rows: gridSizeFor(box.y1 - box.y0 + dy, fov.heightUm, overlap),
        }
      : null;
  const { drag, begin } = useMapDrag<'corner'>(({ dxUm, dyUm }) => {
    const s = size(dxUm, dyUm);
    if (s) edit({ grid: s });
  });
  if (!grid || !box || !fov) return null;
  const dx = drag?.dxUm ?? 0;
  const dy = drag?.dyUm ?? 0;
  const preview = drag ? size(dx, dy) : null;
  return (
    <g className="nav-grid" data-testid="nav-grid">
      {drag && (
        <rect
          className="nav-grid-outline"
          x={box.x0}
          y={box.y0}
          width={Math.max(0, box.x1 - box.x0 + dx)}
          height={Math.max(0, box.y1 - box.y0 + dy)}
        />
      )}
      <rect
        className="nav-grid-handle"
        data-testid="nav-grid-handle"
        data-x-um={box.x1}
        data-y-um={box.y1}
        x={box.x1 + dx}
        y={box.y1 + dy}
        onPointerDown={(e) => begin('corner', e)}
      >
        <title>
          {preview
            ? `${preview.columns} × ${preview.rows} tiles`
            : 'Drag to resize the grid (columns × rows)'}
        </title>
      </rect>
    </g>
  );
}
