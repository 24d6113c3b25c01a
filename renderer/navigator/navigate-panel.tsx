/**
 * The Navigate tab: the stage map (mosaic canvas + vector overlay), the Z gauge, "Scan
 * overview", and the outcome of the last double-click move (the safety layer's refusal is
 * shown with its reason and code). The render loop is a NavigatorController.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ApiError, GridOutlineView, PlanPosition } from '../../electron/api/contract';
import { callOutcome } from '../ui/automation/call-outcome';
import { useHost, useUi } from '../ui/host-context';
import { cameraOrientationOf, type Vec } from './frame-placement';
import { NavigatorController } from './navigator-controller';
import { NavigatorOverlay } from './navigator-overlay';
import { submitRingEdit } from './grid-outlines';
import { ownRing } from './ring-edits';
import { mapKeyAction } from './map-keys';
import { RoiCard } from './roi-card';
import { roiDetails, roiSelections, stepRoi } from './roi-selection';
import { ScanOverview } from './scan-overview-control';
import { StageFramesLegend } from './stage-frames';
import { ZGauge } from './z-gauge';
import { VolumeView } from './volume-view';
import { ZSliceView } from './z-slice-view';
import '../styles/navigator.css';

const PLAN_DEBOUNCE_MS = 250;
const NO_POSITIONS: PlanPosition[] = [];
const NO_OUTLINES: GridOutlineView[] = [];

export function NavigatePanel() {
  const host = useHost();
  const canvas = useRef<HTMLCanvasElement>(null);
  const layer = useRef<HTMLDivElement>(null);
  const cursor = useRef<HTMLSpanElement>(null);
  const [controller, setController] = useState<NavigatorController | null>(null);
  const [gotoError, setGotoError] = useState<ApiError | null>(null);
  const [mapError, setMapError] = useState<string | null>(null);
  const session = useUi((s) => s.mirror?.state.instrument.configPath ?? null);
  const hasTravel = useUi((s) => Boolean(s.mirror?.state.navigator?.travelUm));
  const goto = useCallback(
    (p: Vec) =>
      void callOutcome(host, 'stage.moveTo', { xUm: p.x, yUm: p.y }).then((r) =>
        setGotoError(r.ok ? null : r.error),
      ),
    [host],
  );

  useEffect(() => {
    if (!canvas.current || !layer.current || !cursor.current) return;
    const c = new NavigatorController(
      { canvas: canvas.current, layer: layer.current, cursor: cursor.current },
      host,
      host.store,
      {
        onGoto: goto,
        onClick: () => host.store.getState().selectOnMap(null),
        onError: setMapError,
      },
    );
    c.start();
    setController(c);
    return () => {
      c.stop();
      setController(null);
    };
  }, [host, goto]);

  useEffect(() => {
    if (!controller || session === null) return;
    controller.restore(session).catch((e: Error) => setMapError(`stored map: ${e.message}`));
  }, [controller, session]);

  const plan = usePlanPositions();
  const onMapKey = useMapKeys(goto, plan.outlines);
  useEffect(() => {
    if (controller) controller.planPositions = plan.positions;
  }, [controller, plan.positions]);

  return (
    <section className="panel navigator" data-testid="navigator">
      <h2>
        Stage map <span className="sub" data-testid="nav-cursor" ref={cursor} />
      </h2>
      <div className="nav-body">
        <div
          className="nav-map"
          data-testid="nav-map"
          tabIndex={0}
          aria-label="Stage map: click an ROI to select it; Esc unselects, arrows and Tab step, Enter goes there"
          onKeyDown={onMapKey}
        >
          <canvas
            ref={canvas}
            className="nav-canvas"
            data-testid="nav-canvas"
            aria-label="Stage map. Wheel zooms, drag pans, double-click moves the stage there."
          />
          <div className="nav-layer" data-testid="nav-layer" ref={layer}>
            <NavigatorOverlay
              plan={plan.positions}
              outlines={plan.outlines}
              fov={plan.fovUm}
              onGoto={goto}
            />
          </div>
        </div>
        <ZGauge />
      </div>
      <RoiCard onGoto={goto} />
      <div className="row">
        <button type="button" data-testid="nav-fit" onClick={() => controller?.fit()}>
          Fit envelope
        </button>
        <button
          type="button"
          data-testid="nav-clear"
          onClick={() =>
            void controller?.clearMap().catch((e: Error) => setMapError(`clearing: ${e.message}`))
          }
        >
          Clear map
        </button>
        <span className="sub" data-testid="nav-plan-count">
          {plan.positions.length} plan position{plan.positions.length === 1 ? '' : 's'}
        </span>
        <StageFramesLegend travel={hasTravel} />
      </div>
      {plan.error && (
        <p className="error" data-testid="nav-plan-error">
          Plan: {plan.error}
        </p>
      )}
      {gotoError && (
        <p className="error" data-testid="nav-goto-error" data-code={gotoError.code}>
          Move refused: {gotoError.message} [{gotoError.code}]
        </p>
      )}
      {mapError && (
        <p className="error" data-testid="nav-error">
          {mapError}
        </p>
      )}
      <ZSliceView stack={controller?.zStack ?? null} />
      <VolumeView stack={controller?.zStack ?? null} />
      <ScanOverview controller={controller} />
      <p className="hint">
        Double-click the map to move the stage there. Click an ROI to see it (Esc unselects, arrows
        step), double-click it to go there.
      </p>
    </section>
  );
}

/** The Acquire tab's plan expanded by the host (plan.positions), debounced. */
interface PlanOnMap {
  positions: PlanPosition[];
  outlines: GridOutlineView[];
  /** The field of view the plan's grids were expanded with; null without a camera. */
  fovUm: { widthUm: number; heightUm: number } | null;
  error: string | null;
}

