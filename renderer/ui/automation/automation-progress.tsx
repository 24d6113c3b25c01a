/**
 * The current or last automation run: phase, tile progress, ROI counts, ETA, per-ROI status
 * (with skip reasons), failure and the report's path once written.
 */
import type { AutomationView } from '../../../electron/api/contract';
import { formatDuration, fraction } from '../format';

/**
 * Tiles reached so far: `tileIndex` is the 0-based tile being (or last) scanned, meaningful
 * once the run has left 'starting'. Tiles beyond the ROI budget are never scanned.
 */
export function tilesReached(run: AutomationView): number {
  if (run.phase === 'starting') return 0;
  return Math.min(run.tileIndex + 1, run.tileTotal);
}

export function AutomationProgress({ run }: { run: AutomationView | null }) {
  if (!run) {
    return (
      <p className="empty" data-testid="automation-phase" data-phase="none">
        No automation run yet.
      </p>
    );
  }
  const label = run.pauseRequested && run.phase !== 'paused' ? 'pausing…' : run.phase;
  const tilesDone = tilesReached(run);
  return (
    <div className="automation-run" data-testid="automation-run">
      <div className="row">
        <span>
          {run.name}{' '}
          <b className={`phase ${run.phase}`} data-testid="automation-phase" data-phase={run.phase}>
            {label}
          </b>
        </span>
        <span className="sub" data-testid="automation-dir">
          {run.dir}
        </span>
      </div>
      <div
        className="bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={run.tileTotal}
        aria-valuenow={tilesDone}
        data-testid="automation-tiles"
      >
        <div
          className="fill"
          style={{ width: `${(fraction(tilesDone, run.tileTotal) * 100).toFixed(1)}%` }}
        />
        <span className="bar-text">
          tile {tilesDone} / {run.tileTotal}
        </span>
      </div>
      <div className="row counters">
        <span>
          found <b data-testid="automation-found">{run.found}</b>
        </span>
        <span>
          imaged <b data-testid="automation-imaged">{run.imaged}</b>
        </span>
        <span>
          skipped <b data-testid="automation-skipped">{run.skipped}</b>
        </span>
        <span>
          to do <b data-testid="automation-remaining">{run.remaining}</b>
        </span>
        <span>
          ETA <b data-testid="automation-eta">{formatDuration(run.etaS)}</b>
        </span>
      </div>
      {run.rois.length > 0 && (
        <ul className="automation-rois" data-testid="automation-rois">
          {run.rois.map((r) => (
            <li
              key={r.id}
              className={`${r.state}${r.id === run.currentRoi ? ' current' : ''}`}
              data-testid={`automation-roi-${r.id}`}
              data-state={r.state}
            >
              #{r.id + 1} tile {r.tile + 1} ({r.xUm.toFixed(1)}, {r.yUm.toFixed(1)}) µm — {r.state}
              {r.frames > 0 && ` · ${r.frames} frames`}
              {r.reason && <span className="reason">: {r.reason}</span>}
            </li>
          ))}
        </ul>
      )}
      {run.failure && (
        <p className="alert" role="alert" data-testid="automation-failure">
          Run failed: {run.failure.message} ({run.failure.code})
        </p>
      )}
      {run.report && (
        <div className="row">
          Report: <code data-testid="automation-report">{run.report}</code>
        </div>
      )}
    </div>
  );
}
