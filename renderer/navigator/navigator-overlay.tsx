/**
 * Vector layers of the map, laid out in stage µm inside the navigator's stage layer (whose
 * CSS transform the render loop keeps equal to the view; `--map-scale` is screen px per µm,
 * so strokes and markers keep their screen size): the stage's travel and safety limits
 * (stage-frames.tsx), the sample holder,
 * the plan's polygon and edge grids' outlines, its positions with their order (dragging a
 * named one moves that position in the Acquire form), ROIs from automation and the ROI finder
 * (selectable), and the camera's field of view at the current stage position.
 */
import { memo, useMemo, type PointerEvent as ReactPointerEvent } from 'react';
import type { AppState, GridOutlineView, PlanPosition } from '../../electron/api/contract';
import { useUi } from '../ui/host-context';
import { cameraOrientationOf, frameFootprint, type Vec } from './frame-placement';
import { liveField } from './frame-ingest';
import { GridHandle } from './grid-handle';
import { GridOutlines } from './grid-outlines';
import { useMapDrag, type MapDrag } from './map-drag';
import { dropTarget } from './plan-edits';
import { roiDetails, sameRoi, type RoiSelection } from './roi-selection';
import { holderGeometry } from './sample-holder';
import { rectProps, StageFrames } from './stage-frames';

export function NavigatorOverlay(p: {
  plan: readonly PlanPosition[];
  outlines: readonly GridOutlineView[];
  fov: { widthUm: number; heightUm: number } | null;
  /** Moves the stage (through stage.moveTo); a double-clicked ROI goes to its centre. */
  onGoto(p: Vec): void;
}) {
  const limits = useUi((s) => s.mirror?.state.safety.limits ?? null);
  const travel = useUi((s) => s.mirror?.state.navigator?.travelUm ?? null);
  const holder = useUi((s) => s.mirror?.state.navigator?.sampleHolder ?? null);
  return (
    <svg className="nav-svg" width={1} height={1}>
      <StageFrames limits={limits} travel={travel} />
      <Holder holder={holder} />
      <PlanLayer plan={p.plan} />
      <GridOutlines outlines={p.outlines} />
      <GridHandle plan={p.plan} fov={p.fov} />
      <RoiLayer onGoto={p.onGoto} />
      <FieldOfView />
    </svg>
  );
}

type HolderConfig = NonNullable<AppState['navigator']>['sampleHolder'];

const Holder = memo(function Holder({ holder }: { holder: HolderConfig }) {
  const g = useMemo(() => holderGeometry(holder), [holder]);
  return (
    <g
      className="nav-holder"
      data-testid="nav-holder"
      transform={
        g.rotation.deg === 0
          ? undefined
          : `rotate(${g.rotation.deg} ${g.rotation.cx} ${g.rotation.cy})`
      }
    >
      {g.outlines.map((o, i) =>
        o.kind === 'rect' ? (
          <rect key={i} data-testid={`nav-holder-${o.label}`} {...rectProps(o.rect)} />
        ) : (
          <circle
            key={i}
            data-testid={`nav-holder-${o.label}`}
            cx={o.xUm}
            cy={o.yUm}
            r={o.radiusUm}
          />
        ),
      )}
      {g.wells.map((w) =>
        w.shape === 'circle' ? (
          <circle key={w.name} className="nav-well" cx={w.xUm} cy={w.yUm} r={w.sizeUm / 2}>
            <title>{w.name}</title>
          </circle>
        ) : (
          <rect
            key={w.name}
            className="nav-well"
            x={w.xUm - w.sizeUm / 2}
            y={w.yUm - w.sizeUm / 2}
            width={w.sizeUm}
            height={w.sizeUm}
          >
            <title>{w.name}</title>
          </rect>
        ),
      )}
    </g>
  );
});

/** How near (screen px) a Shift-dragged marker must be dropped to another position's. */
const DROP_RADIUS_PX = 10;

/**
 * Plan markers in visiting order. A named one can be dragged to move that form position;
 * Shift-dragged onto another position's marker, it takes that position's place in the order.
 */
