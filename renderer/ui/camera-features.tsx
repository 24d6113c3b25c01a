/**
 * Issue #14: the camera's feature browser (what `camera.listFeatures` returns): a filterable
 * list with type, access, range or entries, unit and value; writable features get an editor
 * when `editable`, and a refused write shows its error at the field. Features the Camera
 * interface owns are shown with the command that sets them instead of an editor.
 */
import { useState, type KeyboardEvent } from 'react';
import type { FeatureValue, FeatureView } from '../../electron/api/contract';

/** Case-insensitive match on the name, type or description. */
export function filterFeatures(features: FeatureView[], text: string): FeatureView[] {
  const q = text.trim().toLowerCase();
  if (!q) return features;
  return features.filter((f) =>
    [f.name, f.type, f.description ?? ''].some((s) => s.toLowerCase().includes(q)),
  );
}

/** The typed value an Integer, Float or String field's text stands for, or why it is not one. */
export function parseFeatureInput(
  f: FeatureView,
  text: string,
): { value: FeatureValue } | { error: string } {
  if (f.type === 'String' || f.type === 'StringReg') return { value: text };
  const t = text.trim();
  const n = t === '' ? NaN : Number(t);
  if (!Number.isFinite(n)) return { error: `${f.name} takes a number` };
  if (/Int/.test(f.type) && !Number.isInteger(n)) return { error: `${f.name} takes an integer` };
  if ((f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max))
    return { error: `${f.name} allows ${f.min} to ${f.max}` };
  return { value: n };
}

const WRITABLE = new Set(['RW', 'WO']);

function range(f: FeatureView): string {
  if (f.entries) return f.entries.join(' | ');
  const huge = (x: number | undefined) => x === undefined || Math.abs(x) >= 1e300;
  if (huge(f.min) && huge(f.max)) return '';
  const step = f.inc !== undefined && f.inc !== 1 ? ` step ${f.inc}` : '';
  return `${f.min} … ${f.max}${step}`;
}

const shown = (v: FeatureValue | undefined) => (v === undefined ? '' : String(v));

export interface FeatureBrowserProps {
  features: FeatureView[];
  /** Writes allowed (in control, no e-stop latched); observers get a read-only list. */
  editable: boolean;
  /** Per feature: the error of its last refused write. */
  errors: Record<string, string>;
  /** Writes a feature; null executes a command. */
  onSet: (name: string, value: FeatureValue | null) => void;
  /** Initial filter text (tests). */
  initialFilter?: string;
}

export function FeatureBrowser({
  features,
  editable,
  errors,
  onSet,
  initialFilter = '',
}: FeatureBrowserProps) {
  const [filter, setFilter] = useState(initialFilter);
  const [local, setLocal] = useState<Record<string, string>>({});
  const list = filterFeatures(features, filter);
  const problem = { ...errors, ...local };
  const submit = (f: FeatureView, text: string) => {
    const parsed = parseFeatureInput(f, text);
    if ('error' in parsed) return setLocal((l) => ({ ...l, [f.name]: parsed.error }));
    setLocal(({ [f.name]: _gone, ...rest }) => rest);
    onSet(f.name, parsed.value);
  };
  const editor = (f: FeatureView) => {
    const id = `feature-${f.name}-input`;
    if (f.type === 'Command')
      return (
        <button
          type="button"
          className="small"
          data-testid={id}
          onClick={() => onSet(f.name, null)}
        >
          execute
        </button>
      );
    if (f.type === 'Enumeration')
      return (
        <select
          data-testid={id}
          value={shown(f.value)}
          onChange={(e) => onSet(f.name, e.target.value)}
        >
          {(f.entries ?? []).map((e) => (
            <option key={e}>{e}</option>
          ))}
        </select>
      );
    if (f.type === 'Boolean')
      return (
        <input
          type="checkbox"
          data-testid={id}
          checked={f.value === true}
          onChange={(e) => onSet(f.name, e.target.checked)}
        />
      );
    return (
      <input
        data-testid={id}
        defaultValue={shown(f.value)}
        key={shown(f.value)}
        aria-invalid={problem[f.name] !== undefined}
        onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
          if (e.key === 'Enter') submit(f, e.currentTarget.value);
        }}
        onBlur={(e) => {
          if (e.currentTarget.value !== shown(f.value)) submit(f, e.currentTarget.value);
        }}
      />
    );
  };
  return (
    <div className="feature-browser" data-testid="feature-browser">
      <input
        type="search"
        placeholder="filter features"
        data-testid="feature-filter"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <span className="sub" data-testid="feature-count">
        {' '}
        {list.length} of {features.length}
      </span>
      <table className="features">
        <tbody>
          {list.map((f) => (
            <tr key={f.name} data-testid={`feature-${f.name}`} title={f.description}>
              <td className="dev-id">
                {f.name}
                <div className="sub">
                  {f.type} · {f.access}
                </div>
              </td>
              <td className="sub" data-testid={`feature-${f.name}-range`}>
                {range(f)}
                {f.unit ? ` ${f.unit}` : ''}
              </td>
              <td data-testid={`feature-${f.name}-value`}>
                {editable && WRITABLE.has(f.access) && !f.managedBy ? editor(f) : shown(f.value)}
                {f.managedBy && <div className="sub">set by {f.managedBy}</div>}
                {f.error && <div className="dev-error">{f.error}</div>}
                {problem[f.name] && (
                  <div className="dev-error" role="alert" data-testid={`feature-${f.name}-error`}>
                    {problem[f.name]}
                  </div>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
