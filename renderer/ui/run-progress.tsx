/** The current or last run: state, progress bar, ETA, data rate, frames, drops, errors. */
import type { RunPhase, RunView } from '../../electron/api/contract';
import { formatBytes, formatDuration, formatRate, fraction } from './format';

const PHASE_LABEL: Record<RunPhase, string> = {
  idle: 'idle',
  running: 'running',
  paused: 'paused',
  cancelling: 'cancelling',
  finished: 'finished',
  failed: 'failed',
  cancelled: 'cancelled',
};

export function RunProgress({ run }: { run: RunView | null }) {
  if (!run) {
    return (
      <div className="run" data-testid="run">
        <span className="sub">
          Run:{' '}
          <b data-testid="run-state" data-state="none">
            no run yet
          </b>
        </span>
      </div>
    );
  }
  const f = fraction(run.eventIndex, run.eventTotal);
  const label = run.pauseRequested && run.state === 'running' ? 'pausing…' : PHASE_LABEL[run.state];
  return (
    <div className="run" data-testid="run">
      <div className="row">
        <span>
          {run.name}{' '}
          <b className={`phase ${run.state}`} data-testid="run-state" data-state={run.state}>
            {label}
          </b>
        </span>
        <span className="sub">{run.format}</span>
      </div>
      <div
        className="bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={run.eventTotal}
        aria-valuenow={run.eventIndex}
        data-testid="run-progress"
      >
        <div className="fill" style={{ width: `${(f * 100).toFixed(1)}%` }} />
        <span className="bar-text">
          {run.eventIndex} / {run.eventTotal} events
        </span>
      </div>
      <div className="row counters">
        <span>
          ETA <b data-testid="run-eta">{formatDuration(run.etaS)}</b>
        </span>
        <span>
          <b data-testid="run-rate">{formatRate(run.dataRateBytesPerS)}</b>
        </span>
        <span>
          written <b data-testid="run-frames">{run.framesWritten}</b> (
          <span data-testid="run-bytes">{formatBytes(run.bytesWritten)}</span>)
        </span>
        <span className={run.framesDropped > 0 ? 'dropped' : undefined}>
          dropped <b data-testid="run-dropped">{run.framesDropped}</b>
        </span>
      </div>
      {run.framesDropped > 0 && (
        <p className="alert" role="alert" data-testid="run-dropped-warning">
          {run.framesDropped} frame{run.framesDropped === 1 ? ' was' : 's were'} dropped: the
          dataset is missing {run.framesDropped === 1 ? 'it' : 'them'}.
        </p>
      )}
      {run.errors.length > 0 && (
        <ul className="run-errors" data-testid="run-errors">
          {run.errors.map((e, i) => (
            <li key={i}>
              event {e.eventIndex} skipped: {e.message}
            </li>
          ))}
        </ul>
      )}
      {run.failure && (
        <p className="alert" role="alert" data-testid="run-failure">
          Run failed: {run.failure.message} ({run.failure.code})
        </p>
      )}
    </div>
  );
}
