/**
 * ROI finder: a few finding options, "Find ROIs" (rois.find on a fresh snap), the result as
 * boxes on the live view (RoiOverlay) and as a list to accept / reject (rois.setVerdict) /
 * go to. The list and its verdicts are host state (AppState.roiFinder): a reload or a
 * second client shows the same.
 */
import { useState } from 'react';
import type { ApiError, CommandParams } from '../../../electron/api/contract';
import { useHost, useUi } from '../host-context';
import { NumberField } from '../number-field';
import { callOutcome } from './call-outcome';
import { RoiList, verdictSummary } from './roi-list';
import { overlayCurrent } from './roi-overlay';

type FindOptions = CommandParams<'rois.find'>;

/** Starting options: the kernels' defaults suit beads; these suit cells at ~0.1–0.2 µm/px. */
export const DEFAULT_FIND_OPTIONS = {
  threshold: 'otsu',
  minAreaPx: 300,
  backgroundRadiusPx: 0,
  hysteresis: 0.5,
  split: true,
  maxCount: 50,
} as const satisfies FindOptions;

export function RoiFinderPanel() {
  const host = useHost();
  const found = useUi((s) => s.mirror?.state.roiFinder ?? null);
  const verdicts = found?.verdicts ?? [];
  const show = useUi((s) => s.showRoiOverlay);
  const [opts, setOpts] = useState<FindOptions>(DEFAULT_FIND_OPTIONS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [moving, setMoving] = useState<number | null>(null);
  const [moveErrors, setMoveErrors] = useState<ReadonlyMap<number, ApiError>>(new Map());
  const [sentToPlan, setSentToPlan] = useState(0);
  const set = (patch: Partial<FindOptions>) => setOpts((o) => ({ ...o, ...patch }));

  const find = async () => {
    setBusy(true);
    const r = await callOutcome(host, 'rois.find', { ...opts, source: 'snap' });
    setBusy(false);
    setError(r.ok ? null : r.error);
    setMoveErrors(new Map());
    if (r.ok) setSentToPlan(0);
  };
  /** Verdicts and Clear go to the host; a refusal (e.g. a list replaced meanwhile) is shown. */
  const tell = async <N extends 'rois.setVerdict' | 'rois.clear'>(
    name: N,
    args: CommandParams<N>,
  ) => {
    const r = await callOutcome(host, name, args);
    setError(r.ok ? null : r.error);
  };
  const goTo = async (index: number) => {
    const roi = found?.rois[index];
    if (!roi) return;
    setMoving(index);
    const r = await callOutcome(host, 'stage.moveTo', { xUm: roi.xUm, yUm: roi.yUm });
    setMoving(null);
    setMoveErrors((m) => {
      const next = new Map(m);
      if (r.ok) next.delete(index);
      else next.set(index, r.error);
      return next;
    });
  };
  const stale = useUi(
    (st) =>
      !overlayCurrent(
        st.mirror?.state.roiFinder?.atStageUm ?? null,
        st.mirror?.state.stage ?? null,
      ),
  );
  const s = host.store.getState();

  return (
    <section className="panel roi-finder" data-testid="roi-finder-panel">
      <h2>
        ROI finder
        {found && (
          <span className="sub" data-testid="roi-summary">
            {verdictSummary(verdicts)}
          </span>
        )}
      </h2>
      <div className="row">
        <select
          data-testid="roi-threshold"
          aria-label="Threshold"
          value={typeof opts.threshold === 'string' ? opts.threshold : 'otsu'}
          onChange={(e) => set({ threshold: e.target.value === 'triangle' ? 'triangle' : 'otsu' })}
        >
          <option value="otsu">Otsu</option>
          <option value="triangle">triangle</option>
        </select>
        <NumberField
          testId="roi-min-area"
          label="min area"
          unit="px"
          width="4em"
          digits={0}
          value={opts.minAreaPx ?? null}
          min={0}
          onCommit={(v) => set({ minAreaPx: v })}
        />
        <NumberField
          testId="roi-background"
          label="bg radius"
          unit="px"
          width="3.5em"
          digits={0}
          value={opts.backgroundRadiusPx ?? null}
          min={0}
          onCommit={(v) => set({ backgroundRadiusPx: v })}
        />
        <label className="field">
          <input
            type="checkbox"
            data-testid="roi-split"
            checked={opts.split ?? false}
            onChange={(e) => set({ split: e.target.checked })}
          />
          <span className="field-label">split touching</span>
        </label>
      </div>
      <div className="row">
        <button type="button" data-testid="roi-find" disabled={busy} onClick={() => void find()}>
          {busy ? 'Finding…' : 'Find ROIs'}
        </button>
        <label className="field">
          <input
            type="checkbox"
            data-testid="roi-show-overlay"
            checked={show}
            onChange={(e) => s.setShowRoiOverlay(e.target.checked)}
          />
          <span className="field-label">show on image</span>
        </label>
        {found && (
          <button type="button" data-testid="roi-clear" onClick={() => void tell('rois.clear', {})}>
            Clear
          </button>
        )}
        {found && (
          <button
            type="button"
            data-testid="roi-to-plan"
            disabled={!verdicts.includes('accepted')}
            title="Add the accepted ROIs' stage positions to the Acquire tab's plan"
            onClick={() => setSentToPlan(s.sendAcceptedToPlan(found))}
          >
            Add accepted to plan
          </button>
        )}
        {sentToPlan > 0 && (
          <span className="sub" data-testid="roi-sent-to-plan">
            {sentToPlan} position{sentToPlan === 1 ? '' : 's'} added to the Acquire tab's plan
          </span>
        )}
      </div>
      {error && (
        <p className="alert" role="alert" data-testid="roi-error">
          {error.message} ({error.code})
        </p>
      )}
      {found && stale && (
        <p className="hint" data-testid="roi-stale">
          The stage has moved since these ROIs were found: boxes are hidden; Find again to see them
          on the current field.
        </p>
      )}
      {found && (
        <RoiList
          rois={found.rois}
          verdicts={verdicts}
          moveErrors={moveErrors}
          movingIndex={moving}
          onVerdict={(i, v) =>
            void tell('rois.setVerdict', { frameSeq: found.frameSeq, index: i, verdict: v })
          }
          onGoTo={(i) => void goTo(i)}
        />
      )}
    </section>
  );
}
