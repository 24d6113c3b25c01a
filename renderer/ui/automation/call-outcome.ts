/**
 * Runs a command and hands back its error instead of a notice, for panels that show the
 * failure next to the control that caused it (autofocus, go-to, automation start).
 */
import type {
  ApiError,
  CommandName,
  CommandParams,
  CommandResult,
} from '../../../electron/api/contract';
import type { HostClient } from '../../state/host-client';
import { toApiError } from '../../transport/call-error';

export type CallOutcome<N extends CommandName> =
  { ok: true; value: CommandResult<N> } | { ok: false; error: ApiError };

export async function callOutcome<N extends CommandName>(
  host: HostClient,
  name: N,
  args: CommandParams<N>,
): Promise<CallOutcome<N>> {
  try {
    return { ok: true, value: await host.connection.call(name, args) };
  } catch (err) {
    return { ok: false, error: toApiError(err) };
  }
}
