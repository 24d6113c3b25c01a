/**
 * Cobolt 04/05/06/08 classic command set, from the steering repo's protocols.md §6 (sources:
 * Micro-Manager Cobolt and CoboltOfficial adapters, python-microscope cobolt.py).
 * Framing: commands end `\r`, every command answers one line ending `\r\n`; some units
 * echo the command first (tolerated: the echo line is skipped). Errors are text lines
 * containing "error" (e.g. `Syntax error: illegal command`), not numbered codes.
 */
import { DeviceError, ProtocolError } from '../../errors';
import { oneLineAfterEcho, type ReplyShape } from '../../serial/framing';

export function coboltReply(command: string): ReplyShape {
  return oneLineAfterEcho(command);
}

/** The reply line, without an echo of the command. */
export function replyValue(lines: readonly string[], command: string): string {
  const echo = command.trim().toLowerCase();
  const v = lines.find((l) => l.trim().toLowerCase() !== echo)?.trim();
  if (v === undefined)
    throw new ProtocolError(`Cobolt: no reply line to "${command}"`, { raw: lines.join('\n') });
  return v;
}

/** Known error texts → meaning. Wording varies by firmware [U]; unknown texts keep their own words. */
const ERROR_MEANINGS: [RegExp, string][] = [
  [/illegal command/i, 'unknown command'],
  [/out of range|range error/i, 'parameter out of range'],
  [/only allowed when operating mode/i, 'not allowed in the current operating mode'],
  [/autostart/i, 'not allowed while autostart is enabled (send @cobas 0)'],
  [/interlock/i, 'interlock open'],
];

export function coboltVendorError(
  lines: readonly string[],
  command: string,
): DeviceError | undefined {
  const line = lines.find((l) => /error/i.test(l));
  if (line === undefined) return undefined;
  const text = line.trim();
  const meaning = ERROR_MEANINGS.find(([re]) => re.test(text))?.[1] ?? 'device reported an error';
  return new DeviceError(`Cobolt refused "${command}": ${text} (${meaning})`, {
    vendorCode: text,
    meaning,
    command,
  });
}

/** `f?` fault codes. */
export const COBOLT_FAULTS: Record<number, string> = {
  0: 'no fault',
  1: 'temperature error',
  3: 'interlock open',
  4: 'constant power fault',
};

/** `gom?` operating modes (table differs on some models [U]). */
export const COBOLT_OPERATING_MODES: Record<number, string> = {
  0: 'off',
  1: 'waiting for temperature',
  2: 'continuous',
  3: 'on/off modulation',
  4: 'modulation',
  5: 'fault',
  6: 'aborted',
};

export function parseCoboltNumber(text: string, what: string): number {
  const v = Number(text.replace(/\s*(mw|w|ma|a)$/i, '').trim());
  if (text.trim() === '' || !Number.isFinite(v)) {
    throw new ProtocolError(`Cobolt: ${what} is not a number: "${text}"`, { raw: text });
  }
  return v;
}

export function parseCoboltInt(text: string, what: string): number {
  const v = parseCoboltNumber(text, what);
  if (!Number.isInteger(v))
    throw new ProtocolError(`Cobolt: ${what} is not an integer: "${text}"`, { raw: text });
  return v;
}

/** Wavelength from a `glm?` model string: the first `-` token, e.g. `0488-06-01-…` → 488 [U]. */
export function wavelengthFromModel(model: string): number | undefined {
  const first = Number(model.trim().split('-')[0]);
  return Number.isInteger(first) && first >= 200 && first <= 2_000 ? first : undefined;
}

/** Watts for the classic `p` command, 4 decimals (0.1 mW resolution). */
export function formatCoboltWatts(powerMw: number): string {
  return (powerMw / 1000).toFixed(4);
}