function usePlanPositions(): PlanOnMap {
  const host = useHost();
  const draft = useUi((s) => s.draftPlan);
  const connected = useUi((s) => s.link.state === 'connected');
  const [out, setOut] = useState<PlanOnMap>({
    positions: NO_POSITIONS,
    outlines: NO_OUTLINES,
    fovUm: null,
    error: null,
  });
  useEffect(() => {
    if (!draft || !connected) {
      setOut({ positions: NO_POSITIONS, outlines: NO_OUTLINES, fovUm: null, error: null });
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      void callOutcome(host, 'plan.positions', { plan: draft }).then((r) => {
        if (!live) return;
        setOut(
          r.ok
            ? {
                positions: r.value.positions,
                outlines: r.value.outlines,
                fovUm: r.value.fovUm,
                error: null,
              }
            : {
                positions: NO_POSITIONS,
                outlines: NO_OUTLINES,
                fovUm: null,
                error: `${r.error.message} [${r.error.code}]`,
              },
        );
      });
    }, PLAN_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [host, draft, connected]);
  return out;
}

/** The focused map's keys (map-keys.ts) acting on the store's map selection. */
function useMapKeys(goto: (p: Vec) => void, outlines: readonly GridOutlineView[]) {
  const host = useHost();
  return (e: KeyboardEvent<HTMLElement>) => {
    const s = host.store.getState();
    const action = mapKeyAction(e.key, e.shiftKey, s.mapSelection);
    if (!action) return;
    e.preventDefault();
    const auto = s.mirror?.state.automation?.rois;
    const found = s.mirror?.state.roiFinder;
    if (action === 'unselect') s.selectOnMap(null);
    else if (action === 'next' || action === 'previous')
      s.selectOnMap(
        stepRoi(roiSelections(auto, found), s.mapSelection, action === 'next' ? 1 : -1),
      );
    else if (action === 'goto') {
      const o = cameraOrientationOf(s.mirror?.state.stageOrientation);
      const d = roiDetails(s.mapSelection, auto, found, o);
      if (d) goto({ x: d.xUm, y: d.yUm });
    } else if (action === 'delete-vertex' && s.mapSelection?.kind === 'vertex') {
      const { position, index } = s.mapSelection;
      const o = outlines.find((q) => q.position === position && ownRing(q) !== null);
      if (o && submitRingEdit(o, { op: 'delete', index }, s.movePlanPosition, s.pushNotice))
        s.selectOnMap(null);
    }
  };
}
