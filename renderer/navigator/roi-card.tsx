/**
 * The details card of the ROI selected on the map: where it is and how big, its score, area
 * and state or verdict, and what can be done with it: Go to (stage.moveTo through the safety
 * layer; a refusal is shown by the Navigate panel like a double-click's), and for an ROI of
 * the ROI finder's list Accept / Reject (rois.setVerdict, the host's verdicts every client
 * sees, as in the ROI list) and Add to plan once accepted (the roi-slice plan inbox).
 */
import { useState } from 'react';
import type { ApiError, RoiVerdict } from '../../electron/api/contract';
import { callOutcome } from '../ui/automation/call-outcome';
import { useHost, useUi } from '../ui/host-context';
import { cameraOrientationOf, type Vec } from './frame-placement';
import { roiDetails } from './roi-selection';

const um = (v: number) => v.toFixed(1);
/** Scores range from below 1 to thousands: whole numbers from 100, else 3 significant digits. */
const score = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));

export function RoiCard({ onGoto }: { onGoto(p: Vec): void }) {
  const host = useHost();
  const selection = useUi((s) => s.mapSelection);
  const auto = useUi((s) => s.mirror?.state.automation?.rois);
  const found = useUi((s) => s.mirror?.state.roiFinder ?? null);
  const so = useUi((s) => s.mirror?.state.stageOrientation);
  const select = useUi((s) => s.selectOnMap);
  const sendRoisToPlan = useUi((s) => s.sendRoisToPlan);
  const [error, setError] = useState<{ key: string; error: ApiError } | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const d = roiDetails(selection, auto, found, cameraOrientationOf(so));
  if (!d) return null;
  const sel = d.selection;
  const key = JSON.stringify(sel);
  const verdict = async (v: RoiVerdict) => {
    if (sel.kind !== 'found-roi') return;
    const r = await callOutcome(host, 'rois.setVerdict', {
      frameSeq: sel.frameSeq,
      index: sel.index,
      verdict: d.status === v ? 'pending' : v,
    });
    setError(r.ok ? null : { key, error: r.error });
  };
  const box = d.boxUm;
  return (
    <div className="nav-card" data-testid="nav-roi-card" data-roi={key}>
      <div className="row">
        <strong data-testid="nav-roi-card-title">{d.title}</strong>
        <span className={`nav-roi-status ${d.status}`} data-testid="nav-roi-card-status">
          {d.status}
        </span>
        <button
          type="button"
          className="nav-card-close"
          data-testid="nav-roi-card-close"
          aria-label="Unselect (Esc)"
          onClick={() => select(null)}
        >
          ×
        </button>
      </div>
      <dl className="nav-card-fields">
        <dt>position</dt>
        <dd>
          X <span data-testid="nav-roi-card-x">{um(d.xUm)}</span> Y{' '}
          <span data-testid="nav-roi-card-y">{um(d.yUm)}</span> µm
        </dd>
        {(box || d.sizePx) && (
          <>
            <dt>size</dt>
            <dd data-testid="nav-roi-card-size">
              {box && `${um(box.x1 - box.x0)} × ${um(box.y1 - box.y0)} µm `}
              {d.sizePx && `(${d.sizePx.widthPx} × ${d.sizePx.heightPx} px)`}
            </dd>
          </>
        )}
        {d.areaPx !== null && (
          <>
            <dt>area</dt>
            <dd data-testid="nav-roi-card-area">{Math.round(d.areaPx)} px</dd>
          </>
        )}
        {d.score !== null && (
          <>
            <dt>score</dt>
            <dd data-testid="nav-roi-card-score">{score(d.score)}</dd>
          </>
        )}
        {d.meanIntensity !== null && (
          <>
            <dt>mean</dt>
            <dd>{d.meanIntensity.toFixed(0)} ADU</dd>
          </>
        )}
        {d.frames !== null && (
          <>
            <dt>frames</dt>
            <dd>{d.frames}</dd>
          </>
        )}
        {d.reason && (
          <>
            <dt>skipped</dt>
            <dd>{d.reason}</dd>
          </>
        )}
        {d.dataset && (
          <>
            <dt>dataset</dt>
            <dd>{d.dataset}</dd>
          </>
        )}
      </dl>
      <div className="row">
        <button
          type="button"
          data-testid="nav-roi-goto"
          title="Move the stage to the ROI's centre (double-click the ROI does the same)"
          onClick={() => onGoto({ x: d.xUm, y: d.yUm })}
        >
          Go to
        </button>
        {sel.kind === 'found-roi' && found && (
          <>
            <button
              type="button"
              data-testid="nav-roi-accept"
              aria-pressed={d.status === 'accepted'}
              onClick={() => void verdict('accepted')}
            >
              Accept
            </button>
            <button
              type="button"
              data-testid="nav-roi-reject"
              aria-pressed={d.status === 'rejected'}
              onClick={() => void verdict('rejected')}
            >
              Reject
            </button>
            <button
              type="button"
              data-testid="nav-roi-to-plan"
              disabled={d.status !== 'accepted'}
              title="Add this accepted ROI's stage position to the Acquire tab's plan"
              onClick={() => {
                if (sendRoisToPlan(found, [sel.index]) > 0) setSent(key);
              }}
            >
              Add to plan
            </button>
          </>
        )}
        {sent === key && (
          <span className="sub" data-testid="nav-roi-sent">
            added to the Acquire tab&apos;s plan
          </span>
        )}
      </div>
      {error?.key === key && (
        <p
          className="error"
          role="alert"
          data-testid="nav-roi-card-error"
          data-code={error.error.code}
        >
          {error.error.message} [{error.error.code}]
        </p>
      )}
    </div>
  );
}
