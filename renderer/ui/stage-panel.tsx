/** Stage/focus readouts with limits, jog buttons and step sizes, go-to fields and stop. */
import { useState } from 'react';
import type { LimitRange } from '../../electron/api/contract';
import { parseNumberField } from '../input/parse-number';
import { axisLabel, jogDelta, type ScreenDirection } from '../input/stage-orientation';
import { useHost, useUi } from './host-context';
import { OrientationCheck } from './orientation-check';

export const XY_STEPS_UM = [0.1, 1, 10, 100, 1000];
export const Z_STEPS_UM = [0.1, 0.5, 1, 5, 10, 50];

function Readout(p: { axis: 'x' | 'y' | 'z'; value: number | null; limit: LimitRange | null }) {
  const { axis, value, limit } = p;
  const near = value !== null && limit !== null && (value <= limit.min || value >= limit.max);
  return (
    <div className={`readout${near ? ' at-limit' : ''}`}>
      <span className="axis">{axis.toUpperCase()}</span>
      <span className="value" data-testid={`stage-${axis}`}>
        {value === null ? '—' : value.toFixed(2)}
      </span>
      <span className="unit">µm</span>
      <span className="limits" data-testid={`limit-${axis}`}>
        {limit ? `${limit.min} … ${limit.max}` : ''}
      </span>
    </div>
  );
}

function StepSelect(p: {
  testId: string;
  steps: number[];
  value: number;
  onChange(v: number): void;
}) {
  return (
    <select
      data-testid={p.testId}
      value={p.value}
      onChange={(e) => p.onChange(Number(e.target.value))}
    >
      {p.steps.map((s) => (
        <option key={s} value={s}>
          {s} µm
        </option>
      ))}
    </select>
  );
}

/** Screen direction, grid cell class, arrow; each button's stage axis follows the orientation. */
const JOG_BUTTONS: readonly [ScreenDirection, string, string][] = [
  ['up', 'j-up', '↑'],
  ['left', 'j-left', '←'],
  ['right', 'j-right', '→'],
  ['down', 'j-down', '↓'],
];

export function StagePanel() {
  const host = useHost();
  const stage = useUi((s) => s.mirror?.state.stage ?? null);
  const focus = useUi((s) => s.mirror?.state.focus ?? null);
  const limits = useUi((s) => s.mirror?.state.safety.limits ?? null);
  const step = useUi((s) => s.jogStepUm);
  const stepZ = useUi((s) => s.jogStepZUm);
  const setStep = useUi((s) => s.setJogStepUm);
  const setStepZ = useUi((s) => s.setJogStepZUm);
  const orientation = useUi((s) => s.mirror?.state.stageOrientation);
  const pushNotice = useUi((s) => s.pushNotice);
  const [gx, setGx] = useState('');
  const [gy, setGy] = useState('');
  const [gz, setGz] = useState('');

  const jogXy = (dxUm: number, dyUm: number) => void host.run('stage.moveBy', { dxUm, dyUm });
  const jogZ = (dzUm: number) => void host.run('focus.moveBy', { dzUm });
  const gotoXy = () => {
    const x = parseNumberField(gx === '' && stage ? String(stage.xUm) : gx, 'Go to X (µm)');
    const y = parseNumberField(gy === '' && stage ? String(stage.yUm) : gy, 'Go to Y (µm)');
    // Keyed like the command's own refusals: the next successful move clears them.
    if (!x.ok) return pushNotice('error', x.error, { key: 'stage.moveTo' });
    if (!y.ok) return pushNotice('error', y.error, { key: 'stage.moveTo' });
    void host.run('stage.moveTo', { xUm: x.value, yUm: y.value });
  };
  const gotoZ = () => {
    const z = parseNumberField(gz, 'Go to Z (µm)');
    if (!z.ok) return pushNotice('error', z.error, { key: 'focus.moveTo' });
    void host.run('focus.moveTo', { zUm: z.value });
  };
  const stopAll = () => {
    if (stage) void host.run('stage.stop', {});
    if (focus) void host.run('focus.stop', {});
  };
  const noXy = !stage;
  const noZ = !focus;

  return (
    <section className="panel" data-testid="stage-panel">
      <h2>
        Stage{' '}
        {(stage?.busy || focus?.busy) && (
          <span className="badge busy" data-testid="stage-busy">
            moving
          </span>
        )}
      </h2>
      <Readout axis="x" value={stage?.xUm ?? null} limit={limits?.xUm ?? null} />
      <Readout axis="y" value={stage?.yUm ?? null} limit={limits?.yUm ?? null} />
      <Readout axis="z" value={focus?.zUm ?? null} limit={limits?.zUm ?? null} />
      <div className="jog">
        <div className="jog-grid" title="Arrows move the field of view as they point on the image">
          {JOG_BUTTONS.map(([dir, cls, arrow]) => (
            <button
              type="button"
              key={dir}
              className={cls}
              data-testid={`jog-${dir}`}
              disabled={noXy}
              onClick={() => {
                const d = jogDelta(orientation, dir, step);
                jogXy(d.dxUm, d.dyUm);
              }}
            >
              {arrow} <span className="jog-axis">{axisLabel(orientation, dir)}</span>
            </button>
          ))}
        </div>
        <div className="jog-z">
          <button type="button" data-testid="jog-z-plus" disabled={noZ} onClick={() => jogZ(stepZ)}>
            Z+
          </button>
          <button
            type="button"
            data-testid="jog-z-minus"
            disabled={noZ}
            onClick={() => jogZ(-stepZ)}
          >
            Z−
          </button>
        </div>
        <div className="jog-steps">
          <label>
            XY step{' '}
            <StepSelect testId="jog-step" steps={XY_STEPS_UM} value={step} onChange={setStep} />
          </label>
          <label>
            Z step{' '}
            <StepSelect testId="jog-step-z" steps={Z_STEPS_UM} value={stepZ} onChange={setStepZ} />
          </label>
        </div>
        <OrientationCheck disabled={noXy} />
      </div>
      <form className="goto" onSubmit={(e) => (e.preventDefault(), gotoXy())}>
        <input
          data-testid="goto-x"
          placeholder="X µm"
          value={gx}
          onChange={(e) => setGx(e.target.value)}
          disabled={noXy}
        />
        <input
          data-testid="goto-y"
          placeholder="Y µm"
          value={gy}
          onChange={(e) => setGy(e.target.value)}
          disabled={noXy}
        />
        <button type="submit" data-testid="goto-xy" disabled={noXy}>
          Go XY
        </button>
      </form>
      <form className="goto" onSubmit={(e) => (e.preventDefault(), gotoZ())}>
        <input
          data-testid="goto-z"
          placeholder="Z µm"
          value={gz}
          onChange={(e) => setGz(e.target.value)}
          disabled={noZ}
        />
        <button type="submit" data-testid="goto-z-go" disabled={noZ}>
          Go Z
        </button>
      </form>
      <button
        type="button"
        className="stop"
        data-testid="stage-stop"
        onClick={stopAll}
        disabled={noXy && noZ}
      >
        Stop motion
      </button>
      <p className="hint">
        Live view focused: arrows jog XY, PgUp/PgDn jog Z, Shift ×10, Alt ÷10, Esc stops.
      </p>
    </section>
  );
}
