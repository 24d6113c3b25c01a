/** Parses a user-typed number for field `label`, with a readable error naming the field. */
export function parseNumberField(
  text: string,
  label: string,
  min?: number,
  max?: number,
): { ok: true; value: number } | { ok: false; error: string } {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value)) {
    return { ok: false, error: `${label}: "${text}" is not a number` };
  }
  if (min !== undefined && value < min)
    return { ok: false, error: `${label}: ${value} is below ${min}` };
  if (max !== undefined && value > max)
    return { ok: false, error: `${label}: ${value} is above ${max}` };
  return { ok: true, value };
}
