/**
 * The plan form: channels from the presets, z stack, time-lapse, positions captured from
 * the stage, grid. Controlled: the acquisition panel owns the `PlanForm` state; numbers stay
 * text here and are checked by `buildPlan`.
 */
import type { ReactNode } from 'react';
import type { ChannelPreset, PlanProblem } from '../../electron/api/contract';
import { useHost, useUi } from './host-context';
import { nextPositionName, type PlanForm, type ZMode } from './plan-builder';

/** The problems whose plan field is `prefix` or lies under it (`z_plan` → `z_plan.range`). */
export function problemsAt(problems: readonly PlanProblem[], prefix: string): PlanProblem[] {
  return problems.filter(
    (p) => p.path === prefix || p.path.startsWith(`${prefix}.`) || p.path.startsWith(`${prefix}[`),
  );
}

/** The host's plan check (plan.estimate) shown at one field: errors red, warnings amber. */
export function FieldProblems(p: { problems: readonly PlanProblem[]; testId: string }) {
  if (p.problems.length === 0) return null;
  return (
    <ul className="plan-problems" data-testid={p.testId}>
      {p.problems.map((x) => (
        <li key={`${x.path} ${x.message}`} className={x.severity}>
          {x.message}
        </li>
      ))}
    </ul>
  );
}

export interface PlanFormProps {
  form: PlanForm;
  onChange(next: PlanForm): void;
  presets: readonly ChannelPreset[];
  disabled: boolean;
  /** The host's check of the built plan, each shown at its field (see `shownAtField`). */
  problems?: readonly PlanProblem[];
}

/** Whether the form shows `p` at one of its fields (the panel lists the others). */
export function shownAtField(p: PlanProblem, positions: number): boolean {
  if (['channels', 'z_plan', 'grid_plan'].some((f) => problemsAt([p], f).length > 0)) return true;
  const at = /^stage_positions\[(\d+)\]/.exec(p.path);
  return at !== null && Number(at[1]) < positions;
}

function TextInput(p: {
  testId: string;
  label: string;
  unit?: string;
  value: string;
  placeholder?: string;
  onChange(v: string): void;
}) {
  return (
    <label className="field">
      <span className="field-label">{p.label}</span>
      <input
        data-testid={p.testId}
        inputMode="decimal"
        className="num"
        value={p.value}
        placeholder={p.placeholder}
        onChange={(e) => p.onChange(e.target.value)}
      />
      {p.unit && <span className="unit">{p.unit}</span>}
    </label>
  );
}

function Check(p: {
  testId: string;
  label: ReactNode;
  checked: boolean;
  onChange(v: boolean): void;
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        data-testid={p.testId}
        checked={p.checked}
        onChange={(e) => p.onChange(e.target.checked)}
      />
      {p.label}
    </label>
  );
}

