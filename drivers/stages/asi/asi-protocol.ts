/**
 * ASI MS-2000 / Tiger reply grammar, error table and unit conversion (protocols.md §1).
 * Pure functions, shared by the driver and the wire simulator.
 *
 * Replies: `:A[ data]` success, `:N-<n>` error, bare `N`/`B` for the busy query `/`.
 * Positions travel in controller units: 1/10 µm by default (10000 units per mm); a Tiger
 * axis may be re-scaled with `UM` (units per mm), which persists, so it is read at connect.
 */
import { DeviceError, ProtocolError } from '../../errors';

/** Default unit multiplier, units per mm (1 unit = 0.1 µm). Source: ASI quick-start page, MM ASIStage. */
export const ASI_DEFAULT_UNITS_PER_MM = 10_000;

/** `:N-<n>` codes. Source: TigerASI device_codes.py and MM ASITiger.h (restated). */
export const ASI_ERRORS: Readonly<Record<number, string>> = {
  1: 'unknown command',
  2: 'unrecognized axis parameter',
  3: 'missing parameters',
  4: 'parameter out of range',
  5: 'operation failed',
  6: 'undefined error',
  7: 'invalid card address',
  21: 'serial command halted by HALT',
};

export function asiErrorMeaning(code: number): string {
  if (code >= 8 && code <= 10) return 'reserved error code';
  if (code >= 11 && code <= 20) return 'filter wheel error';
  return ASI_ERRORS[code] ?? 'undocumented error code';
}

/** The DeviceError for `:N-<code>` in answer to `command`. */
export function asiDeviceError(code: number, command: string): DeviceError {
  const meaning = asiErrorMeaning(code);
  return new DeviceError(`ASI controller answered ":N-${code}" (${meaning}) to "${command}"`, {
    vendorCode: code,
    meaning,
    command,
  });
}

const errorReply = /^:N\s*-?\s*(\d+)/i;

/**
 * Checks a one-line reply to `command` and returns the data after `:A` (trimmed; '' if none).
 * Throws DeviceError for `:N-n`, ProtocolError (with the raw bytes) for anything else.
 */
export function parseAsiReply(raw: string, command: string): string {
  const line = raw.trim();
  const err = errorReply.exec(line);
  if (err) throw asiDeviceError(Number(err[1]), command);
  if (/^:A/i.test(line)) return line.slice(2).trim();
  throw new ProtocolError(`ASI controller sent an unparseable reply to "${command}"`, {
    raw,
    command,
  });
}

/**
 * `N` / `B` from the STATUS query `/`, or the Tiger's `:A B` to `RS X?`. A multi-axis `RS`
 * reply may carry one flag per axis (`:A NB`, `:A N B`) [U]: busy if any flag is `B`.
 */
export function parseAsiBusy(raw: string, command = '/'): boolean {
  const line = raw.trim();
  const err = errorReply.exec(line);
  if (err) throw asiDeviceError(Number(err[1]), command);
  const flags = line.replace(/^:A/i, '').replace(/\s+/g, '').toUpperCase();
  if (/^[NB]+$/.test(flags)) return flags.includes('B');
  throw new ProtocolError(`ASI busy query "${command}" got neither N nor B`, { raw, command });
}

function toNumber(text: string, raw: string, command: string): number {
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) {
    throw new ProtocolError(`ASI reply to "${command}" holds a non-number "${text}"`, {
      raw,
      command,
    });
  }
  return value;
}

/** Positional numbers after `:A`, e.g. the `W X Y` reply `:A 12345.6 -78 ` → [12345.6, -78]. */
export function parseAsiNumbers(raw: string, command: string, count: number): number[] {
  const body = parseAsiReply(raw, command);
  const parts = body.split(/\s+/).filter((p) => p !== '');
  if (parts.length < count) {
    throw new ProtocolError(
      `ASI reply to "${command}" has ${parts.length} values, expected ${count}`,
      { raw, command },
    );
  }
  return parts.slice(0, count).map((p) => toNumber(p, raw, command));
}

/** `:A X=10000 Y=10000` → { X: 10000, Y: 10000 } (axis letters upper-cased). */
export function parseAsiAxisValues(raw: string, command: string): Record<string, number> {
  const body = parseAsiReply(raw, command);
  const out: Record<string, number> = {};
  for (const m of body.matchAll(/([A-Za-z])\s*=\s*(\S+)/g)) {
    const [, axis = '', value = ''] = m;
    out[axis.toUpperCase()] = toNumber(value, raw, command);
  }
  if (Object.keys(out).length === 0) {
    throw new ProtocolError(`ASI reply to "${command}" has no AXIS=value pair`, { raw, command });
  }
  return out;
}

/** µm → controller units for an axis with `unitsPerMm`. */
export function umToAsiUnits(um: number, unitsPerMm = ASI_DEFAULT_UNITS_PER_MM): number {
  return (um * unitsPerMm) / 1000;
}

/** Controller units → µm for an axis with `unitsPerMm`. */
export function asiUnitsToUm(units: number, unitsPerMm = ASI_DEFAULT_UNITS_PER_MM): number {
  return (units * 1000) / unitsPerMm;
}

/** A unit count as sent on the wire: at most one decimal, no exponent, no "-0". */
export function formatAsiUnits(units: number): string {
  const rounded = Math.round(units * 10) / 10;
  return (Object.is(rounded, -0) ? 0 : rounded).toFixed(1).replace(/\.0$/, '');
}
