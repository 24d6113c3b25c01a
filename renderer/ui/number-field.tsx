/**
 * A numeric input that commits on Enter or blur (never per keystroke). Invalid or
 * out-of-range text is refused with a message under the field, naming the field, the unit
 * and the limit; it clears as soon as the operator edits the field again.
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

export function NumberField(p: NumberFieldProps) {
  const shown = p.value === null ? '' : p.value.toFixed(p.digits ?? 2);
  const [text, setText] = useState(shown);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!editing) setText(shown);
  }, [shown, editing]);
  // A new value from the host answers the message: it no longer applies.
  useEffect(() => setError(null), [shown]);

  const commit = () => {
    setEditing(false);
    if (text === shown) return setError(null);
    const r = parseNumberField(text, p.name ?? p.label, p.min, p.max, p.unit);
    if (!r.ok) {
      setError(r.error);
      setText(shown);
      return;
    }
    setError(null);
    p.onCommit(r.value);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') e.currentTarget.blur();
    if (e.key === 'Escape') {
      setText(shown);
      setEditing(false);
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
        value={text}
        onFocus={() => setEditing(true)}
        onChange={(e) => {
          setEditing(true);
          setText(e.target.value);
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