export function PlanFormView({ form, onChange, presets, disabled, problems = [] }: PlanFormProps) {
  const host = useHost();
  const stage = useUi((s) => s.mirror?.state.stage ?? null);
  const focus = useUi((s) => s.mirror?.state.focus ?? null);
  const set = (patch: Partial<PlanForm>) => onChange({ ...form, ...patch });
  const presetOf = (name: string) => presets.find((p) => p.name === name);

  const addPosition = () => {
    if (!stage) return;
    const row = {
      name: nextPositionName(form.positions),
      xUm: stage.xUm,
      yUm: stage.yUm,
      zUm: focus ? focus.zUm : null,
    };
    set({ positions: [...form.positions, row] });
  };

  return (
    <fieldset className="plan-form" disabled={disabled} data-testid="acq-form">
      <h3>Channels</h3>
      {form.channels.length === 0 && <p className="empty">No channel presets configured.</p>}
      <FieldProblems problems={problemsAt(problems, 'channels')} testId="acq-problems-channels" />
      {form.channels.map((c, i) => (
        <div className="row" key={c.name}>
          <Check
            testId={`acq-channel-${c.name}`}
            label={c.name}
            checked={c.enabled}
            onChange={(enabled) =>
              set({ channels: form.channels.map((r, j) => (j === i ? { ...r, enabled } : r)) })
            }
          />
          <TextInput
            testId={`acq-channel-${c.name}-exposure`}
            label="exposure"
            unit="ms"
            value={c.exposureMs}
            placeholder={String(presetOf(c.name)?.exposureMs ?? '')}
            onChange={(exposureMs) =>
              set({ channels: form.channels.map((r, j) => (j === i ? { ...r, exposureMs } : r)) })
            }
          />
        </div>
      ))}

      <h3>Z stack</h3>
      <div className="row">
        <select
          data-testid="acq-z-mode"
          value={form.z.mode}
          onChange={(e) => set({ z: { ...form.z, mode: e.target.value as ZMode } })}
        >
          <option value="none">none</option>
          <option value="range">range around focus</option>
          <option value="top-bottom">top / bottom</option>
        </select>
        {form.z.mode === 'range' && (
          <TextInput
            testId="acq-z-range"
            label="range"
            unit="µm"
            value={form.z.rangeUm}
            onChange={(rangeUm) => set({ z: { ...form.z, rangeUm } })}
          />
        )}
        {form.z.mode !== 'none' && (
          <TextInput
            testId="acq-z-step"
            label="step"
            unit="µm"
            value={form.z.stepUm}
            onChange={(stepUm) => set({ z: { ...form.z, stepUm } })}
          />
        )}
      </div>
      {form.z.mode === 'top-bottom' && (
        <div className="row">
          {(['top', 'bottom'] as const).map((edge) => (
            <span className="row" key={edge}>
              <TextInput
                testId={`acq-z-${edge}`}
                label={edge}
                unit="µm"
                value={edge === 'top' ? form.z.topUm : form.z.bottomUm}
                onChange={(v) =>
                  set({ z: { ...form.z, [edge === 'top' ? 'topUm' : 'bottomUm']: v } })
                }
              />
              <button
                type="button"
                data-testid={`acq-z-${edge}-here`}
                disabled={!focus}
                title="Use the current focus position"
                onClick={() =>
                  focus &&
                  set({
                    z: { ...form.z, [edge === 'top' ? 'topUm' : 'bottomUm']: String(focus.zUm) },
                  })
                }
              >
                here
              </button>
            </span>
          ))}
        </div>
      )}

      <FieldProblems problems={problemsAt(problems, 'z_plan')} testId="acq-problems-z" />

      <h3>Time-lapse</h3>
      <div className="row">
        <Check
          testId="acq-t-enabled"
          label="time-lapse"
          checked={form.time.enabled}
          onChange={(enabled) => set({ time: { ...form.time, enabled } })}
        />
        {form.time.enabled && (
          <>
            <TextInput
              testId="acq-t-loops"
              label="time points"
              value={form.time.loops}
              onChange={(loops) => set({ time: { ...form.time, loops } })}
            />
            <TextInput
              testId="acq-t-interval"
              label="every"
              unit="s"
              value={form.time.intervalS}
              onChange={(intervalS) => set({ time: { ...form.time, intervalS } })}
            />
          </>
        )}
      </div>

      <h3>Positions</h3>
      <div className="row">
        <button
          type="button"
          data-testid="acq-add-position"
          disabled={!stage}
          onClick={addPosition}
        >
          + current position
        </button>
        <button
          type="button"
          data-testid="acq-positions-clear"
          disabled={form.positions.length === 0}
          onClick={() => set({ positions: [] })}
        >
          clear
        </button>
        {form.positions.length === 0 && <span className="sub">none: the current position</span>}
      </div>
      {form.positions.length > 0 && (
        <ol className="positions" data-testid="acq-positions">
          {form.positions.map((p, i) => (
            <li key={p.name} data-testid={`acq-position-${i}`}>
              <span className="mono">
                {p.name}: {p.xUm.toFixed(1)}, {p.yUm.toFixed(1)}
                {p.zUm !== null && `, ${p.zUm.toFixed(1)}`} µm
              </span>
              <button
                type="button"
                data-testid={`acq-position-${i}-go`}
                title="Move the stage (and focus) here"
                onClick={() => {
                  void host.run('stage.moveTo', { xUm: p.xUm, yUm: p.yUm });
                  if (p.zUm !== null && focus) void host.run('focus.moveTo', { zUm: p.zUm });
                }}
              >
                go
              </button>
              <button
                type="button"
                data-testid={`acq-position-${i}-remove`}
                onClick={() => set({ positions: form.positions.filter((_, j) => j !== i) })}
              >
                ✕
              </button>
              <FieldProblems
                problems={problemsAt(problems, `stage_positions[${i}]`)}
                testId={`acq-problems-position-${i}`}
              />
            </li>
          ))}
        </ol>
      )}

      <h3>Grid</h3>
      <div className="row">
        <Check
          testId="acq-grid-enabled"
          label="tiles"
          checked={form.grid.enabled}
          onChange={(enabled) => set({ grid: { ...form.grid, enabled } })}
        />
        {form.grid.enabled && (
          <>
            <TextInput
              testId="acq-grid-rows"
              label="rows"
              value={form.grid.rows}
              onChange={(rows) => set({ grid: { ...form.grid, rows } })}
            />
            <TextInput
              testId="acq-grid-columns"
              label="columns"
              value={form.grid.columns}
              onChange={(columns) => set({ grid: { ...form.grid, columns } })}
            />
            <TextInput
              testId="acq-grid-overlap"
              label="overlap"
              unit="%"
              value={form.grid.overlapPct}
              onChange={(overlapPct) => set({ grid: { ...form.grid, overlapPct } })}
            />
          </>
        )}
      </div>
      <FieldProblems problems={problemsAt(problems, 'grid_plan')} testId="acq-problems-grid" />
    </fieldset>
  );
}
