/**
 * Acquisition: build (or load) a plan, see its estimate, start / pause / resume / cancel a
 * run and follow its progress. The form state lives here and survives tab switches (the
 * side-bar tabs hide panels, they do not unmount them).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DatasetEntry, RunPhase } from '../../electron/api/contract';
import { ConfirmButton } from './confirm-button';
import { EstimateScheduler, type EstimateView } from './estimate-scheduler';
import { formatBytes, formatDuration } from './format';
import { useHost, useUi } from './host-context';
import {
  addPositionDrafts,
  buildPlan,
  DATASET_FORMATS,
  datasetNameError,
  emptyPlanForm,
  syncPresets,
  type DatasetFormat,
  type PlanForm,
} from './plan-builder';
import { LoadedPlan } from './loaded-plan';
import { PlanFile } from './plan-file';
import { importPlan } from './plan-import';
import { FieldProblems, PlanFormView, shownAtField } from './plan-form';
import { RunProgress } from './run-progress';
import { applyOutlineEdits, applyPositionMoves } from '../navigator/plan-edits';

const NO_CHANNELS: readonly never[] = [];
const NO_DATASETS: readonly DatasetEntry[] = [];
const ACTIVE: readonly RunPhase[] = ['running', 'paused', 'cancelling'];
const isDatasetFormat = (f: string): f is DatasetFormat =>
  (DATASET_FORMATS as readonly string[]).includes(f);

interface RawPlan {
  plan: Record<string, unknown>;
  fileName: string;
  unsupported: string[];
}

export function AcquisitionPanel() {
  const host = useHost();
  const presets = useUi((s) => s.mirror?.state.channels ?? NO_CHANNELS);
  const run = useUi((s) => s.mirror?.state.run ?? null);
  const connected = useUi((s) => s.link.state === 'connected');
  const presetNames = useMemo(() => presets.map((p) => p.name), [presets]);
  const datasets = useUi((s) => s.mirror?.state.datasets ?? NO_DATASETS);
  const datasetNames = useMemo(() => datasets.map((d) => d.name), [datasets]);

  const [formState, setFormState] = useState<PlanForm>(() => emptyPlanForm(presetNames));
  // Whether the operator has built or loaded a plan on this page (then a run's plan from the
  // host never replaces it).
  const touched = useRef(false);
  const setForm = useCallback<typeof setFormState>((f) => {
    touched.current = true;
    setFormState(f);
  }, []);
  const form = syncPresets(formState, presetNames);
  const [raw, setRaw] = useState<RawPlan | null>(null);
  const [name, setName] = useState('');
  const [format, setFormat] = useState<DatasetFormat>('ome-zarr-0.4');
  const [estimate, setEstimate] = useState<EstimateView>({ kind: 'idle' });

  // Accepted ROIs sent from the Automate tab (roi-slice planInbox) join the positions.
  const inbox = useUi((s) => s.planInbox);
  const takePlanInbox = useUi((s) => s.takePlanInbox);
  useEffect(() => {
    if (inbox.length === 0) return;
    const drafts = takePlanInbox();
    setForm((f) => addPositionDrafts(f, drafts));
  }, [inbox, takePlanInbox]);

  // Issue #18 §4: a page opened (or reloaded) during a run shows the run's plan, in the
  // form when the form can show it, else as the loaded-plan summary; name and format too.
  const adopted = useRef(false);
  useEffect(() => {
    if (adopted.current || !run?.plan || !ACTIVE.includes(run.state)) return;
    adopted.current = true;
    if (touched.current) return;
    const r = importPlan(JSON.stringify(run.plan), run.name, presetNames);
    if (!r.ok) return;
    if (r.form) setFormState(r.form);
    else setRaw({ plan: r.plan, fileName: `${run.name} (running)`, unsupported: r.unsupported });
    setName(run.name);
    if (isDatasetFormat(run.format)) setFormat(run.format);
  }, [run, presetNames]);

  const built = useMemo(() => buildPlan(form), [form]);
  const plan = raw ? raw.plan : built.ok ? built.plan : null;
  const planKey = plan ? JSON.stringify(plan) : null;
  // Issue #17: the navigator draws this plan's positions.
  const setDraftPlan = useUi((s) => s.setDraftPlan);
  useEffect(() => {
    setDraftPlan(planKey === null ? null : (JSON.parse(planKey) as Record<string, unknown>));
  }, [planKey, setDraftPlan]);
  // Issue #17: positions dragged on the navigator's map move the form's positions; outline
  // edits there (polygon vertices moved, added, removed; grids moved) change a loaded plan's
  // grids (the form has no polygons).
  const moves = useUi((s) => s.positionMoves);
  const takePositionMoves = useUi((s) => s.takePositionMoves);
  const pushNotice = useUi((s) => s.pushNotice);
  useEffect(() => {
    if (moves.length === 0) return;
    const taken = takePositionMoves();
    if (raw) {
      if (taken.some((e) => !('outline' in e)))
        pushNotice('warn', 'A loaded plan runs as loaded: its positions cannot be dragged');
      if (taken.some((e) => 'outline' in e)) {
        const r = applyOutlineEdits(raw.plan, taken);
        if (r.missed > 0)
          pushNotice('warn', `${r.missed} map edit(s) found no such grid or vertex`);
        for (const reason of r.refused) pushNotice('warn', `Polygon not changed: ${reason}`);
        setRaw({ ...raw, plan: r.plan });
      }
      return;
    }
    setForm((f) => applyPositionMoves(f, taken).form);
  }, [moves, takePositionMoves, raw, pushNotice]);

  const scheduler = useRef<EstimateScheduler | null>(null);
  useEffect(() => {
    const s = new EstimateScheduler({
      estimate: (p) => host.connection.call('plan.estimate', { plan: p }),
      onResult: setEstimate,
    });
    scheduler.current = s;
    return () => s.dispose();
  }, [host]);
  useEffect(() => {
    if (!connected) return;
    scheduler.current?.update(planKey === null ? null : (JSON.parse(planKey) as typeof plan));
  }, [planKey, connected]);

  const active = run !== null && ACTIVE.includes(run.state);
  // A name already in the datasets folder is caught here, not only at Start (issue #18 §8);
  // while a run is active its own name is of course taken.
  const nameError = datasetNameError(name, active ? [] : datasetNames);
  // Issue #18: the host's plan check; errors block Start, each shown at its field.
  const problems = (estimate.kind === 'ok' && estimate.estimate.problems) || [];
  const blocked = problems.some((p) => p.severity === 'error');
  const elsewhere = raw
    ? problems
    : problems.filter((p) => !shownAtField(p, form.positions.length));
  const canStart =
    connected &&
    plan !== null &&
    nameError === null &&
    !active &&
    estimate.kind !== 'error' &&
    !blocked;

  const start = () => {
    if (!plan) return;
    void host.run('run.start', { plan, format, ...(name ? { name } : {}) });
  };

  return (
    <section className="panel acquisition" data-testid="acquisition-panel">
      <h2>Acquisition</h2>
      <PlanFile
        plan={plan}
        fileName={`${name || 'plan'}.json`}
        presets={presetNames}
        onLoaded={(r, fileName) => {
          if (r.form) {
            setForm(r.form);
            setRaw(null);
          } else setRaw({ plan: r.plan, fileName, unsupported: r.unsupported });
        }}
        onError={(message) => host.store.getState().pushNotice('error', message)}
      />
      {raw ? (
        <LoadedPlan
          raw={raw}
          presets={presetNames}
          disabled={active}
          onDiscard={() => setRaw(null)}
        />
      ) : (
        <PlanFormView
          form={form}
          onChange={setForm}
          presets={presets}
          disabled={active}
          problems={problems}
        />
      )}
      <FieldProblems problems={elsewhere} testId="acq-problems-plan" />
      {!raw && !built.ok && (
        <ul className="plan-errors" data-testid="acq-plan-errors">
          {built.errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}

      <h3>Dataset</h3>
      <div className="row">
        <label className="field">
          <span className="field-label">name</span>
          <input
            data-testid="acq-name"
            value={name}
            placeholder="(timestamp)"
            style={{ width: '14em' }}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={nameError ? true : undefined}
          />
        </label>
        <select
          data-testid="acq-format"
          value={format}
          onChange={(e) => setFormat(e.target.value as DatasetFormat)}
        >
          {DATASET_FORMATS.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
      </div>
      {nameError && (
        <p className="field-error" role="alert" data-testid="acq-name-error">
          {nameError}
        </p>
      )}

      <EstimateReadout view={estimate} />

      <div className="row run-buttons">
        <button type="button" data-testid="acq-start" disabled={!canStart} onClick={start}>
          ▶ Start
        </button>
        <button
          type="button"
          data-testid="acq-pause"
          disabled={run?.state !== 'running' || run.pauseRequested}
          onClick={() => void host.run('run.pause', {})}
        >
          Pause
        </button>
        <button
          type="button"
          data-testid="acq-resume"
          disabled={run?.state !== 'paused'}
          onClick={() => void host.run('run.resume', {})}
        >
          Resume
        </button>
        <ConfirmButton
          testId="acq-cancel"
          question="Cancel the run?"
          disabled={run?.state !== 'running' && run?.state !== 'paused'}
          onConfirm={() => void host.run('run.cancel', {})}
        >
          Cancel
        </ConfirmButton>
      </div>
      <RunProgress run={run} />
    </section>
  );
}

function EstimateReadout({ view }: { view: EstimateView }) {
  return (
    <div className="estimate" data-testid="acq-estimate" data-state={view.kind}>
      {view.kind === 'idle' && <span className="sub">no estimate: complete the plan</span>}
      {view.kind === 'pending' && <span className="sub">estimating…</span>}
      {view.kind === 'ok' && (
        <span>
          <b data-testid="acq-estimate-frames">{view.estimate.frames}</b> frames ·{' '}
          <b data-testid="acq-estimate-bytes">{formatBytes(view.estimate.bytes)}</b> ·{' '}
          <b data-testid="acq-estimate-duration">{formatDuration(view.estimate.durationS)}</b>
        </span>
      )}
      {view.kind === 'error' &&
        (view.problems ? (
          <ul className="plan-errors" role="alert" data-testid="acq-estimate-error">
            {view.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : (
          <span className="field-error" role="alert" data-testid="acq-estimate-error">
            {view.message}
          </span>
        ))}
    </div>
  );
}
