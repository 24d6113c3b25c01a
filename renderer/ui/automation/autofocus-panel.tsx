/**
 * Software autofocus: range, tolerance and focus measure, a Run button, the returned focus
 * curve with the chosen Z, or the host's error (E_AUTOFOCUS: "no focus found…").
 */
import { useState } from 'react';
import type { CommandParams } from '../../../electron/api/contract';
import { useHost } from '../host-context';
import { NumberField } from '../number-field';
import { callOutcome, type CallOutcome } from './call-outcome';
import { FocusCurvePlot } from './focus-curve-plot';

type FocusMeasureName = NonNullable<CommandParams<'autofocus.run'>['measure']>;

const MEASURES: readonly FocusMeasureName[] = [
  'normalized-variance',
  'brenner',
  'tenengrad',
  'vollath-f4',
  'laplacian-variance',
];

type Outcome = CallOutcome<'autofocus.run'> | null;

export function AutofocusPanel() {
  const host = useHost();
  const [rangeUm, setRangeUm] = useState(20);
  const [toleranceUm, setToleranceUm] = useState(0.25);
  const [measure, setMeasure] = useState<FocusMeasureName>('normalized-variance');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const run = async () => {
    setBusy(true);
    const args: CommandParams<'autofocus.run'> = { rangeUm, toleranceUm, measure };
    setOutcome(await callOutcome(host, 'autofocus.run', args));
    setBusy(false);
  };

  return (
    <section className="panel automation-autofocus" data-testid="autofocus-panel">
      <h2>Autofocus</h2>
      <div className="row">
        <NumberField
          testId="autofocus-range"
          label="±"
          unit="µm"
          width="3.5em"
          digits={1}
          value={rangeUm}
          min={0.5}
          max={1000}
          onCommit={setRangeUm}
        />
        <NumberField
          testId="autofocus-tolerance"
          label="tol"
          unit="µm"
          width="3.5em"
          digits={2}
          value={toleranceUm}
          min={0.01}
          max={100}
          onCommit={setToleranceUm}
        />
        <select
          data-testid="autofocus-measure"
          value={measure}
          aria-label="Focus measure"
          onChange={(e) => setMeasure(e.target.value as FocusMeasureName)}
        >
          {MEASURES.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
        <button
          type="button"
          data-testid="autofocus-run"
          disabled={busy}
          onClick={() => void run()}
        >
          {busy ? 'Focusing…' : 'Autofocus'}
        </button>
      </div>
      {outcome?.ok === true && (
        <>
          <div className="sub" data-testid="autofocus-result">
            Z {outcome.value.zUm.toFixed(2)} µm (from {outcome.value.startZUm.toFixed(2)}) ·{' '}
            {outcome.value.images} images
          </div>
          <FocusCurvePlot
            curve={outcome.value.curve}
            chosenZUm={outcome.value.zUm}
            startZUm={outcome.value.startZUm}
          />
        </>
      )}
      {outcome?.ok === false && (
        <p className="alert" role="alert" data-testid="autofocus-error">
          {outcome.error.message} ({outcome.error.code})
        </p>
      )}
    </section>
  );
}
