/**
 * "Scan overview": acquires a coarse grid of fields around the current stage position
 * through the ordinary commands (stage.moveTo, camera.snap), each frame waiting until the
 * mosaic has placed it; live view is stopped first (a snap needs it off). Stop ends after
 * the current field. Any refusal ends the scan with the host's reason.
 */
import { useRef, useState } from 'react';
import { callOutcome } from '../ui/automation/call-outcome';
import { useHost, useUi } from '../ui/host-context';
import { NumberField } from '../ui/number-field';
import { cameraOrientationOf, frameFootprint } from './frame-placement';
import { liveField } from './frame-ingest';
import type { NavigatorController } from './navigator-controller';
import { overviewGrid } from './scan-overview';

const PLACE_TIMEOUT_MS = 10_000;

export function ScanOverview({ controller }: { controller: NavigatorController | null }) {
  const host = useHost();
  const [rows, setRows] = useState(3);
  const [columns, setColumns] = useState(3);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const stop = useRef(false);
  const ready = useUi((s) => s.mirror?.state.camera != null && s.mirror?.state.stage != null);

  const run = async () => {
    const s = host.store.getState().mirror?.state;
    if (!controller || !s?.camera || !s.stage) return;
    const o = cameraOrientationOf(s.stageOrientation);
    const f = frameFootprint(liveField(s.camera, s.stage, o), o);
    const grid = overviewGrid(
      {
        center: { x: s.stage.xUm, y: s.stage.yUm },
        fieldWidthUm: f.x1 - f.x0,
        fieldHeightUm: f.y1 - f.y0,
        rows,
        columns,
      },
      s.safety.limits,
    );
    stop.current = false;
    setError(null);
    setProgress({ done: 0, total: grid.length });
    const fail = (what: string, e: { message: string; code: string }) =>
      setError(`${what}: ${e.message} [${e.code}]`);
    if (s.camera.live) {
      const r = await callOutcome(host, 'camera.stopLive', {});
      if (!r.ok) return (fail('stopping live', r.error), setProgress(null));
    }
    for (let i = 0; i < grid.length && !stop.current; i++) {
      const p = grid[i]!;
      const moved = await callOutcome(host, 'stage.moveTo', { xUm: p.x, yUm: p.y });
      if (!moved.ok) return (fail(`field ${i + 1}`, moved.error), setProgress(null));
      const snap = await callOutcome(host, 'camera.snap', {});
      if (!snap.ok) return (fail(`field ${i + 1}`, snap.error), setProgress(null));
      if (!(await controller.waitPlaced(snap.value.seq, PLACE_TIMEOUT_MS))) {
        setError(`field ${i + 1}: frame ${snap.value.seq} did not reach the map`);
        setProgress(null);
        return;
      }
      setProgress({ done: i + 1, total: grid.length });
    }
    setProgress(null);
  };

  const busy = progress !== null;
  return (
    <div className="nav-scan">
      <div className="row">
        <NumberField
          testId="nav-scan-rows"
          label="rows"
          width="3em"
          digits={0}
          value={rows}
          min={1}
          max={50}
          onCommit={(v) => setRows(Math.round(v))}
        />
        <NumberField
          testId="nav-scan-columns"
          label="cols"
          width="3em"
          digits={0}
          value={columns}
          min={1}
          max={50}
          onCommit={(v) => setColumns(Math.round(v))}
        />
        {busy ? (
          <button type="button" data-testid="nav-scan-stop" onClick={() => (stop.current = true)}>
            Stop ({progress.done}/{progress.total})
          </button>
        ) : (
          <button
            type="button"
            data-testid="nav-scan"
            disabled={!ready || !controller}
            onClick={() => void run()}
          >
            Scan overview
          </button>
        )}
      </div>
      {error && (
        <p className="error" data-testid="nav-scan-error">
          {error}
        </p>
      )}
    </div>
  );
}
