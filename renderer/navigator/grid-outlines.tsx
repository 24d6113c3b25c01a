/**
 * The outlines of the plan's polygon and edge grids on the map (host-computed, stage µm;
 * electron/plans/grid-outlines.ts), each vertex marked and carrying its µm for probes.
 * Edits (ring-edits.ts), each sent on release through the plan-edit queue to the Acquire
 * tab, which applies it to the loaded plan (applyOutlineEdits) so its tiles re-expand:
 * - every outline has a move handle at its centre: dragging it moves the whole grid;
 * - a polygon's own vertices can be dragged (ownRing: for one with an offset or convex hull
 *   they are drawn dashed inside its outline, which is derived again while dragging); a click
 *   selects one (Delete removes it); Alt+click or right-click removes it at once;
 * - a polygon has a handle at each own edge's midpoint: dragging (or clicking) it inserts a
 *   vertex there.
 * While dragging, the shape is checked with the host's polygon rule: an invalid one is
 * drawn as refused with the reason beside it, and is not sent on release.
 */
import type { MouseEvent as ReactMouseEvent, PointerEvent as ReactPointerEvent } from 'react';
import type { GridOutlineView } from '../../electron/api/contract';
import type { Pt } from '../../electron/api/shared/polygon';
import { useUi } from '../ui/host-context';
import type { Notice } from '../state/store';
import { useMapDrag } from './map-drag';
import type { PlanEdit } from './plan-edits';
import {
  dragEdit,
  edgeMidpoint,
  editRing,
  outlineOf,
  ownRing,
  ringCentre,
  ringWith,
  type OutlinePart,
  type RingEdit,
} from './ring-edits';

const points = (ring: readonly Pt[]) => ring.map(([x, y]) => `${x},${y}`).join(' ');

/**
 * Sends `e` of outline `o` to the Acquire tab if the result is a valid polygon, else says
 * why in a notice; returns whether it was sent.
 */
export function submitRingEdit(
  o: GridOutlineView,
  e: RingEdit,
  send: (edit: PlanEdit) => void,
  notice: (level: Notice['level'], text: string) => void,
): boolean {
  const r = editRing(ownRing(o) ?? o.verticesUm, e);
  if (!r.ok) {
    notice('warn', `Polygon not changed: ${r.reason}`);
    return false;
  }
  send({ outline: { position: o.position, edit: e } });
  return true;
}

export function GridOutlines({ outlines }: { outlines: readonly GridOutlineView[] }) {
  const send = useUi((s) => s.movePlanPosition);
  const notice = useUi((s) => s.pushNotice);
  const selection = useUi((s) => s.mapSelection);
  const select = useUi((s) => s.selectOnMap);
  const submit = (o: GridOutlineView, e: RingEdit) => {
    if (submitRingEdit(o, e, send, notice) && selection?.kind === 'vertex') select(null);
  };
  const { drag, begin } = useMapDrag<OutlinePart>(({ key, dxUm, dyUm }) => {
    const o = outlines[key.outline];
    if (!o) return;
    if (dxUm === 0 && dyUm === 0) {
      // A click: a vertex is selected, an edge handle inserts at the midpoint.
      if (key.part === 'vertex') select({ kind: 'vertex', position: o.position, index: key.index });
      if (key.part === 'edge') submit(o, dragEdit(ownRing(o) ?? o.verticesUm, key, 0, 0));
      return;
    }
    submit(o, dragEdit(ownRing(o) ?? o.verticesUm, key, dxUm, dyUm));
  });
  if (outlines.length === 0) return null;
  const start =
    (key: OutlinePart) =>
    (e: ReactPointerEvent<SVGElement>): void => {
      const o = outlines[key.outline];
      if (!o) return;
      if (key.part === 'vertex' && e.altKey && e.button === 0) {
        e.stopPropagation();
        submit(o, { op: 'delete', index: key.index });
        return;
      }
      begin(key, e);
    };
  const remove = (o: GridOutlineView, index: number) => (e: ReactMouseEvent) => {
    e.preventDefault();
    if (ownRing(o)) submit(o, { op: 'delete', index });
  };
  return (
    <g className="nav-outlines">
      {outlines.map((o, i) => {
        const own = ownRing(o);
        const base = own ?? o.verticesUm;
        const edit =
          drag && drag.key.outline === i ? dragEdit(base, drag.key, drag.dxUm, drag.dyUm) : null;
        const attempt = edit ? ringWith(base, edit) : null;
        const check = edit && (drag!.dxUm !== 0 || drag!.dyUm !== 0) ? editRing(base, edit) : null;
        const refusal = check && !check.ok ? check.reason : null;
        const shownOwn = attempt ?? base;
        const shown = outlineOf(o, shownOwn);
        // Vertex handles keep their indices: an insert shows its new vertex separately.
        const handles = edit?.op === 'insert' ? base : shownOwn;
        const centre = ringCentre(shown);
        const at: Pt | null =
          edit?.op === 'move' || edit?.op === 'insert' ? [edit.xUm, edit.yUm] : centre;
        const isSelected = (j: number) =>
          selection?.kind === 'vertex' &&
          selection.position === o.position &&
          selection.index === j;
        return (
          <g
            key={i}
            className={`nav-outline ${o.kind}${own ? ' editable' : ''}${refusal ? ' refused' : ''}`}
            data-testid={`nav-outline-${i}`}
          >
            <polygon points={points(shown)} />
            {o.source && (
              <polygon
                className="nav-outline-own"
                data-testid={`nav-outline-${i}-own`}
                points={points(shownOwn)}
              />
            )}
            {handles.map(([x, y], j) => (
              <circle
                key={j}
                className={`nav-outline-vertex${isSelected(j) ? ' selected' : ''}`}
                data-testid={`nav-outline-${i}-v${j}`}
                data-x-um={base[j]![0]}
                data-y-um={base[j]![1]}
                cx={x}
                cy={y}
                onPointerDown={own ? start({ outline: i, part: 'vertex', index: j }) : undefined}
                onContextMenu={remove(o, j)}
              />
            ))}
            {own &&
              !drag &&
              own.map((_, j) => {
                const [x, y] = edgeMidpoint(own, j);
                return (
                  <circle
                    key={`e${j}`}
                    className="nav-outline-edge"
                    data-testid={`nav-outline-${i}-e${j}`}
                    cx={x}
                    cy={y}
                    onPointerDown={start({ outline: i, part: 'edge', index: j })}
                  >
                    <title>Drag or click to add a vertex here</title>
                  </circle>
                );
              })}
            {edit?.op === 'insert' && (
              <circle className="nav-outline-vertex new" cx={edit.xUm} cy={edit.yUm} />
            )}
            <rect
              className="nav-outline-move"
              data-testid={`nav-outline-${i}-move`}
              x={centre[0]}
              y={centre[1]}
              onPointerDown={start({ outline: i, part: 'body' })}
            >
              <title>Drag to move this grid</title>
            </rect>
            {refusal && at && (
              <text
                className="nav-outline-refusal"
                data-testid="nav-outline-refusal"
                x={at[0]}
                y={at[1]}
              >
                {refusal}
              </text>
            )}
          </g>
        );
      })}
    </g>
  );
}
