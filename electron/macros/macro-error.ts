import { AquilaError } from '../../drivers/errors';
import type { ApiError } from '../api/contract';
import type { AbortReason, SandboxFailure } from './protocol';

/**
 * A macro failed: a syntax or runtime error (`details.line`/`column` in the macro), a call
 * the host refused (`details.cause` is its code, e.g. `E_LIMIT`), a budget that stopped it
 * (`details.limit`: `memory`, `stack`, `work`, `wall-time`) or an abort (`limit: 'aborted'`).
 */
export class MacroError extends AquilaError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_MACRO', message, details);
  }
}

/** The error a macro's view shows: `Macro <what> at <file>:<line>:<column>` with its details. */
export function toApiError(f: SandboxFailure, stopped: AbortReason | null, file: string): ApiError {
  const limit = stopped ?? f.limit;
  const at = f.line !== undefined ? ` at ${file}:${f.line}:${f.column ?? 0}` : '';
  const what =
    limit === 'aborted'
      ? 'aborted'
      : limit
        ? `stopped by its ${limit} budget`
        : `${f.code ? `${f.code}: ` : ''}${f.name === 'Error' ? '' : `${f.name}: `}${f.message}`;
  const details: Record<string, unknown> = {};
  if (f.line !== undefined) details.line = f.line;
  if (f.column !== undefined) details.column = f.column;
  if (limit) details.limit = limit;
  if (f.code) details.cause = f.code;
  if (f.details) details.causeDetails = f.details;
  return { name: 'MacroError', code: 'E_MACRO', message: `Macro ${what}${at}`, details };
}
