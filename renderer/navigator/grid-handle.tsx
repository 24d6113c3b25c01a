/**
 * The plan grid's corner handle on the map: a square at the outer corner (+X, +Y) of the first
 * position's grid tiles. Dragging it resizes the grid; on release the rows and columns that fit
 * the dragged extent (gridSizeFor, with the plan's field of view and overlap) go to the
 * Acquire form through the same queue as dragged positions. Shown when the plan has a grid.
 */
import { useEffect, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { PlanPosition } from '../../electron/api/contract';
import { useUi } from '../ui/host-context';
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
  const [drag, setDrag] = useState<{
    x: number;
    y: number;
    scale: number;
    dx: number;
    dy: number;
  } | null>(null);
  const box = fov ? gridExtent(plan, fov) : null;
  const overlap = grid?.overlap ?? 0;
  const size = (dx: number, dy: number) =>
    box && fov
      ? {
          columns: gridSizeFor(box.x1 - box.x0 + dx, fov.widthUm, overlap),
          rows: gridSizeFor(box.y1 - box.y0 + dy, fov.heightUm, overlap),
        }
      : null;
  useEffect(() => {
    if (!drag) return;
    const onMove = (e: PointerEvent) =>
      setDrag(
        (d) => d && { ...d, dx: (e.clientX - d.x) / d.scale, dy: (e.clientY - d.y) / d.scale },
      );
    const onUp = () => {
      const s = size(drag.dx, drag.dy);
      if (s) edit({ grid: s });
      setDrag(null);
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
    return () => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
    };
  });
  if (!grid || !box || !fov) return null;
  const start = (e: ReactPointerEvent<SVGRectElement>) => {
    if (e.button !== 0) return;
    e.stopPropagation();
    const layer = e.currentTarget.closest<HTMLElement>('.nav-layer');
    const scale = Number(layer?.style.getPropertyValue('--map-scale'));
    if (scale > 0) setDrag({ x: e.clientX, y: e.clientY, scale, dx: 0, dy: 0 });
  };
  const dx = drag?.dx ?? 0;
  const dy = drag?.dy ?? 0;
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
        onPointerDown={start}
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
