/**
 * A numeric input that commits on Enter or blur (never per keystroke). Invalid or
 * out-of-range text is refused with a message under the field, naming the field, the unit
 * and the limit; it clears as soon as the operator edits the field again.
 *
 * While the field has focus its text is the operator's: what it showed when it got focus
 * (so a selection made then, e.g. by Tab, is still what the next keystroke replaces) or what
 * they typed since; a new value from the host shows only once focus leaves. Leaving a field
 * commits what was typed, and nothing if nothing was, however far the value moved meanwhile.
 */
import { useEffect, useState, type KeyboardEvent } from 'react';
import { parseNumberField } from '../input/parse-number';

export interface NumberFieldProps {
  testId: string;
  label: string;
  /** The field's name in messages when the label is an abbreviation ("P" → "Power"). */
  name?: string;
  unit?: string;
  /** The current value from the host; shown when the field is not being edited. */
  value: number | null;
  min?: number;
  max?: number;
  digits?: number;
  disabled?: boolean;
  width?: string;
  onCommit(value: number): void;
}

/** The text of a focused field: shown at focus, then the operator's; `edited` once they typed. */
export interface FieldDraft {
  text: string;
  edited: boolean;
}

/**
 * The text a commit sends: only what the operator typed, even when it equals the value shown
 * (typing the auto-contrast maximum into "max" still means "hold it there").
 */
export function draftToCommit(draft: FieldDraft | null): string | null {
  return draft?.edited ? draft.text : null;
}

export function NumberField(p: NumberFieldProps) {
  const shown = p.value === null ? '' : p.value.toFixed(p.digits ?? 2);
  // Derived, not synced by an effect: a deferred effect could replace the text (and the
  // selection) after the field got focus.
  const [draft, setDraft] = useState<FieldDraft | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A new value from the host answers the message: it no longer applies.
  useEffect(() => setError(null), [shown]);

  const commit = () => {
    const text = draftToCommit(draft);
    setDraft(null);
    if (text === null) return setError(null);
    const r = parseNumberField(text, p.name ?? p.label, p.min, p.max, p.unit);
    if (!r.ok) return setError(r.error);
    setError(null);
    p.onCommit(r.value);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') e.currentTarget.blur();
    if (e.key === 'Escape') {
      setDraft({ text: shown, edited: false });
      setError(null);
    }
  };
  return (
    <label className="field">
      <span className="field-label">{p.label}</span>
      <input
        data-testid={p.testId}
        className={error ? 'invalid' : undefined}
        inputMode="decimal"
        style={p.width ? { width: p.width } : undefined}
        disabled={p.disabled}
        value={draft?.text ?? shown}
        onFocus={() => setDraft({ text: shown, edited: false })}
        onChange={(e) => {
          setDraft({ text: e.target.value, edited: true });
          setError(null);
        }}
        onBlur={commit}
        onKeyDown={onKey}
        aria-invalid={error ? true : undefined}
      />
      {p.unit && <span className="unit">{p.unit}</span>}
      {error && (
        <span className="field-error" data-testid={`${p.testId}-error`} role="alert">
          {error}
        </span>
      )}
    </label>
  );
}
