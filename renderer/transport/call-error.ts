import type { ApiError } from '../../electron/api/contract';

/** A failed API call: the host's typed error, or a transport failure with its own code. */
export class HostCallError extends Error {
  readonly code: string;
  readonly hostName: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(error: ApiError) {
    super(error.message);
    this.name = 'HostCallError';
    this.hostName = error.name;
    this.code = error.code;
    this.details = error.details;
  }

  toApiError(): ApiError {
    return {
      name: this.hostName,
      code: this.code,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** Normalises anything thrown by a call into the `{name, code, message}` shape. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof HostCallError) return err.toApiError();
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      name: err.name,
      code: typeof code === 'string' ? code : 'CLIENT_ERROR',
      message: err.message,
    };
  }
  return { name: 'Error', code: 'CLIENT_ERROR', message: String(err) };
}

export function transportError(code: string, message: string): HostCallError {
  return new HostCallError({ name: 'TransportError', code, message });
}
