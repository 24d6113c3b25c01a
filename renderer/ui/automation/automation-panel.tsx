/**
 * Unattended FLImP-style runs: load a plan JSON or edit its main fields, Start / Pause /
 * Resume / Cancel, and the run's progress. A refused start (bad plan field, busy hardware)
 * is shown here with the host's message.
 */
import { useState, type ChangeEvent } from 'react';
import type { ApiError, AutomationPhase } from '../../../electron/api/contract';
import { useHost, useUi } from '../host-context';
import { NumberField } from '../number-field';
import { AutomationProgress } from './automation-progress';
import { callOutcome } from './call-outcome';
import { gridFromPlan, type ScanGrid } from './mosaic-geometry';
import { MosaicOverview } from './mosaic-overview';
import {
  defaultFlimpPlan,
  getField,
  parseFlimpPlan,
  PLAN_FIELDS,
  setField,
  type FlimpPlan,
  type PlanField,
} from './flimp-plan-fields';

const ACTIVE: readonly AutomationPhase[] = [
  'starting',
  'scanning',
  'imaging',
  'paused',
  'cancelling',
];

function FieldInput(p: {
  field: PlanField;
  plan: FlimpPlan;
  lasers: readonly string[];
  onChange(value: unknown): void;
}) {
  const { field, plan } = p;
  const v = getField(plan, field.path);
  const testId = `flimp-${field.path.replace(/\./g, '-')}`;
  if (field.kind === 'laser') {
    return (
      <label className="field">
        <span className="field-label">{field.label}</span>
        <select
          data-testid={testId}
          value={String(v ?? '')}
          onChange={(e) => p.onChange(e.target.value)}
        >
          {[...new Set([...p.lasers, String(v ?? '')])].filter(Boolean).map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </label>
    );
  }
  if (field.kind === 'boolean') {
    return (
      <label className="field">
        <input
          type="checkbox"
          data-testid={testId}
          checked={v === true}
          onChange={(e) => p.onChange(e.target.checked)}
        />
        <span className="field-label">{field.label}</span>
      </label>
    );
  }
  if (field.kind === 'text') {
    return (
      <label className="field">
        <span className="field-label">{field.label}</span>
        <input
          data-testid={testId}
          value={typeof v === 'string' ? v : ''}
          onChange={(e) => p.onChange(e.target.value)}
        />
      </label>
    );
  }
  return (
    <NumberField
      testId={testId}
      label={field.label}
      unit={field.unit}
      width="4.2em"
      digits={field.kind === 'integer' ? 0 : 2}
      value={typeof v === 'number' ? v : null}
      min={field.min}
      max={field.max}
      onCommit={(n) => p.onChange(field.kind === 'integer' ? Math.round(n) : n)}
    />
  );
}

export function AutomationPanel() {
  const host = useHost();
  const run = useUi((s) => s.mirror?.state.automation ?? null);
  const lasers = useUi((s) => Object.keys(s.mirror?.state.lasers ?? {}).join(','));
  const laserIds = lasers ? lasers.split(',') : [];
  const [plan, setPlan] = useState<FlimpPlan | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const [edited, setEdited] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** The grid of the run started from this page (tiles are not part of the host's view). */
  const [started, setStarted] = useState<{ dir: string; grid: ScanGrid | null } | null>(null);
  const shown = plan ?? defaultFlimpPlan(laserIds[0] ?? 'laser');
  const active = run !== null && ACTIVE.includes(run.phase);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    const text = await file.text();
    input.value = '';
    const r = parseFlimpPlan(text, file.name);
    if (!r.ok) return setError(r.error);
    setError(null);
    setPlan(r.plan);
    setFileName(file.name);
    setEdited(false);
  };
  const command = async (
    fn: () => Promise<{ ok: true } | { ok: false; error: ApiError }>,
  ): Promise<void> => {
    setBusy(true);
    const r = await fn();
    setBusy(false);
    setError(r.ok ? null : `${r.error.message} (${r.error.code})`);
  };
  const start = () =>
    command(async () => {
      const st = host.store.getState().mirror?.state;
      const r = await callOutcome(host, 'automation.start', { plan: shown });
      if (r.ok) {
        const grid = gridFromPlan(shown, st?.stage ?? null, st?.camera ?? null);
        setStarted({ dir: r.value.dir, grid });
      }
      return r;
    });

  return (
    <section className="panel automation" data-testid="automation-panel">
      <h2>
        Automation <span className="sub">FLImP-style run</span>
      </h2>
      <div className="row plan-file">
        <label className="file-button">
          Load plan…
          <input
            type="file"
            accept=".json,application/json"
            data-testid="flimp-plan-load"
            onChange={(e) => void onFile(e)}
          />
        </label>
        <span className="sub" data-testid="flimp-plan-source">
          {fileName ?? 'default plan'}
          {edited && ' (edited)'}
        </span>
      </div>
      <div className="row flimp-fields">
        {PLAN_FIELDS.map((f) => (
          <FieldInput
            key={f.path}
            field={f}
            plan={shown}
            lasers={laserIds}
            onChange={(v) => {
              setPlan(setField(shown, f.path, v));
              setEdited(true);
            }}
          />
        ))}
      </div>
      <div className="row">
        <button
          type="button"
          data-testid="automation-start"
          disabled={busy || active}
          onClick={() => void start()}
        >
          Start
        </button>
        {run?.phase === 'paused' ? (
          <button
            type="button"
            data-testid="automation-resume"
            disabled={busy}
            onClick={() => void command(() => callOutcome(host, 'automation.resume', {}))}
          >
            Resume
          </button>
        ) : (
          <button
            type="button"
            data-testid="automation-pause"
            disabled={busy || !active || run?.phase === 'cancelling'}
            onClick={() => void command(() => callOutcome(host, 'automation.pause', {}))}
          >
            Pause
          </button>
        )}
        <button
          type="button"
          data-testid="automation-cancel"
          disabled={busy || !active || run?.phase === 'cancelling'}
          onClick={() => void command(() => callOutcome(host, 'automation.cancel', {}))}
        >
          Cancel
        </button>
      </div>
      {error && (
        <p className="alert" role="alert" data-testid="automation-error">
          {error}
        </p>
      )}
      <AutomationProgress run={run} />
      {run && (
        <MosaicOverview grid={started?.dir === run.dir ? started.grid : null} rois={run.rois} />
      )}
    </section>
  );
}
