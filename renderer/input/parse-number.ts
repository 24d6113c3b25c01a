/**
 * Parses a user-typed number for field `label` (in `unit`, when it has one), with a plain
 * error naming the field, the value and the limit with their unit.
 */
export function parseNumberField(
  text: string,
  label: string,
  min?: number,
  max?: number,
  unit?: string,
): { ok: true; value: number } | { ok: false; error: string } {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value)) {
    return { ok: false, error: `${label}: "${text}" is not a number` };
  }
  const u = unit ? ` ${unit}` : '';
  if (min !== undefined && value < min)
    return { ok: false, error: `${label}: ${value}${u} is below the minimum of ${min}${u}` };
  if (max !== undefined && value > max)
    return { ok: false, error: `${label}: ${value}${u} is above the maximum of ${max}${u}` };
  return { ok: true, value };
}
