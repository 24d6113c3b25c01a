/**
 * The current or last run: state, progress bar, where it is now (t / position / channel / z),
 * ETA, data rate, frames, drops, errors. While paused, ETA and rate say so instead of
 * showing the last running values.
 */
import type { RunPhase, RunPosition, RunView } from '../../electron/api/contract';
import { describeError } from '../state/error-text';
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

const ACTIVE: readonly RunPhase[] = ['running', 'paused', 'cancelling'];

/** Readout order and labels of the run axes; others (sub-sequence axes) follow by name. */
const AXES: readonly [string, string][] = [
  ['t', 't'],
  ['p', 'position'],
  ['g', 'tile'],
  ['c', 'channel'],
  ['z', 'z'],
];

const um = (v: number) => String(Number(v.toFixed(2)));

/** "t 3/30 · position 1/2 (pos1) · channel GFP · z 2/5 · at 10, -20, 1.5 µm"; 1-based. */
export function describePosition(p: RunPosition, sizes: Record<string, number>): string {
  const known = new Set(AXES.map(([a]) => a));
  const extra = Object.keys(p.index).filter((a) => !known.has(a));
  const axes: [string, string][] = [...AXES, ...extra.map((a): [string, string] => [a, a])];
  const parts: string[] = [];
  for (const [axis, label] of axes) {
    const i = p.index[axis];
    if (i === undefined) continue;
    const of = `${i + 1}/${sizes[axis] ?? '?'}`;
    if (axis === 'c') parts.push(`channel ${p.channel ?? of}`);
    else if (axis === 'p' && p.position) parts.push(`${label} ${of} (${p.position})`);
    else parts.push(`${label} ${of}`);
  }
  if (p.index.c === undefined && p.channel) parts.push(`channel ${p.channel}`);
  const xyz = [p.xUm, p.yUm, p.zUm];
  if (xyz.some((v) => v !== null))
    parts.push(`at ${xyz.map((v) => (v === null ? '–' : um(v))).join(', ')} µm`);
  return parts.join(' · ') || 'first event';
}

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
  // Paused: nothing is written, so neither the rate nor a countdown applies.
  const paused = run.state === 'paused';
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
      {run.current && ACTIVE.includes(run.state) && (
        <div className="run-now" data-testid="run-now">
          now: {describePosition(run.current, run.axisSizes ?? {})}
        </div>
      )}
      <div className="row counters">
        <span>
          ETA{' '}
          <b data-testid="run-eta">
            {paused ? `paused (${formatDuration(run.etaS)} left)` : formatDuration(run.etaS)}
          </b>
        </span>
        <span>
          <b data-testid="run-rate">{paused ? 'paused' : formatRate(run.dataRateBytesPerS)}</b>
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
          Run failed: {describeError(run.failure).text} ({run.failure.code})
        </p>
      )}
    </div>
  );
}
