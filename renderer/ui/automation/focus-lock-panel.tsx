/**
 * The focus lock: calibrate, lock/unlock, offset, its state (off/locking/locked/lost) and a
 * live error trace. errorUm samples (every 250 ms while engaged) go from a store
 * subscription into a ring buffer and the canvas, never through React state.
 */
import { useEffect, useRef, useState } from 'react';
import type { ApiError, FocusLockView } from '../../../electron/api/contract';
import { useHost, useUi } from '../host-context';
import { NumberField } from '../number-field';
import { callOutcome } from './call-outcome';
import { drawErrorTrace } from './error-trace';
import { SampleRing } from './sample-ring';

export const TRACE_WINDOW_MS = 60_000;
const TRACE_CAPACITY = 1024;

/** Ring, canvas and readouts of the trace, fed by the store outside React. */
function useErrorTrace() {
  const host = useHost();
  const canvas = useRef<HTMLCanvasElement>(null);
  const readout = useRef<HTMLSpanElement>(null);
  const range = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const ring = new SampleRing(TRACE_CAPACITY);
    let raf = 0;
    const draw = () => {
      raf = 0;
      if (!canvas.current) return;
      const half = drawErrorTrace(canvas.current, ring, Date.now(), TRACE_WINDOW_MS);
      canvas.current.dataset.samples = String(ring.length);
      if (range.current) range.current.textContent = `±${half} µm`;
    };
    let last: FocusLockView | null | undefined;
    const onState = (lock: FocusLockView | null | undefined) => {
      if (lock === last) return;
      last = lock;
      if (readout.current) {
        readout.current.textContent =
          lock?.errorUm == null ? '—' : `${(lock.errorUm * 1000).toFixed(0)} nm`;
      }
      if (lock?.errorUm == null || lock.state === 'off') return;
      ring.push(Date.now(), lock.errorUm);
      if (!raf) raf = requestAnimationFrame(draw);
    };
    onState(host.store.getState().mirror?.state.focusLock);
    const unsubscribe = host.store.subscribe((s) => onState(s.mirror?.state.focusLock));
    return () => {
      unsubscribe();
      if (raf) cancelAnimationFrame(raf);
    };
  }, [host]);
  return { canvas, readout, range };
}

export function FocusLockPanel() {
  const host = useHost();
  const present = useUi((s) => s.mirror?.state.focusLock != null);
  const state = useUi((s) => s.mirror?.state.focusLock?.state ?? 'off');
  const calibrated = useUi((s) => s.mirror?.state.focusLock?.calibrated ?? false);
  const offsetUm = useUi((s) => s.mirror?.state.focusLock?.offsetUm ?? 0);
  const reason = useUi((s) => s.mirror?.state.focusLock?.reason ?? null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [calibration, setCalibration] = useState<string | null>(null);
  const trace = useErrorTrace();

  if (!present) {
    return (
      <section className="panel" data-testid="focus-lock-panel">
        <h2>Focus lock</h2>
        <p className="empty">No focus sensor configured.</p>
      </section>
    );
  }
  const engaged = state !== 'off';
  const act = async (label: string, fn: () => Promise<ApiError | null>) => {
    setBusy(label);
    setError(await fn());
    setBusy(null);
  };
  const calibrate = () =>
    act('calibrate', async () => {
      const r = await callOutcome(host, 'focusLock.calibrate', {});
      if (!r.ok) return r.error;
      setCalibration(
        `${r.value.pxPerUm.toFixed(1)} px/µm, residual ${r.value.residualPx.toFixed(2)} px`,
      );
      return null;
    });
  const toggle = () =>
    act('lock', async () => {
      const r = await callOutcome(host, engaged ? 'focusLock.unlock' : 'focusLock.lock', {});
      return r.ok ? null : r.error;
    });
  const setOffset = (v: number) =>
    act('offset', async () => {
      const r = await callOutcome(host, 'focusLock.setOffset', { offsetUm: v });
      return r.ok ? null : r.error;
    });

  return (
    <section className="panel focus-lock" data-testid="focus-lock-panel">
      <h2>
        Focus lock{' '}
        <b className={`lock-state ${state}`} data-testid="focus-lock-state" data-state={state}>
          {state}
        </b>
        <span className="sub" data-testid="focus-lock-calibrated">
          {calibrated ? 'calibrated' : 'not calibrated'}
        </span>
      </h2>
      <div className="row">
        <button
          type="button"
          data-testid="focus-lock-calibrate"
          disabled={busy !== null || engaged}
          onClick={() => void calibrate()}
        >
          {busy === 'calibrate' ? 'Calibrating…' : 'Calibrate'}
        </button>
        <button
          type="button"
          className={`toggle${engaged ? ' on' : ''}`}
          data-testid="focus-lock-toggle"
          aria-pressed={engaged}
          disabled={busy !== null || (!engaged && !calibrated)}
          onClick={() => void toggle()}
        >
          {engaged ? 'Unlock' : 'Lock'}
        </button>
        <NumberField
          testId="focus-lock-offset"
          label="offset"
          unit="µm"
          width="4em"
          digits={2}
          value={offsetUm}
          min={-100}
          max={100}
          onCommit={(v) => void setOffset(v)}
        />
      </div>
      {calibration && (
        <div className="sub" data-testid="focus-lock-calibration">
          {calibration}
        </div>
      )}
      <div className="row trace-row">
        <canvas className="trace" data-testid="focus-lock-trace" ref={trace.canvas} />
        <span className="sub">
          error{' '}
          <b data-testid="focus-lock-error" ref={trace.readout}>
            —
          </b>
          <br />
          <span ref={trace.range} />
        </span>
      </div>
      {reason && (
        <p className="alert" role="alert" data-testid="focus-lock-reason">
          {reason}
        </p>
      )}
      {error && (
        <p className="alert" role="alert" data-testid="focus-lock-command-error">
          {error.message} ({error.code})
        </p>
      )}
    </section>
  );
}
