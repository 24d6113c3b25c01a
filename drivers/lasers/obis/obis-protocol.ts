/**
 * Coherent OBIS wire facts (SCPI-like), from the steering repo's protocols.md §5 (sources:
 * python-microscope obis.py, Micro-Manager CoherentOBIS, an open C++ OBIS driver).
 * Framing: commands end `\r\n`; with `SYST:COMM:HAND ON` every reply ends with a line
 * `OK`, a query's value line comes first, and an error is a single line `ERR-<n>`.
 */
import { DeviceError, ProtocolError } from '../../errors';
import { untilLine, type ReplyShape } from '../../serial/framing';

export const OBIS_REPLY: ReplyShape = untilLine(/^OK$/i, /^ERR-?\d+$/i);

export const OBIS_ERRORS: Record<number, string> = {
  0: 'no error',
  100: 'unrecognized command',
  102: 'invalid command syntax',
  109: 'missing parameter',
  200: 'execution error',
  203: 'command protected',
  220: 'invalid parameter',
  221: 'settings conflict',
  241: 'device unavailable',
  256: 'file not found',
  257: 'file error',
  310: 'unrecoverable fault',
  321: 'out of memory',
  350: 'error queue full',
  400: 'broadcast query prohibited',
  500: 'bus error',
  510: 'I2C fault',
  520: 'controller timeout',
  900: 'message timeout',
};

export const OBIS_STATUS_BITS: Record<number, string> = {
  0x1: 'fault',
  0x2: 'emission',
  0x4: 'ready',
  0x8: 'standby',
  0x10: 'CDRH delay',
  0x20: 'hardware fault',
  0x40: 'error queued',
  0x80: 'within factory calibration',
  0x100: 'warmed up',
  0x200: 'noise above 30',
  0x400: 'external mode selected',
  0x800: 'field calibration in progress',
  0x1000: '12 V power set',
};

export const OBIS_FAULT_BITS: Record<number, string> = {
  0x1: 'baseplate temperature',
  0x2: 'diode temperature',
  0x4: 'internal temperature',
  0x8: 'no diode power',
  0x10: 'I2C error',
  0x20: 'over-current',
  0x40: 'EEPROM checksum',
  0x80: 'EEPROM restored',
  0x100: 'buffer overflow',
  0x200: 'warm-up time limit',
  0x400: 'TEC driver',
  0x800: 'RS-485 bus',
  0x1000: 'diode temperature more than 5 °C off setpoint',
  0x2000: 'failed to reach power',
  0x4000: 'negative photodiode reading',
  0x8000: 'fatal',
  0x10000: 'startup',
  0x20000: 'watchdog reset',
  0x40000: 'field calibration error',
  0x100000: 'over power',
};

export const STATUS_FAULT = 0x1;
export const STATUS_EMISSION = 0x2;
export const STATUS_CDRH_DELAY = 0x10;

/** `ERR-n` → DeviceError with the code and its meaning; undefined for any other reply. */
export function obisVendorError(
  lines: readonly string[],
  command: string,
): DeviceError | undefined {
  const last = lines.at(-1) ?? '';
  const m = /^ERR-?(\d+)$/i.exec(last.trim());
  if (!m) return undefined;
  const code = Number(m[1]);
  const meaning = OBIS_ERRORS[code] ?? 'unknown error code';
  return new DeviceError(`OBIS refused "${command}": ERR-${code} (${meaning})`, {
    vendorCode: code,
    meaning,
    command,
  });
}

/** The value line of a query reply (handshake on: value, then OK). */
export function valueLine(lines: readonly string[]): string {
  const values = lines.filter((l) => !/^OK$/i.test(l.trim()));
  const v = values.at(-1)?.trim();
  if (v === undefined || v === '')
    throw new ProtocolError('OBIS: query reply has no value line', { raw: lines.join('\n') });
  return v;
}

export function parseNumber(text: string, what: string): number {
  const v = Number(text.replace(/[a-z%°]+$/i, '').trim());
  if (!Number.isFinite(v))
    throw new ProtocolError(`OBIS: ${what} is not a number: "${text}"`, { raw: text });
  return v;
}

/**
 * Status and fault words are 32-bit codes; whether the device prints them in hex or
 * decimal is uncertain [U], so: `0x` prefix, any hex letter, or exactly 8 digits → hex;
 * otherwise decimal.
 */
export function parseCode(text: string, what: string): number {
  const t = text.trim();
  let v: number;
  if (/^0x[0-9a-f]+$/i.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^[0-9a-f]{8}$/i.test(t) || /^[0-9a-f]*[a-f][0-9a-f]*$/i.test(t)) v = parseInt(t, 16);
  else if (/^\d+$/.test(t)) v = Number(t);
  else throw new ProtocolError(`OBIS: ${what} is not a status code: "${text}"`, { raw: text });
  return v;
}

export function decodeBits(code: number, table: Record<number, string>): string[] {
  return Object.entries(table)
    .filter(([bit]) => (code & Number(bit)) !== 0)
    .map(([, name]) => name);
}

/** ON/OFF (also 1/0) → boolean. */
export function parseOnOff(text: string, what: string): boolean {
  const t = text.trim().toUpperCase();
  if (t === 'ON' || t === '1') return true;
  if (t === 'OFF' || t === '0') return false;
  throw new ProtocolError(`OBIS: ${what} is not ON/OFF: "${text}"`, { raw: text });
}

/** Watts as the OBIS expects them: plain decimal, 5 places (0.1 mW resolution). */
export function formatWatts(powerMw: number): string {
  return (powerMw / 1000).toFixed(5);
}
