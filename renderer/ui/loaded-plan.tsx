/**
 * A loaded plan the form cannot show: a read-only summary of exactly what will run (in place
 * of the form, which would show another plan), its flags (unknown channels, dark frames),
 * the exact JSON on demand, and the way back to the form.
 */
import { summarizePlan } from './plan-summary';

export interface LoadedPlanProps {
  raw: { plan: Record<string, unknown>; fileName: string; unsupported: string[] };
  presets: readonly string[];
  disabled: boolean;
  onDiscard(): void;
}

export function LoadedPlan({ raw, presets, disabled, onDiscard }: LoadedPlanProps) {
  const rows = summarizePlan(raw.plan, presets);
  return (
    <div className="raw-plan" data-testid="acq-plan-raw">
      <p>
        <b>{raw.fileName}</b> runs exactly as loaded (the form cannot show{' '}
        {raw.unsupported.join(', ')}):
      </p>
      <table className="plan-summary" data-testid="acq-plan-summary">
        <tbody>
          {rows.map((r) => (
            <tr key={r.label} data-testid={`acq-plan-summary-${r.label.replace(/\W+/g, '-')}`}>
              <th>{r.label}</th>
              <td>
                {r.value}
                {r.flag && (
                  <span className="field-error" role="alert" data-testid="acq-plan-summary-flag">
                    {r.flag}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>plan JSON</summary>
        <pre data-testid="acq-plan-json">{JSON.stringify(raw.plan, null, 2)}</pre>
      </details>
      <button
        type="button"
        data-testid="acq-plan-raw-discard"
        disabled={disabled}
        onClick={onDiscard}
      >
        Back to the form
      </button>
    </div>
  );
}
