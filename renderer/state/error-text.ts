/**
 * The one place host errors become operator text: a plain sentence (with units and the
 * limit where the error's `details` carry them) and a details line for support (command,
 * code, the host's own message). Keyed on the stable error code and its details, never on
 * message wording. Pure.
 */
import type { ApiError } from '../../electron/api/contract';

export interface ErrorText {
  /** What happened and what to do, in words. */
  text: string;
  /** "laser.setPower · E_LIMIT · <host message>": for the details line and bug reports. */
  detail: string;
}

type Details = Record<string, unknown>;

const num = (d: Details, key: string): number | undefined =>
  typeof d[key] === 'number' ? (d[key] as number) : undefined;
const str = (d: Details, key: string): string | undefined =>
  typeof d[key] === 'string' ? (d[key] as string) : undefined;

/** Readable number: no float noise (0.30000000000000004 → 0.3). */
function n(v: number): string {
  return String(Number(v.toPrecision(6)));
}

function limitText(d: Details): string | null {
  const powerMw = num(d, 'powerMw');
  const maxPowerMw = num(d, 'maxPowerMw');
  if (powerMw !== undefined && maxPowerMw !== undefined) {
    const laser = str(d, 'laserId');
    const who = laser ? ` (${laser})` : '';
    if (powerMw < 0) return `Laser power cannot be negative (${n(powerMw)} mW)${who}.`;
    return `${n(powerMw)} mW is above this laser's maximum of ${n(maxPowerMw)} mW${who}.`;
  }
  const axis = str(d, 'axis');
  const valueUm = num(d, 'valueUm');
  const minUm = num(d, 'minUm');
  const maxUm = num(d, 'maxUm');
  if (axis && valueUm !== undefined && minUm !== undefined && maxUm !== undefined) {
    const what = axis === 'z' ? 'Focus' : `Stage ${axis.toUpperCase()}`;
    if (valueUm > maxUm) {
      const objective = axis === 'z' ? ' (the limit protects the objective)' : '';
      return `${what} ${n(valueUm)} µm is above the maximum of ${n(maxUm)} µm${objective}; nothing moved.`;
    }
    return `${what} ${n(valueUm)} µm is below the minimum of ${n(minUm)} µm; nothing moved.`;
  }
  return null;
}

function holderText(d: Details): string | null {
  const holder = d.holder as { user?: unknown } | null | undefined;
  if (d.role === 'observer') return 'You are watching as an observer: controls are read-only.';
  if (holder && typeof holder.user === 'string')
    return `${holder.user} is in control: ask for control (Control panel) before changing anything.`;
  return null;
}

const BY_CODE: Record<string, (e: ApiError, d: Details) => string | null> = {
  E_LIMIT: (_e, d) => limitText(d),
  E_ESTOP: () =>
    'The emergency stop is latched: nothing moves and no laser switches on until it is reset (Reset E-stop, top right).',
  E_NOT_CONTROLLER: (_e, d) => holderText(d),
  E_FORBIDDEN: () => 'Your role does not allow this.',
  E_DISCONNECTED: () => 'The device is not connected: check its cable and power.',
  E_TIMEOUT: () => 'The device did not answer in time.',
  E_POSITION_UNTRUSTED: () =>
    'The stage reconnected and its position is not trusted yet: confirm or home it before moving.',
};

/** Plain text for `error`, raised by `command` (when known). */
export function describeError(error: ApiError, command?: string): ErrorText {
  const d = error.details ?? {};
  const plain = BY_CODE[error.code]?.(error, d) ?? null;
  const detail = [command, error.code, plain ? error.message : null]
    .filter((p): p is string => !!p)
    .join(' · ');
  return { text: plain ?? error.message, detail };
}
