/**
 * Typed errors shared by drivers, the host and every transport.
 * Each error has a stable `code`, survives JSON serialisation as `{name, code, message}`
 * and says what to do about it. Never return `false` for failure: throw one of these.
 */

export interface SerializedError {
  name: string;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export class AquilaError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }

  toJSON(): SerializedError {
    const out: SerializedError = { name: this.name, code: this.code, message: this.message };
    if (this.details) out.details = this.details;
    return out;
  }
}

/** A request was malformed: wrong shape, wrong type, unknown command. */
export class ValidationError extends AquilaError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_INVALID', message, details);
  }
}

/** A move or setting was refused because it lies outside a configured safety limit. */
export class LimitError extends AquilaError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_LIMIT', message, details);
  }
}

/** The emergency stop is latched; it must be reset before motion or emission. */
export class EstopLatchedError extends AquilaError {
  constructor() {
    super(
      'E_ESTOP',
      'Emergency stop is active: motion and laser emission are blocked. Reset the e-stop (safety.reset) first.',
    );
  }
}

/** What ended a move before it reached its target. */
export type MoveInterruption = 'estop' | 'stop' | 'disconnect';

/**
 * A move that did not reach its target because it was interrupted: `E_ESTOP` when the
 * e-stop ended it, `E_ABORTED` otherwise (`details.cause` names it). `details.positionUm`
 * is where the axis stopped, or null when it cannot be read (the port is gone).
 */
export class MoveInterruptedError extends AquilaError {
  constructor(
    what: string,
    cause: MoveInterruption,
    positionUm: unknown,
    details: Record<string, unknown> = {},
  ) {
    const why = {
      estop: 'by the emergency stop',
      stop: 'by a stop request',
      disconnect: 'because the controller was lost',
    }[cause];
    const where =
      positionUm === null ? 'position unknown' : `stopped at ${JSON.stringify(positionUm)} µm`;
    super(
      cause === 'estop' ? 'E_ESTOP' : 'E_ABORTED',
      `${what} was interrupted ${why} (${where}); it did not reach its target`,
      { ...details, cause, positionUm },
    );
  }
}

/**
 * The controller reconnected (it may have been power-cycled, so its position may have
 * jumped): moves are refused until the operator confirms the position or homes.
 */
export class PositionUntrustedError extends AquilaError {
  constructor(deviceId: string, command: string) {
    super(
      'E_POSITION_UNTRUSTED',
      `${deviceId}: position not trusted after a reconnect — check the position, then confirm it (${command}) or home the stage before moving`,
      { deviceId, confirmWith: command },
    );
  }
}

/** A device did not answer within its time limit. */
export class TimeoutError extends AquilaError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_TIMEOUT', message, details);
  }
}

/** The device or its port is gone (unplugged, port closed, process died). */
export class DisconnectedError extends AquilaError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_DISCONNECTED', message, details);
  }
}

/** The device answered with a vendor error code; `details.vendorCode` and the meaning are kept. */
export class DeviceError extends AquilaError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_DEVICE', message, details);
  }
}

/** The device answered with bytes that do not parse; `details.raw` holds them. */
export class ProtocolError extends AquilaError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_PROTOCOL', message, details);
  }
}

/** The request is valid but cannot be carried out in the current state (e.g. no camera configured). */
export class StateError extends AquilaError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_STATE', message, details);
  }
}

/** The device cannot do this at all (e.g. named features on a camera that has none). */
export class UnsupportedError extends AquilaError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_UNSUPPORTED', message, details);
  }
}

/** Missing or wrong credentials, or a request from a foreign origin. */
export class AuthError extends AquilaError {
  constructor(message: string) {
    super('E_AUTH', message);
  }
}

/**
 * A mutating command from a client that does not hold the control lease. `details.holder`
 * names who does (user and client), so the UI can say whom to ask.
 */
export class NotControllerError extends AquilaError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_NOT_CONTROLLER', message, details);
  }
}

/** The caller's role does not allow the command (an observer asking for control). */
export class ForbiddenError extends AquilaError {
  constructor(message: string) {
    super('E_FORBIDDEN', message);
  }
}

/** Converts anything thrown into the serialisable error shape sent to clients. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof AquilaError) return err.toJSON();
  if (err instanceof Error)
    return { name: 'InternalError', code: 'E_INTERNAL', message: err.message };
  return { name: 'InternalError', code: 'E_INTERNAL', message: String(err) };
}