function PlanLayer({ plan }: { plan: readonly PlanPosition[] }) {
  const edit = useUi((s) => s.movePlanPosition);
  const target = (d: MapDrag<Held>, q: PlanPosition | undefined) =>
    q
      ? dropTarget(plan, d.key.name, q.xUm + d.dxUm, q.yUm + d.dyUm, DROP_RADIUS_PX / d.scale)
      : null;
  const { drag, begin } = useMapDrag<Held>((d) => {
    const { key, dxUm, dyUm } = d;
    if (key.reorder) {
      const to = target(d, key.from);
      if (to) edit({ reorder: { name: key.name, target: to } });
    } else if (dxUm !== 0 || dyUm !== 0) edit({ name: key.name, dxUm, dyUm });
  });
  if (plan.length === 0) return null;
  const start = (q: PlanPosition) => (e: ReactPointerEvent<SVGCircleElement>) => {
    if (q.name !== undefined) begin({ name: q.name, reorder: e.shiftKey, from: q }, e);
  };
  const dropOn = drag?.key.reorder ? target(drag, drag.key.from) : null;
  return (
    <g className="nav-plan" data-testid="nav-plan">
      <polyline className="nav-plan-path" points={plan.map((q) => `${q.xUm},${q.yUm}`).join(' ')} />
      {plan.map((q) => {
        const d = drag && drag.key.name === q.name ? drag : null;
        const cls = `nav-plan-pos${q.name !== undefined ? ' draggable' : ''}${
          dropOn !== null && q.name === dropOn ? ' drop-target' : ''
        }`;
        return (
          <g
            key={q.order}
            className={cls}
            data-testid={`nav-plan-${q.order}`}
            data-x-um={q.xUm}
            data-y-um={q.yUm}
            data-name={q.name}
            transform={d ? `translate(${d.dxUm} ${d.dyUm})` : undefined}
          >
            <circle className="nav-marker" cx={q.xUm} cy={q.yUm} onPointerDown={start(q)}>
              <title>
                Drag to move this position; Shift+drag onto another to take its place in the order
              </title>
            </circle>
            <text x={q.xUm} y={q.yUm}>
              {q.order + 1}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/** A held plan marker: its position's name, whether it is being reordered, the tile held. */
interface Held {
  name: string;
  reorder: boolean;
  from: PlanPosition;
}

/**
 * ROI marks: a click selects one (its details card opens; the stage does not move), a
 * double-click moves the stage to its centre. The selected one is ringed and, for a found
 * ROI whose pixel size the host gave, its bounding box drawn.
 */
function RoiLayer({ onGoto }: { onGoto(p: Vec): void }) {
  const auto = useUi((s) => s.mirror?.state.automation?.rois);
  const found = useUi((s) => s.mirror?.state.roiFinder ?? null);
  const selection = useUi((s) => s.mapSelection);
  const select = useUi((s) => s.selectOnMap);
  const so = useUi((s) => s.mirror?.state.stageOrientation);
  const selected = roiDetails(selection, auto, found, cameraOrientationOf(so));
  const handlers = (sel: RoiSelection, xUm: number, yUm: number) => ({
    onPointerDown: (e: ReactPointerEvent<SVGCircleElement>) => {
      if (e.button !== 0) return;
      e.stopPropagation();
      select(sel);
    },
    onDoubleClick: () => onGoto({ x: xUm, y: yUm }),
  });
  const mark = (sel: RoiSelection) => (sameRoi(selection, sel) ? ' selected' : '');
  return (
    <g className="nav-rois">
      {selected?.boxUm && (
        <rect className="nav-roi-box" data-testid="nav-roi-box" {...rectProps(selected.boxUm)} />
      )}
      {auto?.map((r) => {
        const sel: RoiSelection = { kind: 'auto-roi', id: r.id };
        return (
          <circle
            key={`a${r.id}`}
            className={`nav-roi ${r.state}${mark(sel)}`}
            data-testid={`nav-roi-${r.id}`}
            cx={r.xUm}
            cy={r.yUm}
            {...handlers(sel, r.xUm, r.yUm)}
          />
        );
      })}
      {found?.rois.map((r, i) => {
        const sel: RoiSelection = { kind: 'found-roi', frameSeq: found.frameSeq, index: i };
        return (
          <circle
            key={`f${i}`}
            className={`nav-roi found ${found.verdicts[i] ?? 'pending'}${mark(sel)}`}
            data-testid={`nav-found-roi-${i}`}
            cx={r.xUm}
            cy={r.yUm}
            {...handlers(sel, r.xUm, r.yUm)}
          />
        );
      })}
    </g>
  );
}

function FieldOfView() {
  const camera = useUi((s) => s.mirror?.state.camera ?? null);
  const stage = useUi((s) => s.mirror?.state.stage ?? null);
  const so = useUi((s) => s.mirror?.state.stageOrientation);
  const o = cameraOrientationOf(so);
  if (!stage) return null;
  const fov = camera ? frameFootprint(liveField(camera, stage, o), o) : null;
  return (
    <g className="nav-fov" data-testid="nav-fov" data-x-um={stage.xUm} data-y-um={stage.yUm}>
      {fov && <rect {...rectProps(fov)} />}
      <circle className="nav-marker" cx={stage.xUm} cy={stage.yUm} />
    </g>
  );
}
