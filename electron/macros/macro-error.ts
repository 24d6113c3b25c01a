import { AquilaError } from '../../drivers/errors';

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
