/**
 * The focus lock: calibrate, lock/unlock, offset, its state (off/locking/locked/lost), the
 * RMS error and a live error trace. The trace holds the host's full-rate samples
 * (`focusLock.trace`, polled every TRACE_POLL_MS while the lock is engaged) in a ring buffer
 * drawn into a canvas, never through React state; AppState carries a throttled view only.
 */
import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../../electron/api/contract';
import { useHost, useUi } from '../host-context';
import { NumberField } from '../number-field';
import { callOutcome } from './call-outcome';
import { drawErrorTrace } from './error-trace';
import { SampleRing } from './sample-ring';

export const TRACE_WINDOW_MS = 60_000;
/** A minute of samples at the lock's default 50 per second. */
const TRACE_CAPACITY = 4096;
const TRACE_POLL_MS = 250;

/** Ring, canvas and readout of the trace, fed by polling the host while the lock is engaged. */
function useErrorTrace(engaged: boolean) {
  const host = useHost();
  const canvas = useRef<HTMLCanvasElement>(null);
  const range = useRef<HTMLSpanElement>(null);
  const ring = useRef(new SampleRing(TRACE_CAPACITY));
  const lastMs = useRef(Number.NEGATIVE_INFINITY);
  useEffect(() => {
    if (!engaged) return;
    let stopped = false;
    let raf = 0;
    // Host clock: the newest sample's time stands for "now" (remote clients' clocks differ).
    const draw = () => {
      raf = 0;
      if (!canvas.current || lastMs.current === Number.NEGATIVE_INFINITY) return;
      const half = drawErrorTrace(canvas.current, ring.current, lastMs.current, TRACE_WINDOW_MS);
      canvas.current.dataset.samples = String(ring.current.length);
      if (range.current) range.current.textContent = `±${half} µm`;
    };
    const poll = async () => {
      const after = lastMs.current;
      const r = await callOutcome(
        host,
        'focusLock.trace',
        Number.isFinite(after) ? { afterMs: after } : {},
      );
      if (stopped || !r.ok) return;
      for (const s of r.value.samples) {
        lastMs.current = s.tMs;
        if (s.errorUm !== null) ring.current.push(s.tMs, s.errorUm);
      }
      if (r.value.samples.length > 0 && !raf) raf = requestAnimationFrame(draw);
    };
    void poll();
    const timer = setInterval(() => void poll(), TRACE_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
      if (raf) cancelAnimationFrame(raf);
    };
  }, [host, engaged]);
  return { canvas, range };
}

const nm = (um: number | null | undefined) => (um == null ? '—' : `${(um * 1000).toFixed(0)} nm`);

export function FocusLockPanel() {
  const host = useHost();
  const present = useUi((s) => s.mirror?.state.focusLock != null);
  const state = useUi((s) => s.mirror?.state.focusLock?.state ?? 'off');
  const calibrated = useUi((s) => s.mirror?.state.focusLock?.calibrated ?? false);
  const offsetUm = useUi((s) => s.mirror?.state.focusLock?.offsetUm ?? 0);
  const reason = useUi((s) => s.mirror?.state.focusLock?.reason ?? null);
  const errorUm = useUi((s) => s.mirror?.state.focusLock?.errorUm);
  const rmsUm = useUi((s) => s.mirror?.state.focusLock?.rmsErrorUm);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [calibration, setCalibration] = useState<string | null>(null);
  const engaged = state !== 'off';
  const trace = useErrorTrace(engaged);

  if (!present) {
    return (
      <section className="panel" data-testid="focus-lock-panel">
        <h2>Focus lock</h2>
        <p className="empty">No focus sensor configured.</p>
      </section>
    );
  }
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
          error <b data-testid="focus-lock-error">{nm(errorUm)}</b>
          <br />
          rms 1 s <b data-testid="focus-lock-rms">{nm(rmsUm)}</b>
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
