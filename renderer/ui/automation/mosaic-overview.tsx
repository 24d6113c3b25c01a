/**
 * Mosaic overview of a run: the scanned area's tiles (when the plan is known to this page),
 * its ROIs coloured by status and the stage's current field. Clicking an ROI, or anywhere
 * on the map, moves the stage there (stage.moveTo; a refusal is shown).
 */
import { useState, type MouseEvent } from 'react';
import type { ApiError, AutomationRoiView } from '../../../electron/api/contract';
import { useCanControl } from '../control-bar';
import { useHost, useUi } from '../host-context';
import { callOutcome } from './call-outcome';
import { boundsOf, fitMapping, tileRects, type ScanGrid } from './mosaic-geometry';

const SIZE = { widthPx: 360, heightPx: 240 };

export function MosaicOverview({
  grid,
  rois,
}: {
  grid: ScanGrid | null;
  rois: readonly AutomationRoiView[];
}) {
  const host = useHost();
  const stage = useUi((s) => s.mirror?.state.stage ?? null);
  // SVG clicks are not disabled by the control gate's fieldset: check the lease hint here.
  const inControl = useCanControl();
  const [error, setError] = useState<ApiError | null>(null);
  const tiles = grid ? tileRects(grid) : [];
  const bounds = boundsOf(tiles, rois, grid ? 0 : 20);
  if (!bounds) return null;
  const map = fitMapping(bounds, SIZE);
  const moveTo = async (xUm: number, yUm: number) => {
    if (!inControl) return;
    const r = await callOutcome(host, 'stage.moveTo', { xUm, yUm });
    setError(r.ok ? null : r.error);
  };
  const onMapClick = (e: MouseEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const p = map.toUm(
      ((e.clientX - box.left) / box.width) * SIZE.widthPx,
      ((e.clientY - box.top) / box.height) * SIZE.heightPx,
    );
    void moveTo(p.xUm, p.yUm);
  };
  const field = grid?.fieldUm;
  return (
    <div className="mosaic">
      <svg
        className="plot mosaic-map"
        data-testid="mosaic"
        data-clickable={inControl}
        viewBox={`0 0 ${SIZE.widthPx} ${SIZE.heightPx}`}
        width={SIZE.widthPx}
        height={SIZE.heightPx}
        onClick={onMapClick}
      >
        {tiles.map((t, i) => {
          const a = map.toPx(t.xUm, t.yUm);
          return (
            <rect
              key={i}
              className="mosaic-tile"
              data-testid={`mosaic-tile-${i}`}
              x={a.x}
              y={a.y}
              width={t.widthUm * map.pxPerUm}
              height={t.heightUm * map.pxPerUm}
            />
          );
        })}
        {stage && field && (
          <rect
            className="mosaic-stage"
            data-testid="mosaic-stage"
            x={map.toPx(stage.xUm - field.widthUm / 2, 0).x}
            y={map.toPx(0, stage.yUm - field.heightUm / 2).y}
            width={field.widthUm * map.pxPerUm}
            height={field.heightUm * map.pxPerUm}
          />
        )}
        {rois.map((r) => {
          const p = map.toPx(r.xUm, r.yUm);
          return (
            <circle
              key={r.id}
              className={`mosaic-roi ${r.state}`}
              data-testid={`mosaic-roi-${r.id}`}
              cx={p.x}
              cy={p.y}
              r={4}
              onClick={(e) => {
                e.stopPropagation();
                void moveTo(r.xUm, r.yUm);
              }}
            >
              <title>
                #{r.id + 1} {r.state} ({r.xUm.toFixed(1)}, {r.yUm.toFixed(1)}) µm
              </title>
            </circle>
          );
        })}
      </svg>
      {error && (
        <p className="alert" role="alert" data-testid="mosaic-error">
          {error.message} ({error.code})
        </p>
      )}
    </div>
  );
}
