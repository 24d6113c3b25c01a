/**
 * Prior ProScan III reply grammar, error table and unit scaling (protocols.md §2).
 * Pure functions shared by the driver and the wire simulator.
 *
 * Every reply line ends `\r`. Errors are `E,<n>`. Positions are integers in "user units"
 * whose size in µm is read with `RES,s` (XY) and `RES,Z` (Z); MM falls back to 0.1 µm when
 * the controller reports 0. Arguments may be separated by comma, space, tab, `;` or `:`.
 */
import { DeviceError, ProtocolError } from '../../errors';

/**
 * Known `E,n` codes. 4 and 8: MM Prior adapter's messages; 18: ProScan III manual §4.1.
 * The manual's full table was not available [U]: other codes are reported as undocumented.
 */
export const PRIOR_ERRORS: Readonly<Record<number, string>> = {
  4: 'invalid or corrupt message (command not understood)',
  8: 'value out of range',
  18: 'command queue full',
};

export function priorErrorMeaning(code: number): string {
  return PRIOR_ERRORS[code] ?? 'undocumented error code (see the ProScan III manual error table)';
}

const errorLine = /^E\s*[,\s]\s*(\d+)\s*$/i;

export function isPriorError(line: string): boolean {
  return errorLine.test(line.trim());
}

/** DeviceError for an `E,n` line, or undefined when the line is not an error. */
export function priorDeviceError(line: string, command: string): DeviceError | undefined {
  const m = errorLine.exec(line.trim());
  if (!m) return undefined;
  const code = Number(m[1]);
  const meaning = priorErrorMeaning(code);
  return new DeviceError(`Prior controller answered "E,${code}" (${meaning}) to "${command}"`, {
    vendorCode: code,
    meaning,
    command,
  });
}

function fail(what: string, raw: string, command: string): ProtocolError {
  return new ProtocolError(`Prior reply to "${command}": ${what}`, { raw, command });
}

/** One line holding comma-separated numbers (`PX` → `1234`, `P` → `1,2,3`). */
export function parsePriorNumbers(raw: string, command: string, count: number): number[] {
  const line = raw.trim();
  const err = priorDeviceError(line, command);
  if (err) throw err;
  const parts = line.split(/[,\s;:\t]+/).filter((p) => p !== '');
  if (parts.length < count) throw fail(`expected ${count} number(s), got "${line}"`, raw, command);
  return parts.slice(0, count).map((p) => {
    const v = Number(p);
    if (!Number.isFinite(v)) throw fail(`"${p}" is not a number`, raw, command);
    return v;
  });
}

export function parsePriorNumber(raw: string, command: string): number {
  return parsePriorNumbers(raw, command, 1)[0] as number;
}

/** A command that acknowledges with `0` (COMP 0, PS, RES,s,v …) or `R` (K). */
export function checkPriorAck(raw: string, command: string, expected: '0' | 'R'): void {
  const line = raw.trim();
  const err = priorDeviceError(line, command);
  if (err) throw err;
  if (line.toUpperCase() !== expected)
    throw fail(`expected "${expected}", got "${line}"`, raw, command);
}

export interface PriorMotionBits {
  x: boolean;
  y: boolean;
  z: boolean;
}

/** `$` → decimal bitfield: bit0 X, bit1 Y, bit2 Z moving; higher bits (filters, shutters [U]) ignored. */
export function parsePriorStatus(raw: string, command = '$'): PriorMotionBits {
  const bits = parsePriorNumber(raw, command);
  if (!Number.isInteger(bits) || bits < 0) throw fail(`bad status "${raw.trim()}"`, raw, command);
  return { x: (bits & 1) !== 0, y: (bits & 2) !== 0, z: (bits & 4) !== 0 };
}

/** `RES,s` / `RES,Z` → µm per user unit; 0 or negative means "not reported" → 0.1 µm (as MM). */
export function parsePriorResolution(raw: string, command: string): number {
  const v = parsePriorNumber(raw, command);
  return v > 0 ? v : 0.1;
}

/** µm → integer user units (the controller takes integers; rounding error ≤ half a unit). */
export function umToPriorUnits(um: number, umPerUnit: number): number {
  const units = Math.round(um / umPerUnit);
  return Object.is(units, -0) ? 0 : units;
}

export function priorUnitsToUm(units: number, umPerUnit: number): number {
  return units * umPerUnit;
}
