/** JSON replies of the remote server and the HTTP status of each error code. */
import type { ServerResponse } from 'node:http';
import type { SerializedError } from '../../drivers/errors';

/**
 * HTTP status for each error code: client mistakes 4xx, device and host conditions 5xx,
 * 500 only for `E_INTERNAL` (a fault in the host itself). Keep in step with the README table.
 */
const STATUS_BY_CODE: Record<string, number> = {
  E_INVALID: 400,
  E_CONFIG: 400,
  E_AUTH: 401,
  E_FORBIDDEN: 403,
  E_NOT_CONTROLLER: 409,
  E_ESTOP: 409,
  E_ABORTED: 409,
  E_CANCELLED: 409,
  E_POSITION_UNTRUSTED: 409,
  E_STATE: 409,
  E_LIMIT: 422,
  E_AUTOFOCUS: 422,
  E_AUTOMATION: 422,
  // issue #16 §2: sbatch/squeue/ssh to the SLURM cluster failed
  E_ANALYSIS: 502,
  E_MACRO: 422,
  E_UNSUPPORTED: 422,
  E_FOCUS_LOCK: 409,
  E_DISCONNECTED: 503,
  E_UNREACHABLE: 503,
  E_OFF_UNCONFIRMED: 502,
  E_DEVICE: 502,
  E_PROTOCOL: 502,
  E_TIMEOUT: 504,
  E_STORAGE: 507,
  E_SINK: 507,
  E_INTERNAL: 500,
};

/** `E_UPLOAD` is 502 when the gateway failed (transient, retried), else 422: the dataset or target cannot be uploaded as asked. */
export function statusForError(error: SerializedError): number {
  if (error.code === 'E_UPLOAD') return error.details?.transient === true ? 502 : 422;
  return STATUS_BY_CODE[error.code] ?? 500;
}

/** Every error code the HTTP API can answer with (for the docs test). */
export const KNOWN_ERROR_CODES = [...Object.keys(STATUS_BY_CODE), 'E_UPLOAD'];

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

export function errorBody(code: string, message: string, name: string) {
  return { ok: false, error: { name, code, message } };
}

export function invalid(res: ServerResponse, status: number, message: string): void {
  json(res, status, errorBody('E_INVALID', message, 'ValidationError'));
}

export function unauthorised(res: ServerResponse, status: number, message: string): void {
  json(res, status, errorBody('E_AUTH', message, 'AuthError'));
}
