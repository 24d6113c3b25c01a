/**
 * The outlines of the plan's polygon and edge grids on the map (host-computed, stage µm;
 * electron/plans/grid-outlines.ts), each vertex marked and carrying its µm for probes.
 * An editable outline's vertices can be dragged: on release the vertex's new place goes
 * through the plan-edit queue to the Acquire tab, which sets it in the loaded plan
 * (applyVertexMoves) and so re-expands its tiles.
 */
import { useEffect, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { GridOutlineView } from '../../electron/api/contract';
import { useUi } from '../ui/host-context';

interface VertexDrag {
  outline: number;
  index: number;
  x: number;
  y: number;
  /** Screen px per µm when the drag began. */
  scale: number;
  dxUm: number;
  dyUm: number;
}

export function GridOutlines({ outlines }: { outlines: readonly GridOutlineView[] }) {
  const edit = useUi((s) => s.movePlanPosition);
  const [drag, setDrag] = useState<VertexDrag | null>(null);
  useEffect(() => {
    if (!drag) return;
    const onMove = (e: PointerEvent) =>
      setDrag(
        (d) => d && { ...d, dxUm: (e.clientX - d.x) / d.scale, dyUm: (e.clientY - d.y) / d.scale },
      );
    const onUp = () => {
      const o = outlines[drag.outline];
      const v = o?.verticesUm[drag.index];
      if (o && v && (drag.dxUm !== 0 || drag.dyUm !== 0))
        edit({
          vertex: {
            position: o.position,
            index: drag.index,
            xUm: v[0] + drag.dxUm,
            yUm: v[1] + drag.dyUm,
          },
        });
      setDrag(null);
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
    return () => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
    };
  }, [drag, edit, outlines]);
  if (outlines.length === 0) return null;
  const start = (outline: number, index: number) => (e: ReactPointerEvent<SVGCircleElement>) => {
    if (!outlines[outline]?.editable || e.button !== 0) return;
    e.stopPropagation();
    const layer = e.currentTarget.closest<HTMLElement>('.nav-layer');
    const scale = Number(layer?.style.getPropertyValue('--map-scale'));
    if (scale > 0) setDrag({ outline, index, x: e.clientX, y: e.clientY, scale, dxUm: 0, dyUm: 0 });
  };
  return (
    <g className="nav-outlines">
      {outlines.map((o, i) => {
        const shown = o.verticesUm.map(([x, y], j): [number, number] =>
          drag && drag.outline === i && drag.index === j ? [x + drag.dxUm, y + drag.dyUm] : [x, y],
        );
        return (
          <g
            key={i}
            className={`nav-outline ${o.kind}${o.editable ? ' editable' : ''}`}
            data-testid={`nav-outline-${i}`}
          >
            <polygon points={shown.map(([x, y]) => `${x},${y}`).join(' ')} />
            {shown.map(([x, y], j) => (
              <circle
                key={j}
                className="nav-outline-vertex"
                data-testid={`nav-outline-${i}-v${j}`}
                data-x-um={o.verticesUm[j]![0]}
                data-y-um={o.verticesUm[j]![1]}
                cx={x}
                cy={y}
                onPointerDown={start(i, j)}
              />
            ))}
          </g>
        );
      })}
    </g>
  );
}
