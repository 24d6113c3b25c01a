/**
 * The outlines of the plan's polygon and edge grids on the map (host-computed, stage µm;
 * electron/plans/grid-outlines.ts), each vertex marked and carrying its µm for probes.
 * An editable outline's vertices can be dragged: on release the vertex's new place goes
 * through the plan-edit queue to the Acquire tab, which sets it in the loaded plan
 * (applyVertexMoves) and so re-expands its tiles.
 */
import type { PointerEvent as ReactPointerEvent } from 'react';
import type { GridOutlineView } from '../../electron/api/contract';
import { useUi } from '../ui/host-context';
import { useMapDrag } from './map-drag';

export function GridOutlines({ outlines }: { outlines: readonly GridOutlineView[] }) {
  const edit = useUi((s) => s.movePlanPosition);
  const { drag, begin } = useMapDrag<{ outline: number; index: number }>(({ key, dxUm, dyUm }) => {
    const o = outlines[key.outline];
    const v = o?.verticesUm[key.index];
    if (o && v && (dxUm !== 0 || dyUm !== 0))
      edit({
        vertex: { position: o.position, index: key.index, xUm: v[0] + dxUm, yUm: v[1] + dyUm },
      });
  });
  if (outlines.length === 0) return null;
  const start = (outline: number, index: number) => (e: ReactPointerEvent<SVGCircleElement>) => {
    if (outlines[outline]?.editable) begin({ outline, index }, e);
  };
  return (
    <g className="nav-outlines">
      {outlines.map((o, i) => {
        const shown = o.verticesUm.map(([x, y], j): [number, number] =>
          drag && drag.key.outline === i && drag.key.index === j
            ? [x + drag.dxUm, y + drag.dyUm]
            : [x, y],
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
