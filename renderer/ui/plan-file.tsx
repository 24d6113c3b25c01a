/**
 * Load a plan JSON (file input) and save the current plan (an `<a download>` whose href is
 * a blob: URL, re-made whenever the plan changes and revoked after). The CSP has no
 * `blob:` for scripts or frames; a download link needs none.
 */
import { useEffect, useState, type ChangeEvent } from 'react';
import { importPlan, type ImportResult } from './plan-import';

export interface PlanFileProps {
  /** The plan to save; null disables saving (the form has errors). */
  plan: Record<string, unknown> | null;
  fileName: string;
  presets: readonly string[];
  onLoaded(result: Extract<ImportResult, { ok: true }>, fileName: string): void;
  onError(message: string): void;
}

export function PlanFile({ plan, fileName, presets, onLoaded, onError }: PlanFileProps) {
  const [href, setHref] = useState<string | null>(null);
  const json = plan ? `${JSON.stringify(plan, null, 2)}\n` : null;
  useEffect(() => {
    if (json === null || typeof URL.createObjectURL !== 'function') {
      setHref(null);
      return;
    }
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [json]);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    const text = await file.text();
    input.value = ''; // the same file can be loaded again after edits
    const r = importPlan(text, file.name, presets);
    if (r.ok) onLoaded(r, file.name);
    else onError(r.error);
  };

  return (
    <div className="row plan-file">
      <label className="file-button">
        Load plan…
        <input
          type="file"
          accept=".json,application/json"
          data-testid="acq-plan-load"
          onChange={(e) => void onFile(e)}
        />
      </label>
      {href ? (
        <a className="file-button" href={href} download={fileName} data-testid="acq-plan-save">
          Save plan
        </a>
      ) : (
        <span className="file-button disabled" data-testid="acq-plan-save" aria-disabled="true">
          Save plan
        </span>
      )}
    </div>
  );
}
