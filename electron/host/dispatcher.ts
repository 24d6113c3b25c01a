/**
 * The single entry point for API commands from every transport: validates the command name
 * and parameters against the contract, runs the handler, and returns an outcome whose error
 * is the typed `{name, code, message}`. Transports never call handlers directly.
 *
 * Access control lives here too, so no transport can bypass it: before a handler runs, the
 * gate (the control lease) is asked with the command's class from `commandAccess` in the
 * contract.
 */
import {
  AquilaError,
  ValidationError,
  serializeError,
  type SerializedError,
} from '../../drivers/errors';
import { parseOrThrow } from '../../drivers/validation';
import type { CallOutcome } from '../api/bridge';
import {
  commandAccess,
  commands,
  isCommandName,
  type CommandAccess,
  type CommandName,
} from '../api/contract';
import type { CallContext, Handlers } from './command-handlers';
import type { Logger } from './logger';

export type CallObserver = (entry: {
  name: string;
  /** The parameters as received (untrusted, unvalidated when the call was refused). */
  args: unknown;
  ctx: CallContext;
  ok: boolean;
  code?: string;
  /** The refusal or failure, as the caller received it. */
  error?: SerializedError;
  ms: number;
}) => void;

/** Throws a typed error when `ctx` may not run `name` now (see control-lease.ts). */
export interface AccessGate {
  authorise(name: string, access: CommandAccess, ctx: CallContext): void;
}

export class Dispatcher {
  private readonly observers = new Set<CallObserver>();

  constructor(
    private readonly handlers: Handlers,
    private readonly log: Logger,
    private readonly gate?: AccessGate,
  ) {}

  /** Observers see every call (the audit trail hooks in here). */
  observe(observer: CallObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  async call(name: string, args: unknown, ctx: CallContext): Promise<CallOutcome<unknown>> {
    const started = performance.now();
    try {
      const value = await this.invoke(name, args, ctx);
      this.notify(name, args, ctx, true, undefined, started);
      return { ok: true, value };
    } catch (err) {
      const error = serializeError(err);
      if (!(err instanceof AquilaError))
        this.log.log(
          'error',
          `Command ${name} failed unexpectedly: ${(err as Error)?.stack ?? String(err)}`,
        );
      else this.log.log('debug', `Command ${name} refused: ${error.code} ${error.message}`);
      this.notify(name, args, ctx, false, error, started);
      return { ok: false, error };
    }
  }

  private async invoke(name: string, args: unknown, ctx: CallContext): Promise<unknown> {
    if (!isCommandName(name)) {
      throw new ValidationError(
        `Unknown command "${name}". Known commands: ${Object.keys(commands).join(', ')}`,
      );
    }
    this.gate?.authorise(name, commandAccess[name], ctx);
    const params = parseOrThrow(commands[name].params, args ?? {}, `${name} parameters`);
    const handler = this.handlers[name] as (p: unknown, c: CallContext) => Promise<unknown>;
    return handler(params, ctx);
  }

  private notify(
    name: string,
    args: unknown,
    ctx: CallContext,
    ok: boolean,
    error: SerializedError | undefined,
    started: number,
  ): void {
    const ms = performance.now() - started;
    for (const o of this.observers)
      o(error ? { name, args, ctx, ok, code: error.code, error, ms } : { name, args, ctx, ok, ms });
  }
}

export type { CommandName };
